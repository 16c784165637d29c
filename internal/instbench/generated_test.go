package instbench

import (
	"bytes"
	"context"
	"flag"
	"github.com/go-ddt/ddt/runtime/event"
	"os"
	"testing"

	"github.com/go-ddt/ddt/instrument"
)

var update = flag.Bool("update", false, "rewrite funcs.go with the current instrumentation")

// TestGeneratedIsCurrent fails when funcs.go is not what package
// instrument generates for it now, so the benchmarks always measure the
// current generated code. Run with -update to regenerate.
func TestGeneratedIsCurrent(t *testing.T) {
	res, err := instrument.Run(instrument.Config{Dir: ".", Patterns: []string{"."}, Mode: instrument.InPlace})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Diagnostics) > 0 || len(res.Warnings) > 0 {
		t.Fatalf("diagnostics: %v, warnings: %v", res.Diagnostics, res.Warnings)
	}
	if len(res.Files) != 1 || res.Files[0].Sites != 2 {
		t.Fatalf("want funcs.go with 2 sites, got %+v", res.Files)
	}
	f := res.Files[0]
	if !f.Changed() {
		return
	}
	if *update {
		if err := os.WriteFile(f.Path, f.Output, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s is not the current instrumentation (go test -run TestGeneratedIsCurrent -update ./internal/instbench/):\n%s", f.Path, f.Output)
}

// TestInstrumentedRecords proves the benchmarked functions are really
// instrumented: inside a bound request they record events.
func TestInstrumentedRecords(t *testing.T) {
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "bench", rec)
	FlagEnabled(ctx, "ab")
	Double(2)
	unbind()
	evs := rec.Events()
	if len(evs) != 2 || evs[0].Name != "ab" || evs[0].Result() != true || evs[1].Func != "instbench.Double" {
		var b bytes.Buffer
		for _, e := range evs {
			b.WriteString(e.Kind + " " + e.Func + "\n")
		}
		t.Fatalf("events:\n%s", b.String())
	}
}
