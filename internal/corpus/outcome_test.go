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
// and so are the failures that only echo theirs: a parent test or a
// package fails when a test under it does.
func (o *outcome) compare(baseline *outcome, byDesign map[string]string) []string {
	designed := func(key string) bool {
		for t := range byDesign {
			if key == t || strings.HasPrefix(key, t+"/") {
				return true
			}
		}
		return false
	}
	var problems []string
	for _, f := range o.failed {
		if o.byDesign(f, designed) {
			continue
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

// byDesign reports whether the failure of key (a test, or a package) is
// by design: the test is, or it failed only because tests under it failed
// by design, which its output shows by holding nothing of its own.
func (o *outcome) byDesign(key string, designed func(string) bool) bool {
	if designed(key) {
		return true
	}
	under := key + "/" // subtests
	if !strings.Contains(key, " ") {
		under = key + " " // the package's tests
	}
	found := false
	for _, f := range o.failed {
		if strings.HasPrefix(f, under) {
			if !o.byDesign(f, designed) {
				return false
			}
			found = true
		}
	}
	return found && o.onlyFraming(key)
}

// onlyFraming reports whether key's output holds only what go test prints
// around every test and package ("=== RUN", "--- FAIL: ", "FAIL\tpkg"),
// and so no failure of its own.
func (o *outcome) onlyFraming(key string) bool {
	b := o.output[key]
	if b == nil {
		return true
	}
	for _, line := range strings.Split(strings.TrimRight(b.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "=== ") && !strings.HasPrefix(line, "--- FAIL: ") &&
			line != "FAIL" && !strings.HasPrefix(line, "FAIL\t") {
			return false
		}
	}
	return true
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
