package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"
)

// readmeBlocks returns the fenced code blocks of the README with the given
// language.
func readmeBlocks(t *testing.T, lang string) []string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(gomod.CheckoutDir(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile("(?s)```" + lang + "\n(.*?)```")
	var blocks []string
	for _, m := range re.FindAllStringSubmatch(string(data), -1) {
		blocks = append(blocks, m[1])
	}
	if len(blocks) == 0 {
		t.Fatalf("README has no %s blocks", lang)
	}
	return blocks
}

// TestReadmeCommands parses every ddt command line of the README's shell
// blocks with the real command tree: the commands and flags it shows exist.
func TestReadmeCommands(t *testing.T) {
	n := 0
	for _, block := range readmeBlocks(t, "sh") {
		for _, line := range strings.Split(block, "\n") {
			line, _, _ = strings.Cut(line, "#")
			fields := strings.Fields(line)
			var args []string
			switch {
			case len(fields) >= 3 && fields[0] == "go" && fields[1] == "run" && fields[2] == "./cmd/ddt":
				args = fields[3:]
			case len(fields) >= 3 && fields[0] == "go" && fields[1] == "tool" && fields[2] == "ddt":
				args = fields[3:]
			case len(fields) >= 3 && fields[0] == "go" && fields[1] == "get" && fields[2] == "-tool":
				if fields[3] != "github.com/go-ddt/ddt/cmd/ddt" {
					t.Errorf("README installs %q", fields[3])
				}
				continue
			default:
				continue
			}
			n++
			root := NewRootCmd(IO{})
			cmd, rest, err := root.Find(args)
			if err != nil || cmd == root {
				t.Errorf("README command %q: no such ddt command (%v)", line, err)
				continue
			}
			if cmd.DisableFlagParsing {
				continue // build, run, test: everything goes to the go command
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Errorf("README command %q: %v", line, err)
			}
		}
	}
	if n < 4 {
		t.Errorf("found only %d ddt commands in the README", n)
	}
}

// TestReadmeGoSnippets checks that each Go snippet of the README is code
// that a test compiles: the readme_app script, the demo's generated
// code, or an integration's or a store's example. Lines are compared
// trimmed, in order; the source may have a few more lines in between (the
// README elides bodies with "// ...").
func TestReadmeGoSnippets(t *testing.T) {
	sources := []string{"testdata/script/readme_app.txtar"}
	for _, path := range []string{"internal/demo/flags.go",
		"runtime/integrations/ddtopenfeature/example_test.go", "runtime/integrations/ddtotel/example_test.go",
		"runtime/stores/ddtpg/example_test.go", "runtime/stores/ddtredis/example_test.go",
		"runtime/debugapi/client_test.go"} {
		sources = append(sources, filepath.Join(gomod.CheckoutDir(), path))
	}
	var texts []string
	for _, path := range sources {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		texts = append(texts, string(data))
	}
	for _, block := range readmeBlocks(t, "go") {
		found := false
		for _, src := range texts {
			if containsLinesInOrder(src, block) {
				found = true
			}
		}
		if !found {
			t.Errorf("README snippet is not in any tested source:\n%s", block)
		}
	}
}

func containsLinesInOrder(src, block string) bool {
	var want []string
	for _, l := range strings.Split(block, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			want = append(want, l)
		}
	}
	lines := strings.Split(src, "\n")
	for start := range lines {
		if strings.TrimSpace(lines[start]) != want[0] {
			continue
		}
		i := 1
		for j := start + 1; j < len(lines) && j < start+len(want)+3 && i < len(want); j++ {
			if strings.TrimSpace(lines[j]) == want[i] {
				i++
			}
		}
		if i == len(want) {
			return true
		}
	}
	return false
}
