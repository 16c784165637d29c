package bus

import (
	"time"
)

// Site describes one marked function. Generated code declares one Site per
// marked function as a package-level variable and passes its address to
// [Enter]; it is never modified after initialization.
type Site struct {
	Kind    string            // directive kind: "flag", "trace", or a custom kind
	Func    string            // qualified name: pkg.Func, pkg.(*T).Method, pkg.Func[T]
	File    string            // file of the declaration, relative to its module root
	Line    int               // line of the func keyword
	Params  []string          // parameter names in order; "_" or "" for unnamed ones
	Results []string          // result names in order; "" for unnamed ones
	Ctx     int               // index in Params of a context.Context parameter, or -1
	Req     int               // index of a parameter with a Context() method (*http.Request), or -1
	Options map[string]string // the directive's key=value options, such as name=flag
	// NameArg is the index in Params of the argument that names what the event
	// is about (the flag name for kind "flag"), or -1.
	NameArg int
}

// Field is one rendered argument or result.
type Field struct {
	Name  string `json:"name"`
	Type  string `json:"type,omitempty"`
	Value string `json:"value"` // Go-syntax rendering, bounded in size and depth
	// Raw holds the value itself when it is a bool, a number or a string
	// (strings truncated like Value), so panels can use it without parsing.
	Raw any `json:"raw,omitempty"`
}

// Event is one recorded call of a marked function, or one manual emission.
type Event struct {
	Kind     string        `json:"kind"`
	Func     string        `json:"func,omitempty"`
	Name     string        `json:"name,omitempty"` // what the event is about: the flag name for kind "flag"
	Args     []Field       `json:"args,omitempty"` // all but a marked function's context.Context parameter
	Results  []Field       `json:"results,omitempty"`
	Start    time.Time     `json:"start"`
	Duration time.Duration `json:"duration"`
	Panicked bool          `json:"panicked,omitempty"`
	Panic    string        `json:"panic,omitempty"`
	// Stack holds the program counters of the caller's stack, innermost
	// first, starting with the frame that called the marked function.
	// Symbolize with runtime.CallersFrames when rendering. Events with
	// the same stack share one slice: it must not be modified.
	Stack []uintptr `json:"-"`
	Site  *Site     `json:"-"`
	// Via says how the event was found to belong to its request (one of
	// the Via constants), or is "" for an event of no request.
	Via string `json:"via,omitempty"`
	// Goroutine is the id of the goroutine the call ran on, or 0 where
	// ddt cannot read it.
	Goroutine uint64 `json:"goroutine,omitempty"`
	// Unattributed says why an event belongs to no request; "" otherwise.
	Unattributed string `json:"unattributed,omitempty"`
	// Override is the value that the code received instead of the first
	// result, forced from the toolbar (see [SetFlagOverrides]); "" when
	// none was. Results hold what was really computed.
	Override string `json:"override,omitempty"`
}

// How an event was attributed to its request ([Event.Via]).
const (
	ViaContext = "ctx"               // a context.Context argument
	ViaRequest = "request"           // an argument with a Context method (*http.Request)
	ViaHandler = "handler goroutine" // it ran on the goroutine serving the request
	ViaChild   = "child goroutine"   // on a goroutine the handler started that ended before the handler returned
)

// Result returns the first result's raw value, or nil.
func (e *Event) Result() any {
	if len(e.Results) == 0 {
		return nil
	}
	return e.Results[0].Raw
}

// A Sink receives the events attributed to one request, one at a time
// (the calls come from any goroutine, never two at once), and none once the
// function that Bind returned has returned.
//
// Record must not keep e after it returns: the Event of a marked call is
// reused by the next one. What e points to is never reused and may be kept:
// its Args and Results slices, the strings in them, and its Stack. To keep
// the event itself, keep a copy (ev := *e).
//
// A Sink that is also a [StackWanter] and returns false from WantStacks
// receives events without stacks, and the calls recorded for it skip the
// cost of capturing them.
type Sink interface {
	Record(e *Event)
}

// A StackWanter is a [Sink] that says whether the events recorded for it
// should carry stacks. Integrations that capture stacks themselves ask it
// too, through [WantStacks].
type StackWanter interface {
	WantStacks() bool
}

// Text returns the field for display: a string as it is, anything else in
// its Go-syntax rendering.
func (f Field) Text() string {
	if s, ok := f.Raw.(string); ok {
		return s
	}
	return f.Value
}

// Arg returns the display text of the argument called name, or "".
func (e *Event) Arg(name string) string {
	for _, f := range e.Args {
		if f.Name == name {
			return f.Text()
		}
	}
	return ""
}

// ResultText returns the display text of the i'th result (from 0), or "".
func (e *Event) ResultText(i int) string {
	if i < 0 || i >= len(e.Results) {
		return ""
	}
	return e.Results[i].Text()
}

// ResultNamed returns the display text of the result called name, or "".
func (e *Event) ResultNamed(name string) string {
	for _, f := range e.Results {
		if f.Name == name {
			return f.Text()
		}
	}
	return ""
}
