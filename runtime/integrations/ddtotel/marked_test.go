package ddtotel_test

import (
	"context"

	__ddt "github.com/go-ddt/ddt/runtime/ddtrt"
)

// markedPanics is a function marked //ddt:trace in the shape ddt
// instrument generates, so that the exporter sees a marked call that
// panicked.
var siteMarkedPanics = __ddt.Site{Kind: "trace", Func: "ddtotel_test.markedPanics", Params: []string{"ctx"}, Ctx: 0, Req: -1, NameArg: -1}

func markedPanics(ctx context.Context) {
	if __ddt.Active() {
		__ddt_c := __ddt.Enter(&siteMarkedPanics, ctx)
		defer func() { __ddt_c.Exit(recover()) }()
	}
	panic("out of lessons")
}
