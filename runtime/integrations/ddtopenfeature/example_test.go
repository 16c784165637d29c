package ddtopenfeature_test

import (
	"github.com/go-ddt/ddt/runtime/integrations/ddtopenfeature"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/memprovider"
)

// The README's wiring: the hook on every client, the provider wrapped.
func Example() {
	provider := memprovider.NewInMemoryProvider(flags())
	openfeature.AddHooks(ddtopenfeature.NewHook())                    // or client.AddHooks
	openfeature.SetProviderAndWait(ddtopenfeature.Provider(provider)) // timing and overrides
}
