package integrations_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// raceEnabled is set by race_test.go in a -race test binary.
var raceEnabled bool

// nestedModules are the integrations that are modules of their own: their
// dependencies would otherwise be in the module graph of every program
// that requires ddt (ddtotel's OpenTelemetry exporters bring grpc and
// genproto; a go 1.11 module that adds ddt got 740 requirements with them,
// 111 without).
var nestedModules = []string{"ddtotel"}

// TestNestedModules runs the tests of the nested modules, so that
// go test ./... from the repository's root runs every test: with -race,
// -short and -count=1 when this test runs with them.
func TestNestedModules(t *testing.T) {
	for _, name := range nestedModules {
		t.Run(name, func(t *testing.T) {
			args := []string{"test"}
			if raceEnabled {
				args = append(args, "-race")
			}
			if testing.Short() {
				args = append(args, "-short")
			}
			args = append(args, "-count=1", "./...")
			cmd := exec.Command("go", args...)
			cmd.Dir = name
			// The module's replace directive points at this checkout; a
			// workspace would change what it builds against.
			cmd.Env = append(os.Environ(), "GOWORK=off")
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("go %s in %s: %v\n%s", strings.Join(args, " "), filepath.Join("runtime/integrations", name), err, out)
			}
			t.Logf("go %s:\n%s", strings.Join(args, " "), out)
		})
	}
}
