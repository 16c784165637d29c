//go:build ddt_portable

package bus

import (
	"runtime"
	"testing"
)

// With the ddt_portable tag, stacks come from runtime.Callers and the
// clock from time.Now: nothing of the runtime's internals is read for
// either, and events still carry both.
func TestPortable(t *testing.T) {
	if framePointers || haveTSC {
		t.Fatalf("framePointers = %v, haveTSC = %v under ddt_portable, want false", framePointers, haveTSC)
	}
	before := stackStats.fallback.Load()
	pcs := captureStack(0)
	if stackStats.fallback.Load() == before {
		t.Error("captureStack did not fall back to runtime.Callers")
	}
	if len(pcs) == 0 {
		t.Fatal("no stack")
	}
	f, _ := runtime.CallersFrames(pcs).Next()
	if f.Function != "github.com/go-ddt/ddt/runtime/internal/bus.TestPortable" {
		t.Errorf("first frame %s, want TestPortable", f.Function)
	}
	c := newClock()
	start := c.now()
	if d := c.since(start); d < 0 {
		t.Errorf("since = %v", d)
	}
}
