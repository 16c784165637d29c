package bus

import (
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// want is what runtime.Callers reports from its caller's caller: the
// reference captureStack(1) must match.
//
//go:noinline
func want() []uintptr {
	var pcs [MaxStackDepth]uintptr
	n := runtime.Callers(3, pcs[:])
	return slices.Clone(pcs[:n])
}

// both captures the stack of its caller twice, through captureStack and
// through runtime.Callers, on the same line so that the PCs agree.
//
//go:noinline
func both() (got, ref []uintptr) {
	got, ref = captureStack(1), want()
	return
}

func frames(pcs []uintptr) []string {
	var out []string
	fs := runtime.CallersFrames(pcs)
	for {
		f, more := fs.Next()
		out = append(out, fmt.Sprintf("%s:%d", f.Function, f.Line))
		if !more {
			return out
		}
	}
}

func checkStack(t *testing.T, got, ref []uintptr) {
	t.Helper()
	g, r := frames(got), frames(ref)
	// The two captures are on one line of both(), so only the innermost
	// frame's PC may differ; every frame must name the same function and
	// line.
	if !slices.Equal(g, r) {
		t.Fatalf("captureStack:\n%v\nruntime.Callers:\n%v", g, r)
	}
}

// inlinedCaller is small enough to be inlined into its callers: the
// frame-pointer walk does not see it, the cached logical stack must.
func inlinedCaller() (got, ref []uintptr) { return both() }

type shape struct{ n int }

//go:noinline
func (s shape) method() (got, ref []uintptr) { return both() }

//go:noinline
func recurse(n int) (got, ref []uintptr) {
	if n == 0 {
		return both()
	}
	got, ref = recurse(n - 1)
	return
}

func TestCaptureStackMatchesCallers(t *testing.T) {
	cases := map[string]func() ([]uintptr, []uintptr){
		"direct":  both,
		"inlined": func() ([]uintptr, []uintptr) { return inlinedCaller() },
		"method value": func() ([]uintptr, []uintptr) {
			f := shape{}.method
			return f()
		},
		"closure": func() (got, ref []uintptr) {
			func() { got, ref = both() }()
			return
		},
		"deferred": func() (got, ref []uintptr) {
			defer func() { got, ref = both() }()
			return
		},
		"recovering": func() (got, ref []uintptr) {
			defer func() { recover(); got, ref = both() }()
			panic("boom")
		},
		"recursion 10":  func() ([]uintptr, []uintptr) { return recurse(10) },
		"recursion 100": func() ([]uintptr, []uintptr) { return recurse(100) },
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			for range 3 { // the first miss, then hits
				got, ref := f()
				checkStack(t, got, ref)
			}
		})
	}
}

func TestCaptureStackUsesTheWalk(t *testing.T) {
	if !framePointers {
		t.Skip("no frame pointers on " + runtime.GOARCH)
	}
	before := stackStats.cached.Load()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 100 {
			both()
		}
	}()
	<-done
	if hits := stackStats.cached.Load() - before; hits < 99 {
		t.Fatalf("%d cache hits in 100 captures of one stack, want >= 99", hits)
	}
}

func TestCaptureStackConcurrently(t *testing.T) {
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 500 {
				got, ref := recurse((g + i) % 7)
				checkStack(t, got, ref)
			}
		})
	}
	wg.Wait()
}

func BenchmarkCaptureStack(b *testing.B) {
	b.Run("captureStack", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			captureStack(1)
		}
	})
	b.Run("runtime.Callers", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			callers(1)
		}
	})
}
