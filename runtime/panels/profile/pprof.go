package profile

import (
	"bytes"
	"compress/gzip"
	"errors"
	"io"
)

// The few messages of profile.proto (github.com/google/pprof) that the
// panel reads, decoded by hand: the runtime stays free of dependencies.
type (
	profileData struct {
		sampleTypes []valueType
		samples     []sample
		locations   map[uint64][]line // by id; lines innermost first
		functions   map[uint64]function
		strings     []string
		period      int64
	}
	valueType struct{ typ, unit int64 }
	sample    struct {
		locations []uint64
		values    []int64
		labels    map[int64]int64 // key -> str, as string table indexes
	}
	line     struct{ function, line uint64 }
	function struct{ name, file int64 }
)

// parseProfile decodes a gzip-compressed profile, as pprof writes it.
func parseProfile(gz []byte) (*profileData, error) {
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, err
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		return nil, err
	}
	p := &profileData{locations: map[uint64][]line{}, functions: map[uint64]function{}}
	err = fields(raw, func(tag int, wire int, v uint64, b []byte) error {
		switch tag {
		case 1: // sample_type
			var vt valueType
			err := fields(b, func(tag, _ int, v uint64, _ []byte) error {
				switch tag {
				case 1:
					vt.typ = int64(v)
				case 2:
					vt.unit = int64(v)
				}
				return nil
			})
			p.sampleTypes = append(p.sampleTypes, vt)
			return err
		case 2: // sample
			s, err := parseSample(b)
			p.samples = append(p.samples, s)
			return err
		case 4: // location
			var id uint64
			var lines []line
			err := fields(b, func(tag, _ int, v uint64, b []byte) error {
				switch tag {
				case 1:
					id = v
				case 4:
					var l line
					err := fields(b, func(tag, _ int, v uint64, _ []byte) error {
						switch tag {
						case 1:
							l.function = v
						case 2:
							l.line = v
						}
						return nil
					})
					lines = append(lines, l)
					return err
				}
				return nil
			})
			p.locations[id] = lines
			return err
		case 5: // function
			var id uint64
			var f function
			err := fields(b, func(tag, _ int, v uint64, _ []byte) error {
				switch tag {
				case 1:
					id = v
				case 2:
					f.name = int64(v)
				case 4:
					f.file = int64(v)
				}
				return nil
			})
			p.functions[id] = f
			return err
		case 6: // string_table
			p.strings = append(p.strings, string(b))
		case 12: // period
			p.period = int64(v)
		}
		return nil
	})
	return p, err
}

func parseSample(b []byte) (sample, error) {
	s := sample{labels: map[int64]int64{}}
	err := fields(b, func(tag, wire int, v uint64, b []byte) error {
		switch tag {
		case 1:
			return scalars(wire, v, b, func(v uint64) { s.locations = append(s.locations, v) })
		case 2:
			return scalars(wire, v, b, func(v uint64) { s.values = append(s.values, int64(v)) })
		case 3:
			var key, str int64
			err := fields(b, func(tag, _ int, v uint64, _ []byte) error {
				switch tag {
				case 1:
					key = int64(v)
				case 2:
					str = int64(v)
				}
				return nil
			})
			s.labels[key] = str
			return err
		}
		return nil
	})
	return s, err
}

func (p *profileData) str(i int64) string {
	if i < 0 || i >= int64(len(p.strings)) {
		return ""
	}
	return p.strings[i]
}

var errTruncated = errors.New("profile: truncated protocol buffer")

// fields calls f for each field of the protocol buffer message b: its tag,
// wire type, and value (varint and fixed types) or bytes (length-delimited).
func fields(b []byte, f func(tag, wire int, v uint64, b []byte) error) error {
	for len(b) > 0 {
		key, n := varint(b)
		if n == 0 {
			return errTruncated
		}
		b = b[n:]
		tag, wire := int(key>>3), int(key&7)
		var v uint64
		var data []byte
		switch wire {
		case 0:
			v, n = varint(b)
			if n == 0 {
				return errTruncated
			}
			b = b[n:]
		case 1:
			if len(b) < 8 {
				return errTruncated
			}
			for i := 7; i >= 0; i-- {
				v = v<<8 | uint64(b[i])
			}
			b = b[8:]
		case 2:
			l, n := varint(b)
			if n == 0 || uint64(len(b)-n) < l {
				return errTruncated
			}
			data, b = b[n:n+int(l)], b[n+int(l):]
		case 5:
			if len(b) < 4 {
				return errTruncated
			}
			v = uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24
			b = b[4:]
		default:
			return errors.New("profile: unknown wire type")
		}
		if err := f(tag, wire, v, data); err != nil {
			return err
		}
	}
	return nil
}

// scalars calls f for a repeated scalar field's value, or for each value of
// its packed form.
func scalars(wire int, v uint64, b []byte, f func(uint64)) error {
	if wire != 2 {
		f(v)
		return nil
	}
	for len(b) > 0 {
		v, n := varint(b)
		if n == 0 {
			return errTruncated
		}
		f(v)
		b = b[n:]
	}
	return nil
}

func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}
