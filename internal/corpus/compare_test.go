package corpus

import (
	"encoding/json"
	"strings"
	"testing"
)

// testJSON writes go test -json lines (the fields test2json sets) for
// the package p: each event is "action test output", test and output
// optional.
func testJSON(t *testing.T, events ...[3]string) []byte {
	t.Helper()
	var b strings.Builder
	for _, e := range events {
		line, err := json.Marshal(testEvent{Action: e[0], Package: "p", Test: e[1], Output: e[2]})
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return []byte(b.String())
}

// allocsRun is a package whose TestAllocs has two subtests, Sum and
// Digest; fail names the subtest that fails, and own adds a failure of
// TestAllocs itself.
func allocsRun(t *testing.T, fail string, own bool) *outcome {
	t.Helper()
	events := [][3]string{{"output", "TestAllocs", "=== RUN   TestAllocs\n"}}
	for _, sub := range []string{"Sum", "Digest"} {
		name := "TestAllocs/" + sub
		events = append(events, [3]string{"output", name, "=== RUN   " + name + "\n"})
		if sub == fail {
			events = append(events,
				[3]string{"output", name, "    x_test.go:10: got 1 allocation(s) (want zero)\n"},
				[3]string{"output", name, "--- FAIL: " + name + " (0.00s)\n"},
				[3]string{"fail", name, ""})
		} else {
			events = append(events,
				[3]string{"output", name, "--- PASS: " + name + " (0.00s)\n"},
				[3]string{"pass", name, ""})
		}
	}
	if own {
		events = append(events, [3]string{"output", "TestAllocs", "    x_test.go:20: broken on its own\n"})
	}
	if fail == "" && !own {
		events = append(events,
			[3]string{"output", "TestAllocs", "--- PASS: TestAllocs (0.00s)\n"},
			[3]string{"pass", "TestAllocs", ""},
			[3]string{"output", "", "PASS\n"},
			[3]string{"output", "", "ok  \tp\t0.01s\n"},
			[3]string{"pass", "", ""})
	} else {
		events = append(events,
			[3]string{"output", "TestAllocs", "--- FAIL: TestAllocs (0.00s)\n"},
			[3]string{"fail", "TestAllocs", ""},
			[3]string{"output", "", "FAIL\n"},
			[3]string{"output", "", "FAIL\tp\t0.01s\n"},
			[3]string{"fail", "", ""})
	}
	return parseOutcome(testJSON(t, events...))
}

func TestCompare(t *testing.T) {
	baseline := allocsRun(t, "", false)
	if len(baseline.failed) != 0 || len(baseline.passed) != 3 {
		t.Fatalf("baseline: %s, failed %v", baseline, baseline.failed)
	}
	digestByDesign := map[string]string{"p TestAllocs/Digest": "why"}
	tests := []struct {
		name     string
		run      *outcome
		byDesign map[string]string
		want     []string // prefixes of the problems, in order
	}{
		{"same outcome", allocsRun(t, "", false), nil, nil},
		{"a subtest fails", allocsRun(t, "Digest", false), nil,
			[]string{"FAIL p", "FAIL p TestAllocs", "FAIL p TestAllocs/Digest"}},
		{"the subtest that fails is by design, and so are its parent's and package's failures",
			allocsRun(t, "Digest", false), digestByDesign, nil},
		{"a subtest by design does not cover its sibling",
			allocsRun(t, "Sum", false), digestByDesign,
			[]string{"FAIL p", "FAIL p TestAllocs", "FAIL p TestAllocs/Sum"}},
		{"a parent failing on its own is not excused by its subtest by design",
			allocsRun(t, "Digest", true), digestByDesign,
			[]string{"FAIL p", "FAIL p TestAllocs\n"}},
		{"a whole test by design covers its subtests",
			allocsRun(t, "Sum", true), map[string]string{"p TestAllocs": "why"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.run.compare(baseline, tt.byDesign)
			if len(got) != len(tt.want) {
				t.Fatalf("got %d problems, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("problem %d = %q, want it to start with %q", i, got[i], w)
				}
			}
		})
	}
}
