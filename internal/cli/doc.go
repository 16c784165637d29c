// Package cli implements the ddt command line: one file per command, each
// with an options struct, a NewCmdX constructor and a runX function, in the
// style of the GitHub CLI. [Main] builds a fresh cobra tree on each call so
// tests can run the CLI in-process.
package cli
