// Command ddt instruments Go code for the ddt debug toolbar, scaffolds
// custom panels and runs a demo app. Run "ddt help" for the commands.
package main

import (
	"os"

	"github.com/go-ddt/ddt/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
