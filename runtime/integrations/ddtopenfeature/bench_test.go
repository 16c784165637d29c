package ddtopenfeature_test

import (
	"context"
	"testing"

	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddtopenfeature"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/memprovider"
)

// discardSink receives the recorded events and keeps nothing; it wants
// stacks, as the toolbar does.
type discardSink struct{}

func (discardSink) Record(*event.Event) {}

// BenchmarkEvaluation is the cost of one OpenFeature evaluation of a
// targeted boolean flag (in-memory provider): without ddt, with ddt's hook
// and provider wrapper while no request is recorded, and recorded.
func BenchmarkEvaluation(b *testing.B) {
	plain := benchClient(b, "bench-plain", false)
	ddt := benchClient(b, "bench-ddt", true)
	who := openfeature.NewEvaluationContext("alice", map[string]any{"role": "teacher"})
	run := func(c *openfeature.Client, ctx context.Context) func(*testing.B) {
		return func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if v, err := c.BooleanValue(ctx, "new-checkout", false, who); err != nil || !v {
					b.Fatal(v, err)
				}
			}
		}
	}
	b.Run("without-ddt", run(plain, context.Background()))
	b.Run("hook-inactive", run(ddt, context.Background()))
	ctx, unbind := event.Bind(context.Background(), "bench", discardSink{})
	defer unbind()
	b.Run("without-ddt-while-recording", run(plain, ctx))
	b.Run("hook-recorded", run(ddt, ctx))
}

func benchClient(b *testing.B, domain string, withDDT bool) *openfeature.Client {
	var p openfeature.FeatureProvider = memprovider.NewInMemoryProvider(flags())
	if withDDT {
		p = ddtopenfeature.Provider(p)
	}
	if err := openfeature.SetNamedProviderAndWait(domain, p); err != nil {
		b.Fatal(err)
	}
	c := openfeature.NewClient(domain)
	if withDDT {
		c.AddHooks(ddtopenfeature.NewHook())
	}
	return c
}
