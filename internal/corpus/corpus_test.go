package corpus

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestCorpus runs each module's own tests with and without ddt; see the
// package documentation.
func TestCorpus(t *testing.T) {
	if os.Getenv("DDT_CORPUS") != "1" {
		t.Skip("set DDT_CORPUS=1 to run the corpus test (it downloads and compiles real modules several times; .ci/run does)")
	}
	ddt := ddtBinary(t)
	var rows []string
	for _, m := range Modules {
		t.Run(m.Name, func(t *testing.T) {
			row := &corpusRow{module: m.Path + "@" + m.Version}
			defer func() { rows = append(rows, row.String(t.Failed())) }()
			testModule(t, ddt, m, row)
		})
	}
	t.Logf("corpus summary:\n%s", strings.Join(rows, "\n"))
}

// corpusRow is one module's line in the summary.
type corpusRow struct {
	module                string
	files, funcs, skipped int
	sites                 int // functions ddt instrumented in place
	overlayFiles          int
	baseline, ddtTest, wr string
	strip                 string
}

func (r *corpusRow) String(failed bool) string {
	status := "ok"
	if failed {
		status = "FAIL"
	}
	return fmt.Sprintf("%-4s %s: marked %d funcs in %d files (%d left unmarked); "+
		"go test: %s; ddt test (%d overlay files): %s; -w (%d sites): %s; strip: %s",
		status, r.module, r.funcs, r.files, r.skipped, r.baseline, r.overlayFiles, r.ddtTest, r.sites, r.wr, r.strip)
}

// skipFiles leaves out of tree comparisons what ddt changes on purpose:
// go.mod and go.sum (the requirement on ddt) and .ddt/ (the overlay).
func skipFiles(rel string) bool {
	return rel == "go.mod" || rel == "go.sum" || rel == ".ddt"
}

func testModule(t *testing.T, ddt string, m Module, row *corpusRow) {
	fetchStart := time.Now()
	cacheDir := downloadDir(t, m.Path, m.Version)
	work := filepath.Join(t.TempDir(), "module")
	if err := CopyTree(cacheDir, work); err != nil {
		t.Fatal(err)
	}
	// Everything the module's tests import, into the module cache, so the
	// rest runs offline.
	mustRun(t, work, onlineEnv(), "go", "list", "-deps", "-test", "./...")
	prefetchRequirement(t, work)
	t.Logf("module and what its tests and ddt need: in the module cache after %v", time.Since(fetchStart).Round(time.Millisecond))

	pristine, err := TakeSnapshot(cacheDir, skipFiles)
	if err != nil {
		t.Fatal(err)
	}
	marks, err := MarkTree(work)
	if err != nil {
		t.Fatal(err)
	}
	row.files, row.funcs, row.skipped = marks.Files, marks.Funcs, len(marks.Skipped)
	for _, s := range marks.Skipped {
		t.Logf("left unmarked (ddt refuses such functions by design): %s", s)
	}
	marked, err := TakeSnapshot(work, skipFiles)
	if err != nil {
		t.Fatal(err)
	}
	if d := marked.Unmarked().Diff(pristine); len(d) > 0 {
		t.Fatalf("Unmark(Mark(x)) != x:\n%s", strings.Join(d, "\n"))
	}

	env := offlineEnv()
	baseline := parseOutcome(run(work, env, "go", "test", "-json", "-count=1", "./...").stdout)
	row.baseline = baseline.String()
	if len(baseline.failed) > 0 {
		t.Fatalf("the module's own tests fail without ddt (marked with directives only), so ddt cannot be judged on it: %s", strings.Join(baseline.failed, ", "))
	}
	// Files the tests themselves create (xxhash builds a plugin) are not
	// the module's; later comparisons leave them out.
	after, err := TakeSnapshot(work, skipFiles)
	if err != nil {
		t.Fatal(err)
	}
	artifacts := map[string]bool{}
	for rel := range after {
		if _, ok := marked[rel]; !ok {
			artifacts[rel] = true
		}
	}
	skip := func(rel string) bool { return skipFiles(rel) || artifacts[rel] }
	marked, err = TakeSnapshot(work, skip)
	if err != nil {
		t.Fatal(err)
	}

	// Overlay mode: the tree stays as it is.
	r := run(work, env, ddt, "test", "-json", "-count=1", "./...")
	ddtTest := parseOutcome(r.stdout)
	row.ddtTest = ddtTest.String()
	if ddtStderr := strings.TrimSpace(string(r.stderr)); ddtStderr != "" {
		t.Logf("ddt test stderr:\n%s", ddtStderr)
	}
	ddtProblems := ddtTest.compare(baseline, m.ByDesign)
	for _, p := range ddtProblems {
		t.Errorf("ddt test: %s", p)
	}
	if len(ddtProblems) > 0 {
		explainWithDDTGoMod(t, work, env, baseline, m.ByDesign)
	}
	row.overlayFiles = overlayFiles(t, work)
	if row.overlayFiles == 0 {
		t.Errorf("ddt test instrumented nothing (no files in .ddt/overlay.json)")
	}
	if now, err := TakeSnapshot(work, skip); err != nil {
		t.Fatal(err)
	} else if d := now.Diff(marked); len(d) > 0 {
		t.Errorf("ddt test changed the tree:\n%s", strings.Join(d, "\n"))
	}

	// In place.
	unformatted := gofmtList(t, work)
	r = run(work, env, ddt, "instrument", "-w", "--json", "./...")
	row.sites = reportedSites(t, r)
	if r.failed() {
		t.Fatalf("ddt instrument -w: %v\n%s\n%s", r.err, tail(r.stdout, 60), tail(r.stderr, 60))
	}
	if want := markedInBuild(t, work, marks); row.sites != want {
		t.Errorf("ddt instrument -w instrumented %d functions; %d marked functions are in files of the default build", row.sites, want)
	}
	for f := range gofmtList(t, work) {
		if !unformatted[f] {
			t.Errorf("ddt instrument -w left %s not gofmt-clean", f)
		}
	}
	if r := run(work, env, ddt, "instrument", "--check", "./..."); r.failed() {
		t.Errorf("ddt instrument --check right after -w: %v (instrumenting twice is not idempotent)\n%s%s", r.err, r.stdout, r.stderr)
	}
	inPlace := parseOutcome(run(work, env, "go", "test", "-json", "-count=1", "./...").stdout)
	row.wr = inPlace.String()
	for test, why := range m.ByDesign {
		t.Logf("by design: %s: without ddt %s, with ddt test %s, after -w %s (%s)",
			test, baseline.result(test), ddtTest.result(test), inPlace.result(test), why)
	}
	for _, p := range inPlace.compare(baseline, m.ByDesign) {
		t.Errorf("go test after ddt instrument -w: %s", p)
	}

	// Strip gives back the marked files, and so the module's own.
	mustRun(t, work, env, ddt, "instrument", "--strip", "./...")
	stripped, err := TakeSnapshot(work, skip)
	if err != nil {
		t.Fatal(err)
	}
	row.strip = "exact"
	if d := stripped.Diff(marked); len(d) > 0 {
		row.strip = fmt.Sprintf("%d files differ", len(d))
		t.Errorf("ddt instrument --strip did not give back the marked files:\n%s", strings.Join(d, "\n"))
	}
	for rel := range artifacts {
		delete(stripped, rel)
	}
	if d := stripped.Unmarked().Diff(pristine); len(d) > 0 {
		t.Errorf("the stripped tree without directives is not the module's own:\n%s", strings.Join(d, "\n"))
	}
}

// reportedSites reads ddt instrument --json output: the functions
// instrumented, with every diagnostic and warning an error of the test
// (a warning is a package ddt left uninstrumented).
func reportedSites(t *testing.T, r result) int {
	t.Helper()
	var report struct {
		Files []struct {
			Path  string
			Sites int
		}
		Diagnostics, Warnings []struct {
			File      string
			Line, Col int
			Message   string
		}
	}
	if err := json.Unmarshal(r.stdout, &report); err != nil {
		t.Fatalf("%s: reading its JSON report: %v\nstdout:\n%s\nstderr:\n%s", r.cmd, err, tail(r.stdout, 40), tail(r.stderr, 40))
	}
	for _, d := range report.Diagnostics {
		t.Errorf("%s: diagnostic: %s:%d:%d: %s", r.cmd, d.File, d.Line, d.Col, d.Message)
	}
	for _, d := range report.Warnings {
		t.Errorf("%s: warning: %s:%d:%d: %s", r.cmd, d.File, d.Line, d.Col, d.Message)
	}
	sites := 0
	for _, f := range report.Files {
		sites += f.Sites
	}
	return sites
}

// overlayFiles counts the files in the overlay ddt test used.
func overlayFiles(t *testing.T, root string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, ".ddt", "overlay.json"))
	if err != nil {
		t.Errorf("reading the overlay: %v", err)
		return 0
	}
	var overlay struct{ Replace map[string]string }
	if err := json.Unmarshal(data, &overlay); err != nil {
		t.Errorf("reading the overlay: %v", err)
	}
	return len(overlay.Replace)
}

// prefetchRequirement puts into the module cache what adding the
// requirement on ddt to the module's go.mod needs, as ddt will do it later
// offline: a module with an old go line has an unpruned module graph, so
// the go command then reads the go.mod of every module ddt depends on,
// even indirectly. It works on a copy of go.mod and go.sum.
func prefetchRequirement(t *testing.T, root string) {
	t.Helper()
	scratch := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(root, name))
		if os.IsNotExist(err) && name == "go.sum" {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(scratch, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, scratch, onlineEnv(), "go", "mod", "edit", "-replace=github.com/go-ddt/ddt="+repoRoot(t))
	mustRun(t, scratch, onlineEnv(), "go", "get", "github.com/go-ddt/ddt@v0.0.0")
}

// markedInBuild counts the marked functions in the files the go command
// builds by default (-w instruments those; files for other platforms or
// build tags keep their directives as comments).
func markedInBuild(t *testing.T, root string, marks *TreeMarks) int {
	t.Helper()
	r := mustRun(t, root, offlineEnv(), "go", "list", "-f", "{{.Dir}}{{range .GoFiles}} {{.}}{{end}}{{range .CgoFiles}} {{.}}{{end}}", "./...")
	n := 0
	for _, line := range strings.Split(strings.TrimSpace(string(r.stdout)), "\n") {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		for _, f := range fields[1:] {
			rel, err := filepath.Rel(root, filepath.Join(fields[0], f))
			if err != nil {
				t.Fatal(err)
			}
			n += marks.PerFile[rel]
		}
	}
	return n
}

// explainWithDDTGoMod runs the module's tests once more without
// instrumentation but with the go.mod ddt wrote, to tell a problem of
// the generated code from one of the go.mod change (adding ddt raises the
// module's go line to ddt's, which changes the language version).
func explainWithDDTGoMod(t *testing.T, root string, env []string, baseline *outcome, byDesign map[string]string) {
	t.Helper()
	problems := parseOutcome(run(root, env, "go", "test", "-json", "-count=1", "./...").stdout).compare(baseline, byDesign)
	if len(problems) == 0 {
		t.Logf("without instrumentation, with the go.mod ddt wrote, the tests pass: the generated code is the cause")
		return
	}
	goMod, _ := os.ReadFile(filepath.Join(root, "go.mod"))
	t.Errorf("without instrumentation, with the go.mod ddt wrote, the tests fail too: the go.mod change is the cause:\n%s\ngo.mod now:\n%s",
		strings.Join(problems, "\n"), goMod)
}

// gofmtList returns the files under root that gofmt would change.
func gofmtList(t *testing.T, root string) map[string]bool {
	t.Helper()
	// Files gofmt cannot parse (deliberately broken testdata) go to
	// stderr and make its status non-zero; only the list matters here.
	r := run(root, os.Environ(), "gofmt", "-l", ".")
	files := map[string]bool{}
	for _, f := range strings.Fields(string(r.stdout)) {
		files[f] = true
	}
	return files
}
