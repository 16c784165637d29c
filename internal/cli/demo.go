package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/go-ddt/ddt/internal/process"
	"github.com/spf13/cobra"
)

type demoOptions struct {
	IO   IO
	Addr string
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

// demoPackage is the demo's command, relative to the ddt module's root.
const demoPackage = "./internal/demo/cmd/ddt-demo"

// runDemo builds the demo's command from the ddt module this ddt belongs
// to and runs it: the demo's SQLite driver stays out of ddt, and out of
// the go.mod of an app that adds ddt as a tool. The build is the go
// command's, cached: only the first run compiles the demo.
func runDemo(opts *demoOptions) error {
	dir, err := ddtModuleDir()
	if err != nil {
		return err
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	cache = filepath.Join(cache, "ddt")
	if err := os.MkdirAll(cache, 0o777); err != nil {
		return err
	}
	bin := filepath.Join(cache, "ddt-demo")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command("go", "build", "-o", bin, demoPackage)
	build.Dir = dir
	build.Stdout, build.Stderr = opts.IO.Err, opts.IO.Err
	if err := build.Run(); err != nil {
		return fmt.Errorf("building the demo (%s in %s): %w", demoPackage, dir, err)
	}
	args := []string{"--addr", opts.Addr}
	if process.OwnsStdio(opts.IO.In, opts.IO.Out, opts.IO.Err) {
		if err := process.Exec(bin, args, nil); err != nil {
			return err
		}
		// Exec returns only when exec is not available here.
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = opts.IO.In, opts.IO.Out, opts.IO.Err
	return process.RunRelayingSignals(cmd)
}

// ddtModuleDir returns the root directory of the ddt module, as the go
// command in the current directory resolves it: the checkout ddt runs
// from, or the module's copy in the module cache for an app that requires
// ddt.
func ddtModuleDir() (string, error) {
	const module = "github.com/go-ddt/ddt"
	for _, args := range [][]string{
		{"list", "-m", "-f", "{{.Dir}}", module},
		{"mod", "download", "-json", module},
	} {
		out, err := exec.Command("go", args...).Output()
		if err != nil {
			continue
		}
		dir := strings.TrimSpace(string(out))
		if args[0] == "mod" {
			var m struct{ Dir string }
			if json.Unmarshal(out, &m) != nil {
				continue
			}
			dir = m.Dir
		}
		if dir != "" {
			return dir, nil
		}
	}
	return "", fmt.Errorf("the demo is built from the %s module's source: run ddt demo in a clone of it, or in a module that requires it", module)
}
