package stacks

import (
	"encoding/json"
	"io"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template"

	"github.com/go-ddt/ddt/runtime/panel"
)

func TestHidden(t *testing.T) {
	c := &Config{Hide: []string{"example.com/vendored/", "net/rpc/jsonrpc"}}
	for fn, want := range map[string]bool{
		"runtime.goexit":                                   true,
		"runtime/pprof.Do":                                 true,
		"runtimex.F":                                       false,
		"net/http.HandlerFunc.ServeHTTP":                   true,
		"net/http/httptest.(*Server).Start":                true,
		"net/rpc.Call":                                     false,
		"github.com/go-ddt/ddt/runtime/ddtrt.Enter":        true,
		"github.com/go-ddt/ddt/runtime/toolbar.Emit":       true,
		"github.com/go-ddt/ddt/runtime/panels/calls.F":     true,
		"github.com/go-ddt/ddt/runtime/toolbar_test.TestX": false,
		"github.com/go-ddt/ddt/internal/demo.(*Flags).F":   false,
		"example.com/vendored/lib.F":                       true,
		"example.com/vendoredx.F":                          false,
		"testing.tRunner":                                  true,
		"main.handler.func1":                               false,
		// Library frames between a template and the helper it calls.
		"text/template.(*state).evalCall":                   true,
		"text/template/parse.(*Tree).Parse":                 true,
		"html/template.(*Template).Execute":                 true,
		"reflect.Value.call":                                true,
		"reflect.Value.Call":                                true,
		"internal/fmtsort.Sort":                             true,
		"fmt.(*pp).handleMethods":                           true,
		"sort.Slice":                                        true,
		"slices.SortFunc[...]":                              true,
		"sync.(*Once).doSlow":                               true,
		"encoding/json.Marshal":                             true,
		"reflectx.F":                                        false,
		"internalx/a.F":                                     false,
		"example.com/app/internal/db.F":                     false,
		"example.com/app/text/template.F":                   false,
		"github.com/go-ddt/ddt/internal/demo.helpers.func1": false,
	} {
		if got := c.hidden(fn); got != want {
			t.Errorf("hidden(%q) = %v, want %v", fn, got, want)
		}
	}
}

func TestSymbolize(t *testing.T) {
	pcs := make([]uintptr, 32)
	pcs = pcs[:runtime.Callers(1, pcs)]
	_, file, line, _ := runtime.Caller(0)
	line-- // the line of runtime.Callers
	dir := filepath.Dir(file)
	c := &Config{
		EditorURL: "vscode://file/{path}:{line}",
		PathMap:   map[string]string{"/": "/wrong/", dir + "/": "/home/me/my src/"},
	}
	s := panel.Stack{PCs: pcs}
	Symbolize(&s, c)
	if len(s.Frames) < 3 {
		t.Fatalf("%d frames", len(s.Frames))
	}
	f := s.Frames[0]
	if !strings.HasSuffix(f.Func, "stacks.TestSymbolize") || f.File != file || f.Line != line {
		t.Errorf("first frame %+v, want TestSymbolize at %s:%d", f, file, line)
	}
	if want := "vscode://file/home/me/my%20src/symbolize_test.go:" + strconv.Itoa(line); f.EditURL != want {
		t.Errorf("EditURL = %q, want %q", f.EditURL, want)
	}
	last := s.Frames[len(s.Frames)-1]
	if last.Func != "runtime.goexit" || !last.Hidden {
		t.Errorf("last frame %+v, want runtime.goexit hidden", last)
	}
	frames := s.Frames
	Symbolize(&s, &Config{})
	if &s.Frames[0] != &frames[0] {
		t.Error("a symbolized stack was symbolized again")
	}
	if (&Config{EditorURL: "idea://open?file={path}&line={line}"}).editURL("/a/b.go", 3) != "idea://open?file=/a/b.go&line=3" {
		t.Error("an editor URL without a slash before {path} lost the path's own")
	}
}

type stackHolder struct {
	Direct   panel.Stack
	Ptr      *panel.Stack
	List     []struct{ S panel.Stack }
	Array    [2]panel.Stack
	Any      any
	Nested   *stackHolder
	Map      map[string]panel.Stack
	Numbers  []int
	unexport panel.Stack
}

func TestAll(t *testing.T) {
	pcs := make([]uintptr, 8)
	pcs = pcs[:runtime.Callers(1, pcs)]
	st := func() panel.Stack { return panel.Stack{PCs: pcs} }
	ptr := st()
	inAny := st()
	v := &stackHolder{
		Direct:   st(),
		Ptr:      &ptr,
		List:     []struct{ S panel.Stack }{{st()}, {st()}},
		Array:    [2]panel.Stack{st(), st()},
		Any:      &inAny,
		Nested:   &stackHolder{Direct: st()},
		Map:      map[string]panel.Stack{"a": st()},
		Numbers:  []int{1, 2, 3},
		unexport: st(),
	}
	All(v, nil)
	// The first stack met keeps the frames; the others, of the same call
	// site, repeat it.
	if len(v.Direct.Frames) == 0 || v.Direct.ID != 1 || v.Direct.Same != 0 {
		t.Fatalf("Direct: %d frames, ID %d, Same %d; want frames and ID 1", len(v.Direct.Frames), v.Direct.ID, v.Direct.Same)
	}
	repeats := map[string]*panel.Stack{
		"Ptr": v.Ptr, "List[1]": &v.List[1].S, "Array[1]": &v.Array[1], "Any": &inAny, "Nested": &v.Nested.Direct,
	}
	for name, s := range repeats {
		if s.Same != 1 || len(s.Frames) != 0 {
			t.Errorf("%s: Same %d, %d frames; want a repeat of stack 1", name, s.Same, len(s.Frames))
		}
	}
	if len(v.Map["a"].Frames) != 0 || len(v.unexport.Frames) != 0 || v.Map["a"].Same != 0 || v.unexport.Same != 0 {
		t.Error("a map value or an unexported field was symbolized")
	}
	Resolve(v)
	for name, s := range repeats {
		if len(s.Frames) == 0 || &s.Frames[0] != &v.Direct.Frames[0] {
			t.Errorf("%s: not given the frames of stack 1", name)
		}
	}
}

func TestSymbolizeAllRepeats(t *testing.T) {
	var stacks [3]panel.Stack
	for i := range stacks {
		pcs := make([]uintptr, 8)
		stacks[i].PCs = pcs[:runtime.Callers(1, pcs)] // the same call site each time
	}
	other := make([]uintptr, 8)
	other = other[:runtime.Callers(1, other)]
	type holder struct {
		S     []panel.Stack
		Other panel.Stack
	}
	v := holder{stacks[:], panel.Stack{PCs: other}}
	All(&v, nil)
	if v.S[0].ID != 1 || v.S[1].Same != 1 || v.S[2].Same != 1 || len(v.S[2].Frames) != 0 {
		t.Errorf("stacks of one call site: %+v", v.S)
	}
	if v.Other.ID != 0 || v.Other.Same != 0 || v.Other.Frames[0].Line == v.S[0].Frames[0].Line {
		t.Errorf("a stack of another call site: %+v", v.Other)
	}

	// Stored and read back, the repeats carry only the ID of the first.
	stats, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(stats), `"func":`); n != len(v.S[0].Frames)+len(v.Other.Frames) {
		t.Errorf("%d frames in the JSON, want those of the two call sites only:\n%s", n, stats)
	}
	var back holder
	if err := json.Unmarshal(stats, &back); err != nil {
		t.Fatal(err)
	}
	Resolve(&back)
	if !reflect.DeepEqual(back.S[2].Frames, v.S[0].Frames) || !reflect.DeepEqual(back.Other.Frames, v.Other.Frames) {
		t.Errorf("frames after decoding and ResolveStacks: %+v", back)
	}
}

// TestTemplateFramesHidden: in a stack captured in a helper that a
// template calls, the frames of text/template, reflect and fmt between the
// helper and the code that executed the template are hidden.
func TestTemplateFramesHidden(t *testing.T) {
	var pcs []uintptr
	tmpl := template.Must(template.New("t").Funcs(template.FuncMap{
		"capture": func() string {
			pcs = make([]uintptr, 64)
			pcs = pcs[:runtime.Callers(1, pcs)]
			return "x"
		},
	}).Parse(`{{range $k, $v := .}}{{printf "%s" capture}}{{end}}`))
	if err := tmpl.Execute(io.Discard, map[string]int{"a": 1}); err != nil {
		t.Fatal(err)
	}
	// This package's own frames are hidden as ddt's; every other frame
	// here is library code.
	s := panel.Stack{PCs: pcs}
	Symbolize(&s, nil)
	var libraries []string
	for _, f := range s.Frames {
		if strings.HasPrefix(f.Func, "github.com/go-ddt/ddt/runtime/internal/stacks.") {
			continue
		}
		libraries = append(libraries, f.Func)
		if !f.Hidden {
			t.Errorf("library frame %s is not hidden", f.Func)
		}
	}
	if !slices.ContainsFunc(libraries, func(f string) bool { return strings.HasPrefix(f, "text/template.") }) ||
		!slices.ContainsFunc(libraries, func(f string) bool { return strings.HasPrefix(f, "reflect.") }) {
		t.Errorf("frames %q, want text/template's and reflect's among them", libraries)
	}
}
