package gomod

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/testmod"
	"golang.org/x/mod/modfile"
)

// modfile.ModulePath reads what ddt's own reader of module lines read.
func TestModulePath(t *testing.T) {
	for gomod, want := range map[string]string{
		"module example.com/m\n\ngo 1.26\n":             "example.com/m",
		"// comment\nmodule \"example.com/q\" // x\n":   "example.com/q",
		"module\texample.com/t\n":                       "example.com/t",
		"modulex example.com/n\nmodule example.com/y\n": "example.com/y",
		"go 1.26\n": "",
	} {
		if got := modfile.ModulePath([]byte(gomod)); got != want {
			t.Errorf("ModulePath(%q) = %q, want %q", gomod, got, want)
		}
	}
}

// Tests run from the source tree, so the test binary is a checkout build
// and finds this repository.
func TestCurrentDDTIsThisCheckout(t *testing.T) {
	src := Current()
	wd, _ := os.Getwd()
	want := filepath.Dir(filepath.Dir(wd)) // internal/gomod -> root
	if src.Checkout != want {
		t.Errorf("Current() = %+v, want Checkout %s", src, want)
	}
}

func TestRequirementPlan(t *testing.T) {
	plan, what, err := requirementPlan(Source{Version: "v1.2.3"})
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"go", "get", "github.com/go-ddt/ddt@v1.2.3"}}; !reflect.DeepEqual(plan, want) {
		t.Errorf("release plan = %q, want %q", plan, want)
	}
	if what != "require github.com/go-ddt/ddt v1.2.3" {
		t.Errorf("release plan says %q", what)
	}

	plan, _, err = requirementPlan(Source{Checkout: "/src/ddt"})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"go", "mod", "edit", "-replace=github.com/go-ddt/ddt=/src/ddt"},
		{"go", "get", "github.com/go-ddt/ddt@v0.0.0"},
	}
	if !reflect.DeepEqual(plan, want) {
		t.Errorf("checkout plan = %q, want %q", plan, want)
	}

	for _, v := range []string{"", "(devel)"} {
		if _, _, err := requirementPlan(Source{Version: v}); err == nil || !strings.Contains(err.Error(), "add the requirement yourself") {
			t.Errorf("version %q: error = %v, want advice to add it by hand", v, err)
		}
	}
}

func writeGoMod(t *testing.T, content string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

func TestEnsureRequirementFromCheckout(t *testing.T) {
	dir := writeGoMod(t, "module example.com/m\n\ngo 1.26.0\n")
	checkout := CheckoutDir()
	var stderr bytes.Buffer
	if _, err := EnsureRequirement(dir, testmod.OfflineEnv(), Source{Checkout: checkout}, &stderr); err != nil {
		t.Fatal(err)
	}
	gomod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	for _, want := range []string{"require github.com/go-ddt/ddt v0.0.0", "replace github.com/go-ddt/ddt => " + checkout} {
		if !strings.Contains(string(gomod), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, gomod)
		}
	}
	wantMsg := "ddt: go.mod: added require github.com/go-ddt/ddt v0.0.0 and replace github.com/go-ddt/ddt => " + checkout
	if !strings.HasPrefix(stderr.String(), wantMsg) {
		t.Errorf("stderr = %q, want it to start with %q", stderr.String(), wantMsg)
	}

	// Once required, nothing changes and nothing is said.
	stderr.Reset()
	if _, err := EnsureRequirement(dir, testmod.OfflineEnv(), Source{Checkout: checkout}, &stderr); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, "go.mod")); !bytes.Equal(again, gomod) || stderr.Len() != 0 {
		t.Errorf("second run changed go.mod or spoke: %q\n%s", stderr.String(), again)
	}
}

func TestEnsureRequirementLeavesAlone(t *testing.T) {
	for name, gomod := range map[string]string{
		"ddt itself":       "module github.com/go-ddt/ddt\n\ngo 1.26.0\n",
		"already requires": "module example.com/m\n\ngo 1.26.0\n\nrequire github.com/go-ddt/ddt v0.9.0\n",
	} {
		dir := writeGoMod(t, gomod)
		var stderr bytes.Buffer
		// A version that cannot be fetched offline: any attempt would fail.
		if _, err := EnsureRequirement(dir, testmod.OfflineEnv(), Source{Version: "v9.9.9"}, &stderr); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if now, _ := os.ReadFile(filepath.Join(dir, "go.mod")); string(now) != gomod || stderr.Len() != 0 {
			t.Errorf("%s: go.mod changed or ddt spoke: %q\n%s", name, stderr.String(), now)
		}
	}
}

func TestEnsureRequirementReportsGoFailure(t *testing.T) {
	dir := writeGoMod(t, "module example.com/m\n\ngo 1.26.0\n")
	var stderr bytes.Buffer
	_, err := EnsureRequirement(dir, testmod.OfflineEnv(), Source{Version: "v9.9.9"}, &stderr)
	if err == nil || !strings.Contains(err.Error(), "go get github.com/go-ddt/ddt@v9.9.9") {
		t.Fatalf("error = %v, want the failed go get named", err)
	}
	if stderr.Len() != 0 {
		t.Errorf("stderr = %q, want nothing claimed as changed", stderr.String())
	}
}
