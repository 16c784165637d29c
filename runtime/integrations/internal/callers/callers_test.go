package callers

import (
	"runtime"
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
