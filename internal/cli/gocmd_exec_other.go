//go:build !unix

package cli

import "os"

var relayedSignals = []os.Signal{os.Interrupt}

// execGo does nothing where processes cannot be replaced; ddt then runs
// the go command as a child.
func execGo(args []string, env []string) error { return nil }

// execProgram does nothing where processes cannot be replaced; ddt then
// runs the program as a child.
func execProgram(path string, args []string, env []string) error { return nil }
