package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
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
	Action  string
	Package string
	Test    string
	Output  string
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
// other way round).
func (o *outcome) compare(baseline *outcome) []string {
	var problems []string
	for _, f := range o.failed {
		msg := "FAIL " + f
		if b := o.output[f]; b != nil {
			msg += "\n" + indent(b.String())
		}
		problems = append(problems, msg)
	}
	for t := range baseline.passed {
		if !o.passed[t] {
			problems = append(problems, "did not pass (passed without ddt): "+t)
		}
	}
	for t := range o.passed {
		if !baseline.passed[t] {
			problems = append(problems, "passed, but did not pass without ddt: "+t)
		}
	}
	sort.Strings(problems)
	return problems
}

func (o *outcome) String() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", len(o.passed), len(o.failed), o.skipped)
}

func indent(s string) string {
	s = strings.TrimRight(s, "\n")
	return "\t" + strings.ReplaceAll(s, "\n", "\n\t")
}
