// Package logs is the toolbar's Logs panel: the log/slog records of a
// request, captured by the handler of package
// github.com/go-ddt/ddt/runtime/integrations/ddtslog (events of kind
// "log"), with their time, level (coloured), message, attributes (secrets
// redacted) and source line. The toolbar's list shows "5 messages", and
// how many were errors or warnings.
//
//	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(os.Stderr, nil), nil))
//	h := toolbar.Middleware(mux, toolbar.Options{Panels: []func() panel.Panel{logs.New}})
package logs
