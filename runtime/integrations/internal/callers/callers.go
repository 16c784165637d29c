// Package callers captures the stack of the application code that called
// into a library, without the library's own frames: the SQL, outbound HTTP
// and template integrations record where the application made the call,
// not where database/sql or net/http made it.
package callers

import (
	"github.com/go-ddt/ddt/internal/funcname"

	"runtime"
	"strings"
	"sync"

	"github.com/go-ddt/ddt/runtime/event"
)

// Skipper tells which leading frames of a stack belong to libraries.
// Its answers are cached per program counter, so after warm-up a capture
// costs runtime.Callers plus a map lookup per skipped frame.
type Skipper struct {
	prefixes []string
	cache    sync.Map // uintptr -> int, the frame's kind
}

// NewSkipper returns a Skipper for the frames of the given packages and
// their subpackages, and of the runtime.
func NewSkipper(packages ...string) *Skipper {
	return &Skipper{prefixes: append([]string{"runtime"}, packages...)}
}

// Capture returns the program counters of the current goroutine's stack,
// starting at the first frame above skip (0 is Capture's caller) that
// belongs to none of the Skipper's packages, at most event.MaxStackDepth
// of them. The result is never nil, so that event.Emit does not
// capture a stack of its own.
func (s *Skipper) Capture(skip int) []uintptr {
	var pcs [event.MaxStackDepth + 16]uintptr
	n := runtime.Callers(skip+2, pcs[:])
	i := 0
	for i < n {
		if s.kind(pcs[i]) == library {
			i++
			continue
		}
		// A library that calls back through an iterator (Go 1.27's
		// OpenFeature SDK runs its hooks in a range over slices.Backward)
		// has the standard library's iterator frames between its own:
		// those are the library's too, when a library frame follows.
		j := i
		for j < n && s.kind(pcs[j]) == iteratorPlumbing {
			j++
		}
		if j > i && j < n && s.kind(pcs[j]) == library {
			i = j
			continue
		}
		break
	}
	end := min(n, i+event.MaxStackDepth)
	return append(make([]uintptr, 0, end-i), pcs[i:end]...)
}

// Kinds of frame.
const (
	application      = iota
	library          // of the Skipper's packages, or the runtime
	iteratorPlumbing // of slices, maps or iter: a library's only between its frames
)

func (s *Skipper) kind(pc uintptr) int {
	if v, ok := s.cache.Load(pc); ok {
		return v.(int)
	}
	// The outermost frame at pc is the function that holds the code;
	// inlined frames are the functions inlined into it.
	fn := ""
	frames := runtime.CallersFrames([]uintptr{pc})
	for {
		f, more := frames.Next()
		fn = f.Function
		if !more {
			break
		}
	}
	k := application
	switch pkg := funcname.Package(fn); {
	case fn == "" || s.matches(pkg):
		k = library
	case pkg == "slices" || pkg == "maps" || pkg == "iter":
		k = iteratorPlumbing
	}
	s.cache.Store(pc, k)
	return k
}

func (s *Skipper) matches(pkg string) bool {
	for _, p := range s.prefixes {
		if pkg == p || strings.HasPrefix(pkg, p) && pkg[len(p)] == '/' {
			return true
		}
	}
	return false
}
