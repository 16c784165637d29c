// Package cli implements the ddt command line: one file per command, each
// with an options struct, a NewCmdX constructor and a runX function, in the
// style of the GitHub CLI. [Main] builds a fresh cobra tree on each call so
// tests can run the CLI in-process.
//
// The package holds the commands and their flags only. What they do lives
// in packages named for it: instrument (rewriting), internal/gobuild (the
// overlay, its reuse, and running the go command with it), internal/gomod
// (the module's root and its requirement on ddt), internal/atomicfile
// (writing files in place or beside), internal/process (running the go
// command or the demo in ddt's place) and panelgen.
package cli
