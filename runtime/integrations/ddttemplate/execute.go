package ddttemplate

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/internal/callers"
	"github.com/go-ddt/ddt/runtime/redact"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Kind is the event kind of template executions; the Templates panel
// lists it.
const Kind = "template"

// Template is what ddttemplate executes: *html/template.Template and
// *text/template.Template.
type Template interface {
	Name() string
	Execute(w io.Writer, data any) error
	ExecuteTemplate(w io.Writer, name string, data any) error
}

// Execute applies t to data, writing to w, as t.Execute(w, data) does, and
// records the execution for the request of ctx (or of the goroutine).
func Execute(ctx context.Context, t Template, w io.Writer, data any) error {
	return run(ctx, t, w, "", data)
}

// ExecuteTemplate applies the template of t called name to data, as
// t.ExecuteTemplate(w, name, data) does, and records the execution.
func ExecuteTemplate(ctx context.Context, t Template, w io.Writer, name string, data any) error {
	return run(ctx, t, w, name, data)
}

var skipper = callers.NewSkipper("github.com/go-ddt/ddt/runtime/integrations/ddttemplate")

// run executes and records. Its frames in a stack count how deep an
// execution is nested: keep it the only function that calls the
// template's methods.
//
//go:noinline
func run(ctx context.Context, t Template, w io.Writer, name string, data any) error {
	if !event.Active() {
		if name == "" {
			return t.Execute(w, data)
		}
		return t.ExecuteTemplate(w, name, data)
	}
	e := event.New()
	*e = event.Event{Kind: Kind, Name: name, Args: dataFields(data)}
	if name == "" {
		e.Name = t.Name()
	}
	pcs := skipper.Capture(1)
	depth := nesting(pcs)
	cw := &countingWriter{w: w}
	e.Start = time.Now()
	var err error
	if name == "" {
		err = t.Execute(cw, data)
	} else {
		err = t.ExecuteTemplate(cw, name, data)
	}
	e.Duration = time.Since(e.Start)
	if !event.WantStacks(ctx) {
		pcs = []uintptr{}
	}
	e.Stack = pcs
	typ := "nil"
	if data != nil {
		typ = reflect.TypeOf(data).String()
	}
	e.Results = []event.Field{
		{Name: "type", Value: typ, Raw: typ},
		event.NewField("depth", depth),
		event.NewField("bytes", cw.n),
	}
	if err != nil {
		msg := err.Error()
		e.Results = append(e.Results, event.Field{Name: "err", Value: strconv.Quote(msg), Raw: msg})
	}
	event.Emit(ctx, e)
	event.Release(e)
	return err
}

// runPCs caches which program counters are in run.
var runPCs sync.Map // uintptr -> bool

// nesting counts the frames of run in pcs: the executions this one is
// nested in.
func nesting(pcs []uintptr) int {
	n := 0
	for _, pc := range pcs {
		in, ok := runPCs.Load(pc)
		if !ok {
			fn := runtime.FuncForPC(pc - 1)
			in = fn != nil && fn.Name() == runName
			runPCs.Store(pc, in)
		}
		if in.(bool) {
			n++
		}
	}
	return n
}

// runName is the qualified name of run.
var runName string

func init() { runName = runtime.FuncForPC(reflect.ValueOf(run).Pointer()).Name() }

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// dataFields renders the data of an execution: a struct by its exported
// fields, a map with string keys by its entries, anything else whole.
func dataFields(data any) []event.Field {
	v := reflect.ValueOf(data)
	for i := 0; i < event.MaxRenderDepth && v.Kind() == reflect.Pointer && !v.IsNil(); i++ {
		v = v.Elem()
	}
	var fs []event.Field
	switch {
	case v.Kind() == reflect.Struct:
		t := v.Type()
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() {
				if len(fs) == event.MaxRenderElems {
					fs = append(fs, event.Field{Name: event.Truncated, Value: strconv.Itoa(exported(t)-len(fs)) + " more"})
					break
				}
				fs = append(fs, named(f.Name, v.Field(i)))
			}
		}
		return fs
	case v.Kind() == reflect.Map && v.Type().Key().Kind() == reflect.String && !v.IsNil():
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int {
			if a.String() < b.String() {
				return -1
			}
			if a.String() > b.String() {
				return 1
			}
			return 0
		})
		for i, k := range keys {
			if i == event.MaxRenderElems {
				fs = append(fs, event.Field{Name: event.Truncated, Value: strconv.Itoa(len(keys)-i) + " more"})
				break
			}
			fs = append(fs, named(k.String(), v.MapIndex(k)))
		}
		return fs
	}
	return []event.Field{event.NewField("data", data)}
}

func named(name string, v reflect.Value) event.Field {
	if redact.IsSecret(name) {
		return event.Field{Name: name, Type: v.Type().String(), Value: redact.Redacted}
	}
	return event.NewField(name, v.Interface())
}

func exported(t reflect.Type) int {
	n := 0
	for i := range t.NumField() {
		if t.Field(i).IsExported() {
			n++
		}
	}
	return n
}
