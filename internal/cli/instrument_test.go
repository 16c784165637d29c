package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/testmod"
)

func TestNewCmdInstrumentFlags(t *testing.T) {
	tests := []struct {
		args    []string
		want    InstrumentOptions
		wantErr string
	}{
		{args: nil, want: InstrumentOptions{Tests: true}},
		{args: []string{"./a", "./b/..."}, want: InstrumentOptions{Patterns: []string{"./a", "./b/..."}, Tests: true}},
		{args: []string{"-w"}, want: InstrumentOptions{Write: true, Tests: true}},
		{args: []string{"--write"}, want: InstrumentOptions{Write: true, Tests: true}},
		{args: []string{"--strip", "-l"}, want: InstrumentOptions{Strip: true, List: true, Tests: true}},
		{args: []string{"--check"}, want: InstrumentOptions{Check: true, Tests: true}},
		{args: []string{"-d", "./x"}, want: InstrumentOptions{Diff: true, Patterns: []string{"./x"}, Tests: true}},
		{args: []string{"--json", "--tags", "a,b", "--tests=false"}, want: InstrumentOptions{JSON: true, Tags: "a,b"}},
		{args: []string{"--check", "--json"}, want: InstrumentOptions{Check: true, JSON: true, Tests: true}},
		{args: []string{"-w", "--strip"}, wantErr: "-w and --strip cannot be used together"},
		{args: []string{"-w", "-d"}, wantErr: "-w writes, while -d, -l and --check only report"},
		{args: []string{"-w", "--check"}, wantErr: "-w writes, while -d, -l and --check only report"},
		{args: []string{"--json", "-l"}, wantErr: "--json cannot be combined with -d or -l"},
		{args: []string{"--bogus"}, wantErr: "unknown flag: --bogus"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var got *InstrumentOptions
			var stdout, stderr bytes.Buffer
			cmd := NewCmdInstrument(IO{Out: &stdout, Err: &stderr}, func(o *InstrumentOptions) error {
				got = o
				return nil
			})
			cmd.SetArgs(tt.args)
			cmd.SetOut(&stdout)
			cmd.SetErr(&stderr)
			err := cmd.Execute()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got.IO = IO{}
			if len(got.Patterns) == 0 {
				got.Patterns = nil
			}
			if !reflect.DeepEqual(*got, tt.want) {
				t.Errorf("options = %+v, want %+v", *got, tt.want)
			}
		})
	}
}

func TestInstrumentHelpHasExamples(t *testing.T) {
	var stdout bytes.Buffer
	if code := Main([]string{"instrument", "--help"}, nil, &stdout, &stdout); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	for _, want := range []string{"Examples:", "ddt instrument -w ./...", "--strip", "--check"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("help lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestInstrumentModes(t *testing.T) {
	tests := []struct {
		opts InstrumentOptions
		want string
	}{
		{InstrumentOptions{}, "overlay"},
		{InstrumentOptions{Write: true}, "in-place"},
		{InstrumentOptions{Check: true}, "in-place"},
		{InstrumentOptions{Diff: true}, "in-place"},
		{InstrumentOptions{List: true}, "in-place"},
		{InstrumentOptions{Strip: true}, "strip"},
		{InstrumentOptions{Strip: true, Check: true}, "strip"},
	}
	for _, tt := range tests {
		if got := modeName(tt.opts.mode()); got != tt.want {
			t.Errorf("mode of %+v = %s, want %s", tt.opts, got, tt.want)
		}
	}
}

func TestRunInstrumentJSON(t *testing.T) {
	dir := testmod.Write(t, nil)
	var stdout, stderr bytes.Buffer
	err := runInstrument(&InstrumentOptions{IO: IO{Out: &stdout, Err: &stderr}, Dir: dir, Env: testmod.OfflineEnv(), Tests: true, JSON: true})
	if err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	var report instrumentReport
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("%v\n%s", err, stdout.String())
	}
	if report.Mode != "overlay" || report.Written {
		t.Errorf("mode %q written %v, want overlay, false", report.Mode, report.Written)
	}
	want := []reportFile{{Path: "a.go", Sites: 1, Changed: true}}
	if !reflect.DeepEqual(report.Files, want) {
		t.Errorf("files = %+v, want %+v", report.Files, want)
	}
	if wantOverlay := filepath.Join(dir, ".ddt", "overlay.json"); report.Overlay != wantOverlay {
		t.Errorf("overlay = %q, want %q", report.Overlay, wantOverlay)
	}
	if len(report.Diagnostics) != 0 {
		t.Errorf("diagnostics = %+v", report.Diagnostics)
	}
	overlay, err := readOverlay(report.Overlay)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := overlay[filepath.Join(dir, "a.go")]
	copied, err := os.ReadFile(copyPath)
	if err != nil {
		t.Fatalf("overlay copy of a.go: %v", err)
	}
	if !bytes.Contains(copied, []byte(runtimeImport)) {
		t.Errorf("overlay copy does not import ddtrt:\n%s", copied)
	}
}

func TestRunInstrumentDiagnosticsWriteNothing(t *testing.T) {
	bad := `package main

//ddt:flag
func notBool(name string) int { return 0 }
`
	dir := testmod.Write(t, map[string]string{"c.go": bad})
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	for _, asJSON := range []bool{false, true} {
		var stdout, stderr bytes.Buffer
		err := runInstrument(&InstrumentOptions{IO: IO{Out: &stdout, Err: &stderr}, Dir: dir, Env: testmod.OfflineEnv(), JSON: asJSON})
		exit, ok := err.(*ExitError)
		if !ok || exit.Code != 1 {
			t.Fatalf("json=%v: error = %v, want exit status 1", asJSON, err)
		}
		if asJSON {
			var report instrumentReport
			if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
				t.Fatal(err)
			}
			if len(report.Diagnostics) == 0 || report.Diagnostics[0].File != "c.go" || report.Diagnostics[0].Line != 3 {
				t.Errorf("diagnostics = %+v, want one at c.go:3", report.Diagnostics)
			}
		} else if !strings.HasPrefix(stderr.String(), "c.go:3:") {
			t.Errorf("stderr = %q, want c.go:3:col: message", stderr.String())
		}
	}
	if _, err := os.Stat(filepath.Join(dir, ".ddt")); !os.IsNotExist(err) {
		t.Errorf(".ddt exists after a diagnostic: %v", err)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "go.mod")); !bytes.Equal(now, gomod) {
		t.Errorf("go.mod changed after a diagnostic:\n%s", now)
	}
	if now, _ := os.ReadFile(filepath.Join(dir, "c.go")); string(now) != bad {
		t.Errorf("c.go changed after a diagnostic")
	}
}

func TestRunInstrumentOutsideModule(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte("package x\n\n//ddt:trace\nfunc X() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	err := runInstrument(&InstrumentOptions{IO: IO{Out: &stdout, Err: &stderr}, Dir: dir, Env: testmod.OfflineEnv()})
	if err == nil || !strings.Contains(err.Error(), "is not inside a Go module") {
		t.Fatalf("error = %v, want one saying there is no module", err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".ddt")); !os.IsNotExist(err) {
		t.Errorf(".ddt written outside a module")
	}
}

// Shell completion: cobra's completion command, package directories for
// arguments, nothing for --tags.
func TestCompletion(t *testing.T) {
	tests := []struct {
		args []string
		want string // the directive line cobra prints last
	}{
		{[]string{"__complete", "instrument", ""}, ":16"},
		{[]string{"__complete", "instrument", "--tags", ""}, ":4"},
		{[]string{"__complete", "build", ""}, ":16"},
		{[]string{"__complete", "test", ""}, ":16"},
		{[]string{"__complete", "run", ""}, ":0"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		if code := Main(tt.args, nil, &stdout, &stderr); code != 0 {
			t.Fatalf("%q: exit status %d: %s", tt.args, code, stderr.String())
		}
		lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
		if got := lines[len(lines)-1]; got != tt.want {
			t.Errorf("%q: directive %s, want %s", tt.args, got, tt.want)
		}
	}
	var stdout bytes.Buffer
	if code := Main([]string{"completion", "bash"}, nil, &stdout, &stdout); code != 0 || !strings.Contains(stdout.String(), "bash completion") {
		t.Errorf("ddt completion bash: status %d\n%.200s", code, stdout.String())
	}
}
