package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"

	"github.com/go-ddt/ddt/internal/mcpserver"
	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"
)

// DefaultMCPURL is the app "ddt mcp" reads unless told otherwise: where
// "ddt demo" and most development servers listen.
const DefaultMCPURL = "http://127.0.0.1:8000"

// NewCmdMCP returns "ddt mcp".
func NewCmdMCP(streams IO) *cobra.Command {
	var toolbarURL string
	cmd := &cobra.Command{
		Use:   "mcp",
		Short: "Serve a running app's toolbar to a coding agent over MCP (stdio)",
		Long: `mcp is a Model Context Protocol server on its standard input and output. It
reads the requests that a running app's toolbar recorded, through the
toolbar's JSON API (/__debug__/api/v1/), and offers the agent tools to list
them, read their panels, find slow and duplicated SQL, list feature flag
evaluations and their call sites, and explain a query; each request is also
the resource ddt://requests/{id}.

The app must be running with the toolbar on, and let the server in: the
toolbar's default rule admits loopback clients.`,
		Example: `  ddt mcp                                  # the app on http://127.0.0.1:8000
  ddt mcp --url http://127.0.0.1:8080      # another port
  ddt mcp --url http://127.0.0.1:8080/_tb/ # a toolbar mounted at another prefix`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := debugapi.NewClient(toolbarURL)
			if err != nil {
				return &ExitError{Code: 2, Err: fmt.Errorf("--url: %v", err)}
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt)
			defer stop()
			return serveMCP(ctx, c, streams)
		},
	}
	cmd.Flags().StringVar(&toolbarURL, "url", DefaultMCPURL, "the running app's address, with the toolbar's prefix when it is not /__debug__/")
	return cmd
}

// serveMCP serves MCP on the streams until the client goes away.
func serveMCP(ctx context.Context, c *debugapi.Client, streams IO) error {
	if ctx == nil {
		ctx = context.Background()
	}
	s := mcpserver.New(c, moduleVersion())
	t := &mcp.IOTransport{Reader: io.NopCloser(streams.In), Writer: nopWriteCloser{streams.Out}}
	err := s.Run(ctx, t)
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }
