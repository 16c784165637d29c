package callers

import (
	"runtime"
	"slices"
	"strings"
	"testing"
)

// outer calls inner, which captures; outer's package is the "library".
//
//go:noinline
func viaLibrary(s *Skipper) []uintptr { return s.Capture(0) }

func TestCaptureSkipsLibraryFrames(t *testing.T) {
	self := NewSkipper("github.com/go-ddt/ddt/runtime/integrations/internal/callers")
	pcs := self.Capture(0)
	// Every frame of this package is skipped, so the stack starts in the
	// testing package that called the test.
	f, _ := runtime.CallersFrames(pcs).Next()
	if !strings.HasPrefix(f.Function, "testing.") {
		t.Errorf("first frame %s, want the testing package's", f.Function)
	}

	none := NewSkipper("example.com/none")
	pcs = viaLibrary(none)
	f, _ = runtime.CallersFrames(pcs).Next()
	if !strings.HasSuffix(f.Function, "callers.viaLibrary") {
		t.Errorf("first frame %s, want viaLibrary", f.Function)
	}
	if pcs == nil || len(pcs) > 48 {
		t.Errorf("Capture returned %d pcs", len(pcs))
	}
}

func BenchmarkCapture(b *testing.B) {
	s := NewSkipper("testing")
	for b.Loop() {
		s.Capture(0)
	}
}

// captureInRange captures from inside a range over slices.Backward, as a
// library that runs its callbacks through an iterator does.
//
//go:noinline
func captureInRange(s *Skipper) (pcs []uintptr) {
	for range slices.Backward([]int{1}) {
		pcs = s.Capture(0)
	}
	return pcs
}

// TestCaptureSkipsIteratorFramesBetweenLibraryFrames: the iterator's
// frames between two library frames are the library's. With this package
// the library, the stack starts in the testing package, not at
// slices.Backward's function.
func TestCaptureSkipsIteratorFramesBetweenLibraryFrames(t *testing.T) {
	self := NewSkipper("github.com/go-ddt/ddt/runtime/integrations/internal/callers")
	f, _ := runtime.CallersFrames(captureInRange(self)).Next()
	if !strings.HasPrefix(f.Function, "testing.") {
		t.Errorf("first frame %s, want the testing package's", f.Function)
	}
	// An iterator's frame that the application's code follows is the
	// application's: it is where the stack starts.
	none := NewSkipper("example.com/none")
	f, _ = runtime.CallersFrames(captureInRange(none)).Next()
	if !strings.Contains(f.Function, "captureInRange") {
		t.Errorf("first frame %s, want captureInRange's loop body", f.Function)
	}
}
