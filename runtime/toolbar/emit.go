package toolbar

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"strconv"
	"time"
)

// Emit records an event for code that ddt does not instrument: a third-
// party client's hook, a log line, a cache lookup. It goes to the request
// of ctx, or of the current goroutine when ctx carries none (ctx may be
// nil), and from there to the panels that receive kind, exactly like a call
// of a function marked //ddt:<kind>. args are name/value pairs, as in
// log/slog: Emit(ctx, "cache", key, "hit", true, "bytes", n). When no
// request is being recorded anywhere, Emit returns at once.
func Emit(ctx context.Context, kind, name string, args ...any) {
	if !event.Active() {
		return
	}
	e := event.New()
	e.Kind, e.Name, e.Args = kind, name, fieldsOf(args)
	event.Emit(ctx, e)
	event.Release(e)
}

// Start is [Emit] for something that takes time: it begins the event and
// returns the function that ends it, with the results to record:
//
//	done := toolbar.Start(ctx, "search", query)
//	hits, err := index.Search(query)
//	done(len(hits), err)
func Start(ctx context.Context, kind, name string, args ...any) (end func(results ...any)) {
	if !event.Active() {
		return func(...any) {}
	}
	e := &event.Event{Kind: kind, Name: name, Args: fieldsOf(args), Start: time.Now()}
	return func(results ...any) {
		e.Duration = time.Since(e.Start)
		for i, r := range results {
			e.Results = append(e.Results, event.NewField("r"+strconv.Itoa(i), r))
		}
		event.Emit(ctx, e)
	}
}

// fieldsOf turns name/value pairs into fields. A value without a name, or
// a name that is not a string, gets the name "!BADKEY" as in log/slog.
func fieldsOf(args []any) []event.Field {
	if len(args) == 0 {
		return nil
	}
	fs := make([]event.Field, 0, (len(args)+1)/2)
	for len(args) > 0 {
		name, ok := args[0].(string)
		if !ok || len(args) == 1 {
			fs = append(fs, event.NewField("!BADKEY", args[0]))
			args = args[1:]
			continue
		}
		fs = append(fs, event.NewField(name, args[1]))
		args = args[2:]
	}
	return fs
}
