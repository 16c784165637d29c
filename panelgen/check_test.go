package panelgen

import (
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
)

// FindMarked reads directives as ddt instrument does: it finds the
// functions instrument would instrument, skips what ./... skips, and
// rejects what instrument rejects, with the same messages.
func TestFindMarked(t *testing.T) {
	root := t.TempDir()
	for name, src := range map[string]string{
		"a.go": `package a

import "context"

//ddt:lookup
func Get(ctx context.Context, key string) string { return key }

//ddt:lookup name=key
func (s *Store) Put(ctx context.Context, key, value string) {}

//ddt:trace
func Other(ctx context.Context) {}

//ddt:lookup colour=red
func Bad(ctx context.Context) {}

type Store struct{}
`,
		"ignored.go": `//ddt:ignore

package a

//ddt:lookup
func Ignored(ctx string) {}
`,
		"_old/old.go":          "package old\n\n//ddt:lookup\nfunc Old(x int) {}\n",
		".hidden/h.go":         "package h\n\n//ddt:lookup\nfunc H(x int) {}\n",
		"testdata/t.go":        "package t\n\n//ddt:lookup\nfunc T(x int) {}\n",
		"vendor/v/v.go":        "package v\n\n//ddt:lookup\nfunc V(x int) {}\n",
		"sub/sub.go":           "package sub\n\n//ddt:lookup\nvar X = 1\n",
		"sub/withoutdirective": "not go",
	} {
		path := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	marked, err := FindMarked(root, []string{"lookup"})
	want := []MarkedFunc{
		{Kind: "lookup", Name: "Get", Pos: "a.go:6", Params: []string{"ctx", "key"}},
		{Kind: "lookup", Name: "Store.Put", Pos: "a.go:9", Params: []string{"s", "ctx", "key", "value"}},
		// Marked, with an option instrument rejects (reported below).
		{Kind: "lookup", Name: "Bad", Pos: "a.go:15", Params: []string{"ctx"}},
	}
	if !reflect.DeepEqual(marked, want) {
		t.Errorf("marked = %+v\nwant %+v", marked, want)
	}
	var bad DirectiveErrors
	if !errors.As(err, &bad) {
		t.Fatalf("error = %v, want DirectiveErrors", err)
	}
	wantErr := `a.go:14:14: unknown option "colour" (known: name)
sub/sub.go:3:1: //ddt:lookup on a variable declaration: directives apply to functions with a body`
	if err.Error() != wantErr {
		t.Errorf("errors:\n%s\nwant:\n%s", err, wantErr)
	}
}

// The demo is instrumented in place (ddt instrument -w): its marker
// comments are ddt's own, not directives to reject.
func TestFindMarkedInPlaceInstrumented(t *testing.T) {
	marked, err := FindMarked(filepath.Join("..", "internal", "demo"), []string{"flag"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range marked {
		got = append(got, m.Pos)
	}
	// The lines of the file as it is, not as stripped.
	if want := []string{"flags.go:41", "flags.go:54"}; !slices.Equal(got, want) {
		t.Errorf("marked at %q, want %q", got, want)
	}
}
