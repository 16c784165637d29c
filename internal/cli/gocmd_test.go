package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"
)

func TestNewCmdGoPassesArgumentsUntouched(t *testing.T) {
	tests := []struct {
		verb string
		args []string
	}{
		{"build", []string{"-o", "out", "-tags", "a b", "./cmd/x"}},
		{"build", []string{"--", "./x"}},
		{"run", []string{"-race", ".", "-h", "--verbose", "--", "x"}},
		{"test", []string{"./...", "-run", "TestX", "-v", "-args", "-update"}},
		{"test", nil},
	}
	for _, tt := range tests {
		t.Run(tt.verb+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			var got *GoOptions
			root := NewRootCmd(IO{Out: new(bytes.Buffer), Err: new(bytes.Buffer)})
			for _, c := range root.Commands() {
				if c.Name() == tt.verb {
					root.RemoveCommand(c)
				}
			}
			root.AddCommand(NewCmdGo(IO{}, tt.verb, func(o *GoOptions) error {
				got = o
				return nil
			}))
			root.SetArgs(append([]string{tt.verb}, tt.args...))
			if err := root.Execute(); err != nil {
				t.Fatal(err)
			}
			if got.Verb != tt.verb || !slices.Equal(got.Args, tt.args) {
				t.Errorf("verb %q args %q, want %q %q", got.Verb, got.Args, tt.verb, tt.args)
			}
		})
	}
}

func TestGoCommandHelp(t *testing.T) {
	for _, verb := range []string{"build", "run", "test"} {
		for _, flag := range []string{"-h", "--help"} {
			var stdout bytes.Buffer
			if code := Main([]string{verb, flag}, nil, &stdout, &stdout); code != 0 {
				t.Fatalf("ddt %s %s: exit status %d", verb, flag, code)
			}
			for _, want := range []string{"Examples:", "ddt " + verb, "-overlay"} {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("ddt %s %s lacks %q:\n%s", verb, flag, want, stdout.String())
				}
			}
		}
	}
}
