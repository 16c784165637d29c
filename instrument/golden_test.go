package instrument

import (
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// A golden case is testdata/<name>.txtar: prose in the archive comment,
// then the input module (go.mod is added when missing) and what Run must
// produce:
//
//	-- want/<path> --     the in-place output of a file that changes
//	-- overlay/<path> --  the overlay output of a file that changes
//	-- stderr --          diagnostics, then warnings ("warning: ...")
//	-- overlay-stderr --  the same in Overlay mode, when it differs
//	-- stdout --          what `go run -overlay .` prints, when there is a main.go
//
// A case without diagnostics is compiled twice: `go vet` of the in-place
// output and `go build` (or `go run`, with stdout) of the overlay output.
// Every case also checks that InPlace is idempotent and that Strip gives
// back the input byte for byte.

// ddtevents is added to modules whose case prints events: it records one
// request and prints what the instrumented code delivered.
const ddtevents = `package ddtevents

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"

	"github.com/go-ddt/ddt/runtime/event"
)

// Run calls f inside a recorded request and prints its events.
func Run(f func(ctx context.Context)) {
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "req", rec)
	func() {
		defer func() {
			if r := recover(); r != nil {
				fmt.Printf("recovered: %v\n", r)
			}
		}()
		f(ctx)
	}()
	unbind()
	// The calls of the goroutine that ran f, then those of the goroutines
	// it started: their order between the two depends on scheduling.
	evs := rec.Events()
	slices.SortStableFunc(evs, func(a, b *event.Event) int {
		return cmp.Compare(b2i(a.Via == event.ViaChild), b2i(b.Via == event.ViaChild))
	})
	for _, e := range evs {
		fmt.Println(Format(e))
	}
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Format prints an event without its time, duration and addresses.
func Format(e *event.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Kind, e.Func)
	if e.Name != "" {
		fmt.Fprintf(&b, " name=%q", e.Name)
	}
	b.WriteString(" args(" + fields(e.Args) + ")")
	if e.Panicked {
		b.WriteString(" panic=" + e.Panic)
	} else {
		b.WriteString(" results(" + fields(e.Results) + ")")
	}
	if e.Override != "" {
		fmt.Fprintf(&b, " override=%q", e.Override)
	}
	if len(e.Stack) > 0 {
		f, _ := runtime.CallersFrames(e.Stack).Next()
		b.WriteString(" caller=" + f.Function)
	}
	if e.Site != nil {
		fmt.Fprintf(&b, " site=%s:%d", e.Site.File, e.Site.Line)
	}
	return b.String()
}

func fields(fs []event.Field) string {
	var parts []string
	for _, f := range fs {
		v := f.Value
		if f.Raw == nil && f.Value != "nil" && !strings.HasPrefix(f.Type, "[]") {
			v = "<" + f.Type + ">"
		}
		parts = append(parts, f.Name+"="+v)
	}
	return strings.Join(parts, ", ")
}
`

func TestGolden(t *testing.T) {
	paths, err := filepath.Glob("testdata/*.txtar")
	if err != nil || len(paths) == 0 {
		t.Fatalf("no golden cases: %v", err)
	}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".txtar")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			runGolden(t, path)
		})
	}
}

type goldenCase struct {
	archive  *txtar.Archive
	input    map[string][]byte
	sections map[string][]byte // want/..., overlay/..., stderr, stdout
}

func readGolden(t *testing.T, path string) *goldenCase {
	ar, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &goldenCase{archive: ar, input: map[string][]byte{}, sections: map[string][]byte{}}
	for _, f := range ar.Files {
		switch {
		case f.Name == "stderr" || f.Name == "stdout" || f.Name == "overlay-stderr" || strings.HasPrefix(f.Name, "want/") || strings.HasPrefix(f.Name, "overlay/"):
			c.sections[f.Name] = f.Data
		default:
			c.input[f.Name] = f.Data
		}
	}
	return c
}

func runGolden(t *testing.T, path string) {
	c := readGolden(t, path)
	dir := t.TempDir()
	mod := filepath.Join(dir, "m")
	input := c.input
	_, hasMain := c.input["main.go"]
	if hasMain {
		input = copyFiles(input)
		input["ddtevents/ddtevents.go"] = []byte(ddtevents)
	}
	writeModule(t, mod, input)

	cfg := Config{Dir: mod, Env: testEnv(), Mode: InPlace}
	inplace, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Mode = Overlay
	overlay, err := Run(cfg)
	if err != nil {
		t.Fatal(err)
	}

	got := map[string][]byte{}
	got["stderr"] = []byte(formatDiagnostics(mod, inplace))
	if s := formatDiagnostics(mod, overlay); s != string(got["stderr"]) {
		got["overlay-stderr"] = []byte(s)
	}
	for prefix, res := range map[string]*Result{"want/": inplace, "overlay/": overlay} {
		for _, f := range res.Files {
			if f.Changed() {
				// Overlay line directives name the original by its
				// absolute path.
				got[prefix+rel(t, mod, f.Path)] = bytes.ReplaceAll(f.Output, []byte(mod), []byte("$MOD"))
			}
		}
	}
	hasStdout := hasMain
	if len(inplace.Diagnostics) == 0 && len(inplace.Warnings) == 0 {
		checkInPlace(t, dir, mod, stripped(t, mod), inplace)
		stdout := buildOverlay(t, dir, mod, overlay, hasStdout)
		if hasStdout {
			got["stdout"] = []byte(stdout)
		}
	}
	compareGolden(t, path, c, got)
}

func copyFiles(m map[string][]byte) map[string][]byte {
	out := map[string][]byte{}
	for k, v := range m {
		out[k] = v
	}
	return out
}

func rel(t *testing.T, root, path string) string {
	r, err := filepath.Rel(root, path)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(r)
}

func formatDiagnostics(mod string, res *Result) string {
	var b strings.Builder
	for _, d := range res.Diagnostics {
		b.WriteString(d.String() + "\n")
	}
	for _, d := range res.Warnings {
		b.WriteString("warning: " + d.String() + "\n")
	}
	return b.String()
}

// stripped returns the files of the module at mod with their in-place
// instrumentation stripped; for most cases, the input itself.
func stripped(t *testing.T, mod string) map[string][]byte {
	res, err := Run(Config{Dir: mod, Env: testEnv(), Mode: Strip})
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	err = filepath.WalkDir(mod, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(path)
		files[rel(t, mod, path)] = data
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Files {
		files[rel(t, mod, f.Path)] = f.Output
	}
	return files
}

// checkInPlace writes the in-place output into a copy of the module (whose
// files are input, with any in-place instrumentation stripped) and checks
// that it is gofmt-clean when the input was, vets clean, is a fixed point of
// InPlace, and strips back to the input.
func checkInPlace(t *testing.T, dir, mod string, input map[string][]byte, res *Result) {
	copyDir := filepath.Join(dir, "inplace")
	writeModule(t, copyDir, input)
	for _, f := range res.Files {
		name := rel(t, mod, f.Path)
		if formatted, err := format.Source(f.Original); err == nil && bytes.Equal(formatted, f.Original) {
			if out, err := format.Source(f.Output); err != nil || !bytes.Equal(out, f.Output) {
				t.Errorf("in-place output of %s is not gofmt-clean (%v)", name, err)
			}
		}
		if err := os.WriteFile(filepath.Join(copyDir, name), f.Output, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := goCmd(t, copyDir, "vet", "./..."); err != nil {
		t.Errorf("go vet of the in-place output: %v\n%s", err, out)
	}
	again, err := Run(Config{Dir: copyDir, Env: testEnv(), Mode: InPlace})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range again.Files {
		if f.Changed() {
			t.Errorf("InPlace is not idempotent on %s:\n%s", rel(t, copyDir, f.Path), f.Output)
		}
	}
	stripped, err := Run(Config{Dir: copyDir, Env: testEnv(), Mode: Strip})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range stripped.Files {
		name := rel(t, copyDir, f.Path)
		if want, ok := input[name]; ok && !bytes.Equal(f.Output, want) {
			t.Errorf("Strip(InPlace(%s)) differs from the input:\n%s", name, f.Output)
		}
	}
}

// buildOverlay builds (or runs, when wantStdout) the module with the
// overlay output and returns what it printed.
func buildOverlay(t *testing.T, dir, mod string, res *Result, run bool) string {
	overlay := writeOverlay(t, dir, res.Files)
	if !run {
		if out, err := goCmd(t, mod, "build", "-overlay", overlay, "./..."); err != nil {
			t.Errorf("go build -overlay: %v\n%s", err, out)
		}
		return ""
	}
	stdout, stderr, err := goStdout(t, mod, "run", "-overlay", overlay, ".")
	if err != nil {
		t.Errorf("go run -overlay: %v\n%s", err, stderr)
	}
	return stdout
}

func compareGolden(t *testing.T, path string, c *goldenCase, got map[string][]byte) {
	if len(got["stderr"]) == 0 {
		delete(got, "stderr")
	}
	if *update {
		ar := &txtar.Archive{Comment: c.archive.Comment}
		for _, f := range c.archive.Files {
			if _, isSection := c.sections[f.Name]; !isSection {
				ar.Files = append(ar.Files, f)
			}
		}
		var names []string
		for name := range got {
			names = append(names, name)
		}
		sort.Slice(names, func(i, j int) bool { return sectionOrder(names[i]) < sectionOrder(names[j]) })
		for _, name := range names {
			ar.Files = append(ar.Files, txtar.File{Name: name, Data: got[name]})
		}
		if err := os.WriteFile(path, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	for name, want := range c.sections {
		if g, ok := got[name]; !ok {
			t.Errorf("%s: not produced, want:\n%s", name, want)
		} else if !bytes.Equal(g, want) {
			t.Errorf("%s differs:\n--- got\n%s--- want\n%s", name, g, want)
		}
	}
	for name, g := range got {
		if _, ok := c.sections[name]; !ok {
			t.Errorf("%s: produced but not in the golden file (run with -update):\n%s", name, g)
		}
	}
}

// sectionOrder sorts want/, overlay/, stdout, stderr, overlay-stderr.
func sectionOrder(name string) string {
	for i, p := range []string{"want/", "overlay/", "stdout", "stderr", "overlay-stderr"} {
		if strings.HasPrefix(name, p) {
			return fmt.Sprint(i) + name
		}
	}
	return "9" + name
}
