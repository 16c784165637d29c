//go:build !unix

package process

import "os"

var relayedSignals = []os.Signal{os.Interrupt}

// ExecGo does nothing where processes cannot be replaced; ddt then runs
// the go command as a child.
func ExecGo(args []string, env []string) error { return nil }

// Exec does nothing where processes cannot be replaced; ddt then
// runs the program as a child.
func Exec(path string, args []string, env []string) error { return nil }
