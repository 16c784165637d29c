package bus

import (
	"context"
	"reflect"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf8"
)

// Limits of [Render]. Values are rendered on the calling goroutine while the
// marked function runs, so they must be bounded: a huge or cyclic argument
// costs at most these.
const (
	MaxRenderDepth  = 4    // nesting of structs, slices, maps and pointers
	MaxRenderElems  = 16   // elements of a slice, array or map, fields of a struct
	MaxRenderString = 256  // bytes of one string
	MaxRenderBytes  = 2048 // bytes of the whole rendering
)

// Truncated marks where a rendering was cut.
const Truncated = "…"

// Render formats v in Go-like syntax within the Render limits. It reads
// values through reflection only: it never calls String, Error or any other
// method of the value, which could block, panic or have side effects.
// Arguments and results of marked functions ([NewField]) are rendered so
// too, except that an error is rendered by its message (see errorText).
func Render(v any) string { return render(v, true) }

// render is Render; shared says whether to read through pointers and maps,
// memory that other goroutines may be writing.
func render(v any, shared bool) string {
	// The common kinds, without reflection or a builder: a marked call
	// renders its arguments while the caller waits.
	switch x := v.(type) {
	case nil:
		return "nil"
	case string:
		return quote(x)
	case bool:
		return strconv.FormatBool(x)
	case int:
		return strconv.Itoa(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	b := renderer{shared: shared}
	b.value(reflect.ValueOf(v), 0)
	return b.String()
}

type renderer struct {
	strings.Builder
	full   bool
	shared bool // read through pointers and maps
}

// followPointers says whether arguments and results of marked functions
// are rendered through pointers and maps (see SetFollowPointers).
var followPointers atomic.Bool

// SetFollowPointers makes the arguments and results of marked functions
// render what their pointers and maps refer to, for the whole process.
//
// It is off by default because that memory is shared: a method's receiver
// or a cache's map may be written by other goroutines, under locks that
// the renderer does not hold. Reading it anyway is a data race (reported
// by -race), and iterating a map that is being written is a fatal error.
// Without it, a pointer renders as &T{…} and a map as map[K]V{…}; values
// passed by value, slices and strings are rendered in full. An error is
// rendered by its message either way (see [NewField]).
func SetFollowPointers(on bool) { followPointers.Store(on) }

func (b *renderer) put(s string) {
	if b.full {
		return
	}
	if b.Len()+len(s) > MaxRenderBytes {
		s = truncateUTF8(s, MaxRenderBytes-b.Len())
		b.WriteString(s)
		b.WriteString(Truncated)
		b.full = true
		return
	}
	b.WriteString(s)
}

func truncateUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	if n < 0 {
		n = 0
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func quote(s string) string {
	if len(s) > MaxRenderString {
		return strconv.Quote(truncateUTF8(s, MaxRenderString)) + Truncated
	}
	if plainASCII(s) {
		return `"` + s + `"` // what strconv.Quote returns, without its per-rune work
	}
	return strconv.Quote(s)
}

// plainASCII reports whether strconv.Quote would leave s as it is.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}

func (b *renderer) value(v reflect.Value, depth int) {
	if b.full {
		return
	}
	if !v.IsValid() {
		b.put("nil")
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		b.put(strconv.FormatBool(v.Bool()))
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		b.put(strconv.FormatInt(v.Int(), 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		b.put(strconv.FormatUint(v.Uint(), 10))
	case reflect.Float32:
		b.put(strconv.FormatFloat(v.Float(), 'g', -1, 32))
	case reflect.Float64:
		b.put(strconv.FormatFloat(v.Float(), 'g', -1, 64))
	case reflect.Complex64, reflect.Complex128:
		b.put(strconv.FormatComplex(v.Complex(), 'g', -1, 128))
	case reflect.String:
		b.put(quote(v.String()))
	case reflect.Pointer:
		if v.IsNil() {
			b.put("nil")
			return
		}
		if depth >= MaxRenderDepth || !b.shared {
			b.put("&" + v.Type().Elem().String() + "{" + Truncated + "}")
			return
		}
		b.put("&")
		b.value(v.Elem(), depth+1)
	case reflect.Interface:
		if v.IsNil() {
			b.put("nil")
			return
		}
		b.value(v.Elem(), depth)
	case reflect.Slice:
		if v.IsNil() {
			b.put(v.Type().String() + "(nil)")
			return
		}
		if v.Type().Elem().Kind() == reflect.Uint8 {
			b.put(v.Type().String() + "(" + quote(string(v.Bytes())) + ")")
			return
		}
		b.list(v, depth)
	case reflect.Array:
		b.list(v, depth)
	case reflect.Map:
		if v.IsNil() {
			b.put(v.Type().String() + "(nil)")
			return
		}
		if !b.shared {
			b.put(v.Type().String() + "{" + Truncated + "}")
			return
		}
		b.put(v.Type().String() + "{")
		if depth >= MaxRenderDepth {
			b.put(Truncated + "}")
			return
		}
		iter := v.MapRange()
		for i := 0; iter.Next(); i++ {
			if i > 0 {
				b.put(", ")
			}
			if i == MaxRenderElems {
				b.put(Truncated + strconv.Itoa(v.Len()-i) + " more")
				break
			}
			b.value(iter.Key(), depth+1)
			b.put(": ")
			b.value(iter.Value(), depth+1)
		}
		b.put("}")
	case reflect.Struct:
		t := v.Type()
		b.put(t.String() + "{")
		if depth >= MaxRenderDepth {
			b.put(Truncated + "}")
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if i > 0 {
				b.put(", ")
			}
			if i == MaxRenderElems {
				b.put(Truncated)
				break
			}
			b.put(t.Field(i).Name + ": ")
			b.value(v.Field(i), depth+1)
		}
		b.put("}")
	case reflect.Chan, reflect.Func, reflect.UnsafePointer:
		if v.IsNil() {
			b.put(v.Type().String() + "(nil)")
			return
		}
		// No address: reading it (Value.Pointer) would make every
		// rendered argument escape to the heap, even in calls that are
		// never recorded.
		b.put(v.Type().String() + "(non-nil)")
	default:
		b.put(v.Type().String())
	}
}

func (b *renderer) list(v reflect.Value, depth int) {
	b.put(v.Type().String() + "{")
	if depth >= MaxRenderDepth {
		b.put(Truncated + "}")
		return
	}
	n := v.Len()
	for i := 0; i < n; i++ {
		if i > 0 {
			b.put(", ")
		}
		if i == MaxRenderElems {
			b.put(Truncated + strconv.Itoa(n-i) + " more")
			break
		}
		b.value(v.Index(i), depth+1)
	}
	b.put("}")
}

// raw returns v itself when it is a bool, number or (truncated) string,
// the kinds that JSON keeps faithfully; otherwise nil.
func raw(v any) any {
	// Each case boxes a copy, and strings are cloned: the argument itself
	// may live on the caller's stack (see noescape in call.go), so nothing
	// of it may be kept.
	switch x := v.(type) {
	case bool:
		return x
	case int:
		return x
	case int8:
		return x
	case int16:
		return x
	case int32:
		return x
	case int64:
		return x
	case uint:
		return x
	case uint8:
		return x
	case uint16:
		return x
	case uint32:
		return x
	case uint64:
		return x
	case float32:
		return x
	case float64:
		return x
	case string:
		if len(x) > MaxRenderString {
			return truncateUTF8(x, MaxRenderString) + Truncated
		}
		return strings.Clone(x)
	}
	return nil
}

// NewField renders v as the field called name, the way arguments and results
// of marked functions are rendered. A context is rendered as
// "context.Context": its chain of wrapped contexts is noise, and can hold
// the toolbar's own state. An error is rendered as its type and message,
// *url.Error("Get \"/x\": EOF"), by calling its Error method, bounded to
// MaxRenderString bytes; a nil pointer error, or one whose Error method
// panics, is rendered by reflection as any other value.
func NewField(name string, v any) Field {
	var f Field
	(*binding)(nil).setField(&f, name, v)
	return f
}

// setField renders v into *f, as NewField. The common kinds are rendered
// without reflection: a marked call renders its arguments while its caller
// waits.
// b, if not nil, is where short strings are kept.
func (b *binding) setField(f *Field, name string, v any) {
	f.Name = name
	switch x := v.(type) {
	case nil:
		f.Value = "nil"
		return
	case string:
		f.Type = "string"
		f.Value, f.Raw = b.quoteRaw(x)
		return
	case bool:
		f.Type, f.Value, f.Raw = "bool", strconv.FormatBool(x), x
		return
	case int:
		f.Type, f.Value, f.Raw = "int", strconv.Itoa(x), x
		return
	case int64:
		f.Type, f.Value, f.Raw = "int64", strconv.FormatInt(x, 10), x
		return
	case float64:
		f.Type, f.Value, f.Raw = "float64", strconv.FormatFloat(x, 'g', -1, 64), x
		return
	case context.Context:
		f.Type, f.Value = reflect.TypeOf(v).String(), "context.Context"
		return
	case error:
		f.Type = reflect.TypeOf(v).String()
		if msg, ok := errorText(x); ok {
			f.Value = f.Type + "(" + quote(msg) + ")"
			return
		}
	}
	f.Type = reflect.TypeOf(v).String()
	f.Value = render(v, followPointers.Load())
	f.Raw = raw(v)
}

// errorText returns err.Error(), the one method the renderer calls: an
// error's message is what a reader of its rendering wants (the fields of
// a *url.Error are not), and errors are by convention not modified once
// made, so unlike other values behind pointers their message is read even
// without SetFollowPointers. It returns false, and the caller renders err
// by reflection, when err is a nil pointer (whose Error method would
// likely panic) or when Error panics. The caller bounds the message's
// length with quote.
func errorText(err error) (msg string, ok bool) {
	if isNilPointer(err) {
		return "", false
	}
	defer func() {
		if recover() != nil {
			msg, ok = "", false
		}
	}()
	return err.Error(), true
}

// quoteRaw returns s quoted, as Render renders it, and s itself truncated
// like it, in one allocation when s is plain ASCII. Both are copies: the
// argument may live on the caller's stack (see Launder).
func quoteRaw(s string) (quoted, raw string) {
	if len(s) > MaxRenderString {
		t := truncateUTF8(s, MaxRenderString)
		return strconv.Quote(t) + Truncated, t + Truncated
	}
	if plainASCII(s) {
		q := `"` + s + `"`
		return q, q[1 : len(q)-1]
	}
	return strconv.Quote(s), strings.Clone(s)
}

// renderFields renders values, but the one at index skip (-1 for none),
// into fs, named after names; an unnamed one is named by its position
// among all of them.
func (b *binding) renderFields(fs []Field, names []string, values []any, prefix string, skip int) []Field {
	j := 0
	for i, v := range values {
		if i == skip {
			continue
		}
		name := ""
		if i < len(names) {
			name = names[i]
		}
		if name == "" || name == "_" {
			name = positionalName(prefix, i)
		}
		b.setField(&fs[j], name, v)
		j++
	}
	return fs
}

// argNames and resultNames name unnamed parameters and results without
// allocating.
var (
	argNames    = [...]string{"arg0", "arg1", "arg2", "arg3", "arg4", "arg5", "arg6", "arg7"}
	resultNames = [...]string{"r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7"}
)

func positionalName(prefix string, i int) string {
	switch {
	case prefix == "arg" && i < len(argNames):
		return argNames[i]
	case prefix == "r" && i < len(resultNames):
		return resultNames[i]
	}
	return prefix + strconv.Itoa(i)
}

// isNilPointer reports whether v holds a nil pointer, on which a method call
// would likely panic.
func isNilPointer(v any) bool {
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
