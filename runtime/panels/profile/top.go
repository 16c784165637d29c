package profile

import (
	"cmp"
	"slices"
	"time"
)

// Func is one function of a CPU profile's top table.
type Func struct {
	Name    string
	File    string
	Flat    time.Duration // in the function itself
	Cum     time.Duration // in it and what it called
	FlatPct float64       // of the request's CPU time
	CumPct  float64
}

// topTable summarizes the samples whose label key has the value want: the
// functions with the most CPU time of their own, at most n of them.
type topTable struct {
	Funcs      []Func
	Samples    int           // samples of the request's goroutines
	CPU        time.Duration // their CPU time
	AllSamples int           // samples of the whole process
}

func top(p *profileData, key, want string, n int) topTable {
	var t topTable
	countIdx, cpuIdx := 0, len(p.sampleTypes)-1
	for i, st := range p.sampleTypes {
		switch p.str(st.typ) {
		case "samples":
			countIdx = i
		case "cpu":
			cpuIdx = i
		}
	}
	value := func(s sample, i int) int64 {
		if i < 0 || i >= len(s.values) {
			return 0
		}
		return s.values[i]
	}
	type acc struct{ flat, cum int64 }
	byFunc := map[uint64]*acc{}
	for _, s := range p.samples {
		t.AllSamples += int(value(s, countIdx))
		if !p.labelled(s, key, want) {
			continue
		}
		t.Samples += int(value(s, countIdx))
		ns := value(s, cpuIdx)
		t.CPU += time.Duration(ns)
		seen := map[uint64]bool{}
		for i, loc := range s.locations {
			for j, l := range p.locations[loc] {
				a := byFunc[l.function]
				if a == nil {
					a = &acc{}
					byFunc[l.function] = a
				}
				if i == 0 && j == 0 {
					a.flat += ns
				}
				if !seen[l.function] {
					seen[l.function] = true
					a.cum += ns
				}
			}
		}
	}
	for id, a := range byFunc {
		f := p.functions[id]
		fn := Func{Name: p.str(f.name), File: p.str(f.file), Flat: time.Duration(a.flat), Cum: time.Duration(a.cum)}
		if t.CPU > 0 {
			fn.FlatPct = 100 * float64(a.flat) / float64(t.CPU)
			fn.CumPct = 100 * float64(a.cum) / float64(t.CPU)
		}
		t.Funcs = append(t.Funcs, fn)
	}
	slices.SortFunc(t.Funcs, func(a, b Func) int {
		return cmp.Or(cmp.Compare(b.Flat, a.Flat), cmp.Compare(b.Cum, a.Cum), cmp.Compare(a.Name, b.Name))
	})
	if len(t.Funcs) > n {
		t.Funcs = t.Funcs[:n]
	}
	return t
}

// labelled reports whether s has the label key=want.
func (p *profileData) labelled(s sample, key, want string) bool {
	for k, v := range s.labels {
		if p.str(k) == key && p.str(v) == want {
			return true
		}
	}
	return false
}
