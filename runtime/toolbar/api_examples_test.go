package toolbar_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/apitest"
	"golang.org/x/tools/txtar"
)

var updateExamples = flag.Bool("update-api-examples", false, "rewrite testdata/api/examples.txtar from the server's answers")

// examplesFile holds the JSON API's documented examples, which the README
// quotes: each file is named "GET <path> → <status>" and holds the answer.
const examplesFile = "testdata/api/examples.txtar"

// exampleTraffic is what the app serves before the examples are asked:
// the examples describe these requests.
var exampleTraffic = []struct{ method, path, body string }{
	{"GET", "/api/users", ""},
	{"GET", "/api/users/2", ""},
	{"POST", "/api/users", `{"name":"Dana","email":"dana@example.com"}`},
	{"GET", "/api/users/99", ""},
	{"GET", "/api/report", ""},
}

// volatile are the fields whose values differ from run to run: only their
// JSON type is compared. dropped are left out of the comparison: they are
// absent when zero, and count events of the whole process.
var (
	volatile = map[string]bool{"started": true, "duration_ms": true, "Offset": true, "Duration": true, "nav_subtitle": true,
		"file": true, "line": true}
	dropped = map[string]bool{"unattributed": true, "dropped": true}
)

// TestAPIExamples asks the JSON API what its documented examples ask, of
// an app that served exampleTraffic, and compares the answers with the
// examples: the same fields, the same values but for the volatile ones,
// request ids matched one to one. It checks that the README quotes every
// example.
func TestAPIExamples(t *testing.T) {
	app := apitest.Start(t)
	var run []string
	for _, r := range exampleTraffic {
		_, id := app.Do(t, r.method, r.path, r.body)
		run = append(run, id)
	}
	ids := newIDMap(run)
	ar, err := txtar.ParseFile(examplesFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ar.Files) == 0 {
		t.Fatalf("%s holds no example", examplesFile)
	}
	for i := range ar.Files {
		f := &ar.Files[i]
		method, rest, _ := strings.Cut(f.Name, " ")
		path, wantStatus, ok := strings.Cut(rest, " → ")
		if method != "GET" || !ok {
			t.Fatalf("%s: example %q: want \"GET <path> → <status>\"", examplesFile, f.Name)
		}
		path = rewrite(path, ids.toRun)
		resp, err := http.Get(app.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if *updateExamples {
			// Stack frames name files as compiled: not this checkout's.
			wd, _ := os.Getwd()
			root := filepath.Dir(filepath.Dir(wd))
			f.Data = []byte(strings.ReplaceAll(rewrite(string(indent(t, body)), ids.toExample), root+"/", "/home/you/src/ddt/"))
			f.Name = fmt.Sprintf("GET %s → %d", rewrite(path, ids.toExample), resp.StatusCode)
			continue
		}
		if got := fmt.Sprint(resp.StatusCode); got != wantStatus {
			t.Errorf("%s: status %s, documented %s", f.Name, got, wantStatus)
		}
		var want, got any
		if err := json.Unmarshal(f.Data, &want); err != nil {
			t.Fatalf("%s: the example is not JSON: %v", f.Name, err)
		}
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("%s: the answer is not JSON: %v\n%s", f.Name, err, body)
		}
		if diff := ids.compare("", want, got); diff != "" {
			t.Errorf("%s: the answer differs from the example at %s\nanswer:\n%s", f.Name, diff, indent(t, body))
		}
	}
	if *updateExamples {
		if err := os.WriteFile(examplesFile, txtar.Format(ar), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		name, _, _ := strings.Cut(f.Name, " → ")
		if !bytes.Contains(readme, []byte(name+"\n")) || !bytes.Contains(readme, f.Data) {
			t.Errorf("README does not quote the example %q of %s as it is", f.Name, examplesFile)
		}
	}
}

func indent(t *testing.T, body []byte) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "  "); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, body)
	}
	b.WriteByte('\n')
	return b.Bytes()
}

// idMap matches the request ids of the examples with those of the run:
// the example id of the i-th request of exampleTraffic is i+1 in 32 hex
// digits.
type idMap struct {
	toRun     map[string]string // example id -> run id
	toExample map[string]string
}

func newIDMap(run []string) idMap {
	m := idMap{toRun: map[string]string{}, toExample: map[string]string{}}
	for i, id := range run {
		ex := fmt.Sprintf("%032x", i+1)
		m.toRun[ex], m.toExample[id] = id, ex
	}
	return m
}

// rewrite replaces the ids in s, from one side to the other.
func rewrite(s string, ids map[string]string) string {
	for from, to := range ids {
		s = strings.ReplaceAll(s, from, to)
	}
	return s
}

// compare returns where got differs from want, or "".
func (m *idMap) compare(at string, want, got any) string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: %T, want an object", at, got)
		}
		for k := range dropped {
			delete(w, k)
			delete(g, k)
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return at + "." + k + ": missing"
			}
			if volatile[k] {
				if reflect.TypeOf(wv) != reflect.TypeOf(gv) {
					return fmt.Sprintf("%s.%s: %T, want %T", at, k, gv, wv)
				}
				continue
			}
			if k == "id" || k == "next" {
				if ws, ok := wv.(string); ok && m.toRun[ws] != "" {
					if gv != m.toRun[ws] {
						return fmt.Sprintf("%s.%s: %v, want the request of example id %s, %s", at, k, gv, ws, m.toRun[ws])
					}
					continue
				}
			}
			if d := m.compare(at+"."+k, wv, gv); d != "" {
				return d
			}
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				return at + "." + k + ": not in the example"
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return fmt.Sprintf("%s: %d elements, want %d", at, len(g), len(w))
		}
		for i := range w {
			if d := m.compare(fmt.Sprintf("%s[%d]", at, i), w[i], g[i]); d != "" {
				return d
			}
		}
	default:
		if !reflect.DeepEqual(want, got) {
			return fmt.Sprintf("%s: %v, want %v", at, got, want)
		}
	}
	return ""
}
