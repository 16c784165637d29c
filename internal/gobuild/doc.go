// Package gobuild runs the go command with a module's instrumentation:
// what "ddt build", "ddt run" and "ddt test" do once their command line is
// read.
//
// [Run] instruments every package of the main module (instrument.Run) into
// the overlay under [DirName] at the module root, adds the build mark that
// turns the toolbar on, and runs "go <verb> -overlay=... args...", merging
// a user's own -overlay. [WriteOverlay], [WithBuildMark] and [CommandLine]
// serve "ddt instrument", which writes the same overlay and prints the
// command instead of running it.
//
// # Reuse
//
// Loading a module with types costs more than a go build that finds
// everything in its cache, so a clean run leaves .ddt/state.json: what
// it read (size, time and mode of every input file; content hashes of
// racy ones), a key for ddt, the toolchain, the environment and the
// flags, and the marked packages as loaded. The next run with the same
// key and files builds with the overlay it has (reuse.go); one whose only
// changes are files of marked packages that no marked package imports
// instruments just those packages again (incremental.go). Anything else
// loads the module again.
package gobuild
