package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
)

// outcome is what one "go test -json" run reported.
type outcome struct {
	passed  map[string]bool // "pkg TestName[/sub]"
	failed  []string        // failed tests, and packages that failed outside a test
	skipped int
	output  map[string]*strings.Builder // per test or package, for reports
}

// testEvent is one line of go test -json (cmd/test2json).
type testEvent struct {
	Action     string
	Package    string
	ImportPath string // of build-output and build-fail events
	Test       string
	Output     string
}

// parseOutcome reads go test -json output. Lines that are not JSON (the
// go command's own errors) count as a failure of the run.
func parseOutcome(stdout []byte) *outcome {
	o := &outcome{passed: map[string]bool{}, output: map[string]*strings.Builder{}}
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		line := sc.Bytes()
		var e testEvent
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			o.failed = append(o.failed, "go test: "+string(line))
			continue
		}
		key := e.Package
		if key == "" {
			key = "build of " + e.ImportPath
		}
		if e.Test != "" {
			key += " " + e.Test
		}
		switch e.Action {
		case "output", "build-output":
			b := o.output[key]
			if b == nil {
				b = &strings.Builder{}
				o.output[key] = b
			}
			if b.Len() < 8<<10 {
				b.WriteString(e.Output)
			}
		case "pass":
			if e.Test != "" {
				o.passed[key] = true
			}
		case "skip":
			if e.Test != "" {
				o.skipped++
			}
		case "fail", "build-fail":
			o.failed = append(o.failed, key)
		}
	}
	sort.Strings(o.failed)
	return o
}

// compare returns what went differently in o than in the baseline: tests
// that failed, and tests that passed in the baseline but not in o (or the
// other way round). Tests in byDesign, and their subtests, are left out,
// and so is the failure of a package when only such tests failed in it.
func (o *outcome) compare(baseline *outcome, byDesign map[string]string) []string {
	designed := func(key string) bool {
		for t := range byDesign {
			if key == t || strings.HasPrefix(key, t+"/") {
				return true
			}
		}
		return false
	}
	failedIn := map[string]int{} // package -> failed tests not by design
	for _, f := range o.failed {
		if pkg, _, isTest := strings.Cut(f, " "); isTest && !designed(f) {
			failedIn[pkg]++
		}
	}
	var problems []string
	for _, f := range o.failed {
		if designed(f) {
			continue
		}
		if _, ok := o.passed[f]; !ok && !strings.Contains(f, " ") && failedIn[f] == 0 && o.failedByDesign(f, designed) {
			continue // the package failed only because of tests by design
		}
		msg := "FAIL " + f
		if b := o.output[f]; b != nil {
			msg += "\n" + indent(b.String())
		}
		problems = append(problems, msg)
	}
	for t := range baseline.passed {
		if !o.passed[t] && !designed(t) && !slices.Contains(o.failed, t) {
			problems = append(problems, "did not pass (passed without ddt): "+t)
		}
	}
	for t := range o.passed {
		if !baseline.passed[t] && !designed(t) {
			problems = append(problems, "passed, but did not pass without ddt: "+t)
		}
	}
	sort.Strings(problems)
	return problems
}

// failedByDesign reports whether a test of package pkg failed by design.
func (o *outcome) failedByDesign(pkg string, designed func(string) bool) bool {
	for _, f := range o.failed {
		if strings.HasPrefix(f, pkg+" ") && designed(f) {
			return true
		}
	}
	return false
}

// result is the outcome of one test, for logs.
func (o *outcome) result(test string) string {
	switch {
	case o.passed[test]:
		return "passed"
	case slices.Contains(o.failed, test):
		return "failed"
	}
	return "did not run"
}

func (o *outcome) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", len(o.passed), len(o.failed), o.skipped)
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
