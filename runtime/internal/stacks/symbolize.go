// Package stacks symbolizes the stacks in panels' stats for the toolbar:
// program counters into frames, hidden or not, with editor links, each
// repeated stack stored once ([All]) and given its frames back for
// rendering ([Resolve]). Panels only hold [panel.Stack] values; the toolbar
// and toolbartest do this, so it is not part of the panel API.
package stacks

import (
	"github.com/go-ddt/ddt/internal/funcname"

	"net/url"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-ddt/ddt/runtime/panel"
)

// Config says how stacks are symbolized.
type Config struct {
	// Hide lists import paths whose frames are marked hidden, in addition
	// to [panel.DefaultHidden]; each hides its subpackages too.
	Hide []string
	// EditorURL, if set, makes a link for each frame: {path} is replaced
	// by the frame's file (after PathMap, URL-escaped) and {line} by its
	// line, as in "vscode://file/{path}:{line}". A slash before {path} is
	// not doubled by an absolute path's own.
	EditorURL string
	// PathMap rewrites file paths for editor links, longest matching
	// prefix first: {"/app/": "/home/me/src/app/"} maps files compiled in
	// a container to the checkout the editor sees.
	PathMap map[string]string
}

// Symbolize fills s.Frames from s.PCs, unless it already has frames.
func Symbolize(s *panel.Stack, c *Config) {
	if len(s.Frames) > 0 || len(s.PCs) == 0 {
		return
	}
	s.Frames = symbolize(s.PCs, c)
}

func symbolize(pcs []uintptr, c *Config) []panel.Frame {
	var out []panel.Frame
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if f.Function != "" || f.File != "" {
			out = append(out, panel.Frame{
				Func:    f.Function,
				File:    f.File,
				Line:    f.Line,
				Hidden:  c.hidden(f.Function),
				EditURL: c.editURL(f.File, f.Line),
			})
		}
		if !more {
			return out
		}
	}
}

func (c *Config) hidden(fn string) bool {
	pkg := funcname.Package(fn)
	for _, p := range panel.DefaultHidden {
		if inPackage(pkg, p) {
			return true
		}
	}
	if c == nil {
		return false
	}
	for _, p := range c.Hide {
		if inPackage(pkg, strings.TrimSuffix(p, "/")) {
			return true
		}
	}
	return false
}

func inPackage(pkg, prefix string) bool {
	return pkg == prefix || strings.HasPrefix(pkg, prefix) && pkg[len(prefix)] == '/'
}

func (c *Config) editURL(file string, line int) string {
	if c == nil || c.EditorURL == "" || file == "" {
		return ""
	}
	best := ""
	for from := range c.PathMap {
		if strings.HasPrefix(file, from) && len(from) > len(best) {
			best = from
		}
	}
	if best != "" {
		file = c.PathMap[best] + file[len(best):]
	}
	path := (&url.URL{Path: file}).EscapedPath()
	tmpl := c.EditorURL
	if strings.HasPrefix(path, "/") {
		// vscode://file/{path} wants one slash before an absolute path.
		tmpl = strings.ReplaceAll(tmpl, "/{path}", "{path}")
	}
	return strings.NewReplacer("{path}", path, "{line}", strconv.Itoa(line)).Replace(tmpl)
}

var stackType = reflect.TypeFor[panel.Stack]()

// All symbolizes every [panel.Stack] reachable from v through exported
// struct fields, pointers, slices, arrays and interfaces (not maps). The
// toolbar calls it on each panel after GenerateStats, so panels keep
// Stack values as they are and never symbolize them themselves.
//
// Stacks with the same program counters, such as those of calls made in a
// loop, are symbolized once: the first one met gets the frames and an ID,
// the others that ID as Same and no frames of their own (see [panel.Stack]).
func All(v any, c *Config) {
	firsts := map[string]*panel.Stack{} // by the bytes of the PCs
	ids := 0
	w := walker{visit: func(s *panel.Stack) {
		if len(s.Frames) > 0 || len(s.PCs) == 0 || s.Same > 0 {
			return
		}
		if first, ok := firsts[pcsKey(s.PCs)]; ok {
			if first.ID == 0 {
				ids++
				first.ID = ids
			}
			s.Same = first.ID
			return
		}
		s.Frames = symbolize(s.PCs, c)
		firsts[pcsKey(s.PCs)] = s
	}}
	w.walk(reflect.ValueOf(v), 0)
}

// pcsKey returns the bytes of pcs as a string, to use as a map key.
func pcsKey(pcs []uintptr) string {
	return string(unsafe.Slice((*byte)(unsafe.Pointer(&pcs[0])), len(pcs)*int(unsafe.Sizeof(pcs[0]))))
}

// Resolve gives each [panel.Stack] reachable from v that repeats another
// (Same set) the frames of that one, as shared, read-only slices, for code
// that reads stats decoded from JSON. The toolbar calls it on each panel
// it decodes to render, so templates that read a Stack's Frames get them.
func Resolve(v any) {
	byID := map[int][]panel.Frame{}
	var repeats []*panel.Stack
	w := walker{visit: func(s *panel.Stack) {
		switch {
		case s.Same > 0 && len(s.Frames) == 0:
			repeats = append(repeats, s)
		case s.ID > 0:
			byID[s.ID] = s.Frames
		}
	}}
	w.walk(reflect.ValueOf(v), 0)
	for _, s := range repeats {
		s.Frames = byID[s.Same]
	}
}

// walker calls visit for every addressable Stack reachable from a value.
type walker struct {
	visit func(*panel.Stack)
}

// maxWalkDepth bounds the walk over a value with cycles.
const maxWalkDepth = 32

func (w *walker) walk(v reflect.Value, depth int) {
	if depth > maxWalkDepth {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem(), depth+1)
		}
	case reflect.Struct:
		if v.Type() == stackType {
			if v.CanAddr() {
				w.visit(v.Addr().Interface().(*panel.Stack))
			}
			return
		}
		for _, i := range stackFields(v.Type()) {
			w.walk(v.Field(i), depth+1)
		}
	case reflect.Slice, reflect.Array:
		if !byType(&mayHoldOf, v.Type().Elem(), func(t reflect.Type) bool { return mayHoldStack(t, 0) }) {
			return
		}
		for i := range v.Len() {
			w.walk(v.Index(i), depth+1)
		}
	}
}

// A panel's rows are walked one by one: what the walk asks of their types
// is worked out once per type (reflect.Type.Field copies a StructField
// each time).
var (
	stackFieldsOf sync.Map // reflect.Type -> []int, see stackFields
	mayHoldOf     sync.Map // reflect.Type -> bool, see mayHoldStack
)

// byType returns f(t), computed once per t in cache.
func byType[V any](cache *sync.Map, t reflect.Type, f func(reflect.Type) V) V {
	if v, ok := cache.Load(t); ok {
		return v.(V)
	}
	v := f(t)
	cache.Store(t, v)
	return v
}

// stackFields returns the indexes of the exported fields of the struct type
// t that can lead to a Stack.
func stackFields(t reflect.Type) []int {
	return byType(&stackFieldsOf, t, func(t reflect.Type) []int {
		var idx []int
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && mayHoldStack(f.Type, 0) {
				idx = append(idx, i)
			}
		}
		return idx
	})
}

// mayHoldStack reports whether a value of type t can lead to a Stack, so
// that long slices of numbers or strings are not walked element by element.
func mayHoldStack(t reflect.Type, depth int) bool {
	if depth > maxWalkDepth {
		return true
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return mayHoldStack(t.Elem(), depth+1)
	case reflect.Interface:
		return true
	case reflect.Struct:
		if t == stackType {
			return true
		}
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && mayHoldStack(f.Type, depth+1) {
				return true
			}
		}
	}
	return false
}
