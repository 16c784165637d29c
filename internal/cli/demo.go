package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/go-ddt/ddt/internal/demo"
	"github.com/go-ddt/ddt/runtime/integrations/ddtslog"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/spf13/cobra"
)

type demoOptions struct {
	IO   IO
	Addr string
	// Ready, when set, receives the URL once the server listens (tests).
	Ready func(url string)
	// Context, when set, stops the server when done (tests); by default
	// SIGINT and SIGTERM do.
	Context context.Context
}

// NewCmdDemo returns "ddt demo".
func NewCmdDemo(streams IO, runF func(*demoOptions) error) *cobra.Command {
	opts := &demoOptions{IO: streams}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve a demo app with the toolbar",
		Long: `Serve the demo app: a school dashboard whose feature flags are marked
//ddt:flag, with its data in an in-memory SQLite database, behind the
toolbar. Open the printed URL and click the DDT handle on the right.`,
		Example: `  ddt demo
  ddt demo --addr 127.0.0.1:9000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runDemo(opts)
		},
	}
	cmd.Flags().StringVar(&opts.Addr, "addr", "127.0.0.1:8000", "address to listen on")
	return cmd
}

func runDemo(opts *demoOptions) error {
	ctx := opts.Context
	if ctx == nil {
		var stop context.CancelFunc
		ctx, stop = signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
	}
	ln, err := net.Listen("tcp", opts.Addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return fmt.Errorf("%s is already in use; pick another address with --addr, such as --addr 127.0.0.1:8001", opts.Addr)
		}
		return fmt.Errorf("listening on %s: %w", opts.Addr, err)
	}
	db, err := demo.OpenDB(ctx)
	if err != nil {
		ln.Close()
		return err
	}
	defer db.Close()
	// Log records go to stderr and to the toolbar's Logs panel.
	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(opts.IO.Err, nil), nil))
	app := demo.New(db, logger)
	srv := &http.Server{
		Handler:           toolbar.Middleware(app.Handler(), toolbar.Options{Enable: toolbar.On}), // ddt itself is not built by ddt
		ReadHeaderTimeout: 10 * time.Second,
	}
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(opts.IO.Out, "ddt demo: serving on %s (Ctrl-C to stop)\n", url)
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
	fmt.Fprintln(opts.IO.Out, "ddt demo: stopped")
	return nil
}
