package gobuild

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/testmod"
)

// sdkProgram serves one request on loopback through the toolbar, prints
// the Feature Flags panel's rows of that request, and exits. Its flags are
// evaluated through SDKs it does not own, which //ddt:calls rules
// instrument where they are called:
//
//   - OpenFeature's Client.BooleanValue (the real go-sdk v1.20.0) with the
//     request's context, from a goroutine still running when the request
//     is over: only the context attributes it;
//   - the same with context.Background() on the handler goroutine: the
//     goroutine attributes it;
//   - ffclient.BoolVariation and StringVariation, which take no context,
//     on the handler goroutine.
//
// Then it serves the request again with the override cookie the panel's
// controls set, and prints what the handler got and the rows again.
const sdkProgram = `package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"io"
	"net/http/httptest"
	"sort"

	"example.com/ffclient"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/open-feature/go-sdk/openfeature"
	"github.com/open-feature/go-sdk/openfeature/memprovider"
)

//ddt:calls flag (*github.com/open-feature/go-sdk/openfeature.Client).BooleanValue name=flag
//ddt:calls flag example.com/ffclient.BoolVariation name=0
//ddt:calls flag example.com/ffclient.StringVariation name=flagKey

// release lets the handler's goroutine end once the request is over.
var release = make(chan struct{})

func main() {
	provider := memprovider.NewInMemoryProvider(map[string]memprovider.InMemoryFlag{
		"of-ctx":        {Key: "of-ctx", State: memprovider.Enabled, DefaultVariant: "on", Variants: map[string]any{"on": true}},
		"of-background": {Key: "of-background", State: memprovider.Enabled, DefaultVariant: "off", Variants: map[string]any{"off": false}},
	})
	if err := openfeature.SetProviderAndWait(provider); err != nil {
		panic(err)
	}
	client := openfeature.NewDefaultClient()

	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		evaluated := make(chan bool)
		go func() {
			on, _ := client.BooleanValue(r.Context(), "of-ctx", false, openfeature.NewTargetlessEvaluationContext(nil))
			evaluated <- on
			<-release
		}()
		fromCtx := <-evaluated
		bg, _ := client.BooleanValue(context.Background(), "of-background", true, openfeature.EvaluationContext{})
		ff, _ := ffclient.BoolVariation("ff-new-ui", ffclient.NewEvaluationContext("ann"), false)
		theme, _ := ffclient.StringVariation("ff-theme", ffclient.NewEvaluationContext("ann"), "light")
		fmt.Fprintln(w, fromCtx, bg, ff, theme)
	})
	store := toolbar.NewMemoryStore(0)
	srv := httptest.NewServer(toolbar.Middleware(app, toolbar.Options{Store: store}))
	defer srv.Close()

	fmt.Print(get(srv.URL, store, ""))
	close(release) // the first request is over: its goroutine can end
	// The override cookie the panel's controls set: the generated call
	// helper returns the override in place of the SDK's answer.
	release = make(chan struct{})
	fmt.Print(get(srv.URL, store, "ff-new-ui=false&of-background=true&ff-theme=dark"))
	close(release)
}

// get requests the page with the override cookie flags, and returns what
// the handler answered and the rows of its Feature Flags panel.
func get(url string, store toolbar.Store, flags string) string {
	req, _ := http.NewRequest("GET", url+"/", nil)
	if flags != "" {
		req.AddCookie(&http.Cookie{Name: "ddt_flags", Value: flags})
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	out := "body: " + string(body)
	id := resp.Header.Get("X-DDT-Request-Id")
	rec, err := store.Get(context.Background(), id)
	if err != nil || rec == nil {
		panic(fmt.Sprintf("request %q not stored: %v", id, err))
	}
	for _, p := range rec.Panels {
		if p.ID != "featureflags" {
			continue
		}
		var stats struct {
			Rows []map[string]any // keyed by OpenTelemetry's names
		}
		if err := json.Unmarshal(p.Stats, &stats); err != nil {
			panic(err)
		}
		var rows []string
		for _, r := range stats.Rows {
			row := fmt.Sprint(r["feature_flag.key"], "=", r["feature_flag.result.value"])
			if o, ok := r["override"]; ok {
				row += fmt.Sprint(" overridden to ", o)
			}
			rows = append(rows, row)
		}
		sort.Strings(rows)
		for _, r := range rows {
			out += r + "\n"
		}
	}
	return out
}
`

// ffclientModule has the API of go-feature-flag's ffclient package
// (BoolVariation(flagKey, evaluation context, default) (bool, error), no
// context.Context), which the module proxy does not serve here.
var ffclientModule = map[string]string{
	"go.mod": "module example.com/ffclient\n\ngo 1.26.0\n",
	"ffclient.go": `// Package ffclient evaluates feature flags the way go-feature-flag's
// ffclient does: package-level functions and no context.Context.
package ffclient

// EvaluationContext says who a flag is evaluated for.
type EvaluationContext struct{ Key string }

// NewEvaluationContext returns the context of the user key.
func NewEvaluationContext(key string) EvaluationContext { return EvaluationContext{Key: key} }

// BoolVariation returns the value of a boolean flag for ctx.
func BoolVariation(flagKey string, ctx EvaluationContext, defaultValue bool) (bool, error) {
	return flagKey == "ff-new-ui" && ctx.Key != "", nil
}

// StringVariation returns the value of a string flag for ctx.
func StringVariation(flagKey string, ctx EvaluationContext, defaultValue string) (string, error) {
	return defaultValue, nil
}
`,
}

// TestGoCallRulesOnFlagSDKs builds a program with ddt build whose flags
// are evaluated through SDKs, and checks that every evaluation is in the
// request's Feature Flags panel.
func TestGoCallRulesOnFlagSDKs(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program with the OpenFeature SDK")
	}
	// The build is offline: the SDK must be in the module cache (the
	// OpenFeature integration's requirement puts it there).
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	zip := filepath.Join(strings.TrimSpace(string(modcache)), "cache", "download", "github.com", "open-feature", "go-sdk", "@v", "v1.20.0.zip")
	if _, err := os.Stat(zip); err != nil {
		t.Skipf("github.com/open-feature/go-sdk v1.20.0 is not in the module cache (go mod download github.com/open-feature/go-sdk@v1.20.0): %v", err)
	}
	ff := t.TempDir()
	for name, content := range ffclientModule {
		if err := os.WriteFile(filepath.Join(ff, name), []byte(content), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	dir := testmod.Write(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire (\n\t" + gomod.Module + " v0.0.0\n\tgithub.com/open-feature/go-sdk v1.20.0\n\texample.com/ffclient v0.0.0\n)\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n\nreplace example.com/ffclient => " + ff + "\n",
		"a.go":   "package main\n",
		"b.go":   sdkProgram,
	})
	got := buildAndRun(t, dir)
	want := "body: true false true light\nff-new-ui=true\nff-theme=light\nof-background=false\nof-ctx=true\n" +
		// Overridden: the evaluations on the handler's goroutine get the
		// override (of-ctx's goroutine is not the handler's, and it is
		// not overridden anyway); the rows keep the SDKs' own answers.
		"body: true true false dark\nff-new-ui=true overridden to false\nff-theme=light overridden to dark\nof-background=false overridden to true\nof-ctx=true\n"
	if string(got) != want {
		t.Errorf("the Feature Flags panel of the request holds:\n%s\nwant:\n%s", got, want)
	}
}

// buildAndRun builds the module in dir with ddt build, offline, and
// returns what the program prints.
func buildAndRun(t *testing.T, dir string) []byte {
	t.Helper()
	env := append(testmod.OfflineEnv(), "GOWORK=off")
	var out bytes.Buffer
	if err := Run(Options{Stdout: &out, Stderr: &out, Verb: "build", Args: []string{"-o", "prog", "."}, Dir: dir, Env: env}); err != nil {
		t.Fatalf("ddt build: %v\n%s", err, out.String())
	}
	got, err := exec.Command(filepath.Join(dir, "prog")).Output()
	if err != nil {
		t.Fatalf("the program: %v\n%s", err, got)
	}
	return got
}
