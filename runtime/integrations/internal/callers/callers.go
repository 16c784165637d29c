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
	cache    sync.Map // uintptr -> bool (the frame is a library's)
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
	for i < n && s.library(pcs[i]) {
		i++
	}
	end := min(n, i+event.MaxStackDepth)
	return append(make([]uintptr, 0, end-i), pcs[i:end]...)
}

func (s *Skipper) library(pc uintptr) bool {
	if v, ok := s.cache.Load(pc); ok {
		return v.(bool)
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
	lib := fn == "" || s.matches(funcname.Package(fn))
	s.cache.Store(pc, lib)
	return lib
}

func (s *Skipper) matches(pkg string) bool {
	for _, p := range s.prefixes {
		if pkg == p || strings.HasPrefix(pkg, p) && pkg[len(p)] == '/' {
			return true
		}
	}
	return false
}
