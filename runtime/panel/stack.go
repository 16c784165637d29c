package panel

// Stack is the stack trace of the code that caused an event. It is captured
// as program counters, which cost little, and symbolized into Frames only
// for requests whose stats are generated: the toolbar symbolizes every
// Stack in a panel's stats right after GenerateStats .
//
// A request that calls a marked function in a loop has thousands of
// identical stacks. The toolbar keeps the frames of the first of them
// only: it gives that one an ID, and each later one the ID as Same and no
// frames, so the stats hold, and the panel renders, each stack once; it
// gives the repeats their frames back before a panel's template runs.
type Stack struct {
	PCs    []uintptr `json:"-"`
	Frames []Frame   `json:"frames,omitempty"`
	// ID numbers, from 1 within one panel's stats, a stack that later
	// stacks repeat; 0 when none does.
	ID int `json:"id,omitempty"`
	// Same is the ID of the stack this one repeats; it has no Frames then.
	Same int `json:"same,omitempty"`
}

// Frame is one symbolized frame of a [Stack], innermost first.
type Frame struct {
	Func    string `json:"func"`
	File    string `json:"file"` // as compiled, so the user's original file
	Line    int    `json:"line"`
	Hidden  bool   `json:"hidden,omitempty"`   // a frame of the runtime, net/http, ddt or a configured package
	EditURL string `json:"edit_url,omitempty"` // opens File at Line in an editor, when configured
}

// StackOf returns the stack captured with e.
func StackOf(e *Event) Stack { return Stack{PCs: e.Stack} }

// DefaultHidden are the packages whose frames are hidden in every stack
// trace: their code is rarely what a reader looks for. A package hides its
// subpackages too. Besides the runtime, net/http and ddt, they are the
// standard library's packages that call the user's code back (a template
// calling a helper through reflect, fmt calling a String method, a sort's
// less function, sync.Once.Do) and the internal packages they use: a stack
// trace through a template shows the handler, the helper, and nothing of
// text/template's machinery in between.
var DefaultHidden = []string{
	"runtime",
	"net/http",
	"github.com/go-ddt/ddt/runtime/ddtrt",
	"github.com/go-ddt/ddt/runtime/event",
	"github.com/go-ddt/ddt/runtime/internal",
	"github.com/go-ddt/ddt/runtime/panel",
	"github.com/go-ddt/ddt/runtime/toolbar",
	"github.com/go-ddt/ddt/runtime/panels",
	"text/template",
	"html/template",
	"reflect",
	"internal", // internal/fmtsort, internal/poll, ...
	"fmt",
	"sort",
	"slices",
	"maps",
	"iter",
	"sync",
	"context",
	"encoding/json",
	"database/sql",
	"log/slog",
	"testing",
	"go.opentelemetry.io", // the OpenTelemetry SDK and its instrumentation, around spans ddtotel files
}
