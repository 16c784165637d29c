// Command ddt-demo serves the demo app with the toolbar. "ddt demo" builds
// and runs it, so that the ddt command does not link the demo's SQLite
// driver, and an app that adds ddt as a tool does not require it.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/go-ddt/ddt/internal/demo"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8000", "address to listen on")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := demo.Serve(ctx, demo.ServeOptions{Addr: *addr, Out: os.Stdout, Err: os.Stderr})
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "ddt demo:", err)
		os.Exit(1)
	}
}
