// Package ddtslog shows log/slog records in the toolbar's Logs panel: a
// [Handler] wraps the application's handler, passes every record on to it
// unchanged, and captures, for the request the record belongs to, its
// level, message, attributes and source line.
//
//	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(os.Stderr, nil), nil))
//
// # Attribution
//
// A record belongs to the request of the context given to the logger
// (InfoContext, Log...), or else to the request whose handler, or a
// goroutine it started, logged it. A record of no request, logged while
// some request is being recorded, is counted as unattributed.
//
// # Levels
//
// Records at or above Options.Level (slog.LevelDebug by default) are
// captured even when the wrapped handler would drop them, so the toolbar
// shows a request's debug logs while the console stays at info. While no
// request is recorded, Enabled is the wrapped handler's own, plus one
// atomic load.
//
// # Events
//
// A record is an event of kind [Kind] ("log"): its Name is the message
// (at most [MaxMessage] bytes), its Start the record's time, its Args the
// attributes, those of WithAttrs first, named with their groups joined by
// dots ("req.user_id"), and its Results one field, "level" ("INFO",
// "ERROR+2"). Its Stack holds the one program counter of the logging call,
// symbolized into the source line when the request's stats are saved.
//
// # Redaction
//
// An attribute whose name, with its groups, looks secret (see the panel
// package's IsSecret: password, api_key, token, session...) is replaced by
// "********" before it is captured. Values are rendered without calling
// their methods, as the toolbar renders arguments, except for errors,
// which are shown by their message.
package ddtslog
