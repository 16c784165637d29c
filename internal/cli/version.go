package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/go-ddt/ddt/runtime/ddtrt"
	"github.com/spf13/cobra"
)

// NewCmdVersion returns "ddt version".
func NewCmdVersion(streams IO) *cobra.Command {
	return &cobra.Command{
		Use:     "version",
		Short:   "Print ddt's version and the Go toolchain it was built with",
		Example: "  ddt version",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(streams.Out, "ddt %s (%s, %s/%s)\n", moduleVersion(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			return nil
		},
	}
}

// moduleVersion is the module version from the build info when ddt was
// installed with go install or go get -tool, else the runtime's constant.
func moduleVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return ddtrt.Version
}
