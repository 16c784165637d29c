package toolbar_test

import (
	"context"

	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
)

// The functions below have the shape ddt instrument generates for
// //ddt:flag and //ddt:trace, written out by hand so that the toolbar is
// tested without the generator.

var siteMarkedFlag = ddtrt.Site{Kind: "flag", Func: "toolbar_test.markedFlag", Params: []string{"ctx", "name"}, Results: []string{""}, Ctx: 0, Req: -1, NameArg: 1}

// markedFlag is a flag evaluated with a context: attributed through it.
func markedFlag(ctx context.Context, name string) (__ddt_r0 bool) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteMarkedFlag, ctx, name)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	return len(name)%2 == 0
}

var siteMarkedFlagNoCtx = ddtrt.Site{Kind: "flag", Func: "toolbar_test.markedFlagNoCtx", Params: []string{"name"}, Results: []string{""}, Ctx: -1, Req: -1, NameArg: 0}

// markedFlagNoCtx has no context: attributed through the goroutine.
func markedFlagNoCtx(name string) (__ddt_r0 bool) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteMarkedFlagNoCtx, name)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	return len(name)%2 == 1
}

var siteMarkedTrace = ddtrt.Site{Kind: "trace", Func: "toolbar_test.markedTrace", Params: []string{"marker", "n"}, Results: []string{"", ""}, Ctx: -1, Req: -1, NameArg: 0}

// markedTrace is a //ddt:trace function without a context.
func markedTrace(marker string, n int) (__ddt_r0 string, __ddt_r1 error) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteMarkedTrace, marker, n)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0, __ddt_r1) }()
	}
	return marker, nil
}

var siteMarkedCustom = ddtrt.Site{Kind: "search", Func: "toolbar_test.markedCustom", Params: []string{"ctx", "query"}, Results: []string{"hits"}, Ctx: 0, Req: -1, NameArg: 1}

// markedCustom has a kind ("search") that no built-in panel receives.
func markedCustom(ctx context.Context, query string) (hits int) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteMarkedCustom, ctx, query)
		defer func() { __ddt_c.Exit(recover(), hits) }()
	}
	return len(query)
}
