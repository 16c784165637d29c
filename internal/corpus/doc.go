// Package corpus tests ddt on real open-source modules, and measures
// "ddt instrument -l" against "gofmt -l" on a large tree.
//
// # The corpus test
//
// TestCorpus takes each of [Modules] at its pinned version from the
// module cache (downloading it, and what its tests need, through the
// module proxy first), marks every function and method with a body with
// //ddt:trace ([MarkTree]), and then, through the ddt command built from
// this checkout:
//
//   - runs the module's own tests with go test, as the baseline;
//   - runs them with "ddt test" (overlay mode): the same tests must pass;
//   - rewrites the module with "ddt instrument -w" and runs them with go
//     test again: the same tests must pass;
//   - removes the instrumentation with "ddt instrument --strip": every file
//     must be byte for byte the marked file, and the marked files without
//     their directives ([Unmark]) byte for byte the module's own.
//
// It runs only when DDT_CORPUS=1 (it compiles every module several times);
// .ci/run runs it:
//
//	DDT_CORPUS=1 go test -count=1 -run Corpus -v ./internal/corpus/
//
// # The listing benchmark
//
// BenchmarkList runs "ddt instrument -l" and "gofmt -l" side by side on a
// copy of golang.org/x/tools (without its testdata directories, which hold
// deliberately broken files), a large tree without directives:
//
//	go test -run '^$' -bench . -benchtime 5x ./internal/corpus/
package corpus
