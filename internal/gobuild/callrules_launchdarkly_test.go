package gobuild

import (
	"os"
	"os/exec"
	"testing"

	"github.com/go-ddt/ddt/internal/gomod"
	"github.com/go-ddt/ddt/internal/testmod"
)

// launchDarklyVersion is the real flag SDK that takes no context.Context
// (BoolVariation(key, ldcontext.Context, default) (bool, error)), served by
// the module proxy here; go-feature-flag's is refused.
const launchDarklyVersion = "v7.14.6"

// launchDarklyProgram serves one request through the toolbar whose handler
// evaluates a LaunchDarkly flag (from the SDK's own test data source, no
// network) on its goroutine, then the same request with the override
// cookie, and prints what the handler got and the Feature Flags rows.
const launchDarklyProgram = `package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/go-ddt/ddt/runtime/toolbar"
	ld "github.com/launchdarkly/go-server-sdk/v7"
	"github.com/launchdarkly/go-sdk-common/v3/ldcontext"
	"github.com/launchdarkly/go-server-sdk/v7/ldcomponents"
	"github.com/launchdarkly/go-server-sdk/v7/testhelpers/ldtestdata"
)

//ddt:calls flag (*github.com/launchdarkly/go-server-sdk/v7.LDClient).BoolVariation name=key

func main() {
	td := ldtestdata.DataSource()
	td.Update(td.Flag("ld-new-ui").VariationForAll(true))
	client, err := ld.MakeCustomClient("sdk-key", ld.Config{DataSource: td, Events: ldcomponents.NoEvents(),
		Logging: ldcomponents.NoLogging()}, 0)
	if err != nil {
		panic(err)
	}
	defer client.Close()
	app := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		on, _ := client.BoolVariation("ld-new-ui", ldcontext.New("ann"), false)
		fmt.Fprintln(w, on)
	})
	store := toolbar.NewMemoryStore(0)
	srv := httptest.NewServer(toolbar.Middleware(app, toolbar.Options{Store: store}))
	defer srv.Close()
	for _, cookie := range []string{"", "ld-new-ui=false"} {
		req, _ := http.NewRequest("GET", srv.URL+"/", nil)
		if cookie != "" {
			req.AddCookie(&http.Cookie{Name: "ddt_flags", Value: cookie})
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Print("body: ", string(body))
		rec, err := store.Get(context.Background(), resp.Header.Get("X-DDT-Request-Id"))
		if err != nil {
			panic(err)
		}
		for _, p := range rec.Panels {
			if p.ID != "featureflags" {
				continue
			}
			var stats struct{ Rows []map[string]any }
			if err := json.Unmarshal(p.Stats, &stats); err != nil {
				panic(err)
			}
			for _, r := range stats.Rows {
				fmt.Println(r["feature_flag.key"], "=", r["feature_flag.result.value"], "override:", r["override"], "stack:", len(r["stack"].(map[string]any)) > 0)
			}
		}
	}
}
`

// TestGoCallRulesOnLaunchDarkly instruments the call sites of a real
// context-less flag SDK with a //ddt:calls rule and checks that its
// evaluations are in the request's Feature Flags panel, attributed through
// the handler's goroutine, and that an override applies.
func TestGoCallRulesOnLaunchDarkly(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches and builds a program with the LaunchDarkly SDK")
	}
	dir := testmod.Write(t, map[string]string{
		"go.mod": "module example.com/m\n\ngo 1.26.0\n\nrequire (\n\t" + gomod.Module + " v0.0.0\n\tgithub.com/launchdarkly/go-server-sdk/v7 " + launchDarklyVersion +
			"\n)\n\nreplace " + gomod.Module + " => " + gomod.CheckoutDir() + "\n",
		"a.go": "package main\n",
		"b.go": launchDarklyProgram,
	})
	// The SDK and its requirements, from the module proxy; the build is
	// then offline.
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = dir
	tidy.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off", "GOTOOLCHAIN=local")
	if out, err := tidy.CombinedOutput(); err != nil {
		if os.Getenv("DDT_REQUIRE_SERVICES") == "1" {
			t.Fatalf("go mod tidy (fetching the LaunchDarkly SDK): %v\n%s", err, out)
		}
		t.Skipf("the LaunchDarkly SDK cannot be fetched here: %v\n%s", err, out)
	}
	got := buildAndRun(t, dir)
	want := "body: true\nld-new-ui = true override: <nil> stack: true\n" +
		"body: false\nld-new-ui = true override: false stack: true\n"
	if string(got) != want {
		t.Errorf("the program printed:\n%s\nwant:\n%s", got, want)
	}
}
