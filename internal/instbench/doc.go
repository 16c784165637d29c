// Package instbench measures what instrumentation costs when no toolbar
// is active: the functions in funcs.go are instrumented in place by
// package instrument (TestGeneratedIsCurrent keeps them current), and
// their twins in plain.go are the same code marked //go:noinline, so the
// benchmarks compare like with like (an instrumented function has a defer
// and is never inlined either).
//
//	go test -run '^$' -bench . -benchmem -count 6 ./internal/instbench/
package instbench
