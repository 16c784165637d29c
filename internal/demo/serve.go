package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"syscall"
	"time"

	"github.com/go-ddt/ddt/runtime/integrations/ddtslog"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

// ServeOptions configure [Serve].
type ServeOptions struct {
	Addr string    // where to listen
	Out  io.Writer // where the address is printed
	Err  io.Writer // where the app logs
	// Ready, when set, receives the URL once the server listens (tests).
	Ready func(url string)
}

// Serve serves the demo app behind the toolbar on opts.Addr, with its data
// in a new in-memory SQLite database, until ctx is done.
func Serve(ctx context.Context, opts ServeOptions) error {
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%s is already in use; pick another address with --addr, such as --addr 127.0.0.1:8001", opts.Addr)
		}
		return fmt.Errorf("listening on %s: %w", opts.Addr, err)
	}
	db, err := OpenDB(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	defer db.Close()
	// Log records go to stderr and to the toolbar's Logs panel.
	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(opts.Err, nil), nil))
	app, err := New(db, logger)
	if err != nil {
		ln.Close()
		return err
	}
	srv := &http.Server{
		Handler:           toolbar.Middleware(app.Handler(), toolbar.Options{Enable: toolbar.On}), // committed instrumentation, plain go build
		ReadHeaderTimeout: 10 * time.Second,
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(opts.Out, "ddt demo: serving on %s (Ctrl-C to stop)\n", url)
	if opts.Ready != nil {
		opts.Ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	fmt.Fprintln(opts.Out, "ddt demo: stopped")
	return nil
}
