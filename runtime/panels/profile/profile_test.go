package profile_test

import (
	"bytes"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/profile"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

var sink atomic.Uint64

// burnProfiled and burnOther use about d of CPU, under names the profile's
// table shows.
//
//go:noinline
func burnProfiled(d time.Duration) { burn(d) }

//go:noinline
func burnOther(d time.Duration) { burn(d) }

func burn(d time.Duration) {
	// A fixed amount of work, not of time: on a loaded machine it takes
	// longer but still gets its CPU samples. 1e6 steps take about 1.6 ms.
	x := uint64(1)
	for i := int64(0); i < int64(d/(1600*time.Microsecond))*1_000_000; i++ {
		x = x*6364136223846793005 + 1442695040888963407
	}
	sink.Add(x)
}

// app serves the test pages; /wait tells started that it runs (and so
// holds the profiler, when profiled), then waits for gate to close.
func app(started, gate chan struct{}) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/work", func(w http.ResponseWriter, r *http.Request) {
		var wg sync.WaitGroup
		wg.Go(func() { burnProfiled(150 * time.Millisecond) }) // a goroutine of the request: its samples count
		burnProfiled(150 * time.Millisecond)
		wg.Wait()
		io.WriteString(w, "<html><body>worked</body></html>")
	})
	mux.HandleFunc("/short", func(w http.ResponseWriter, r *http.Request) {
		burnProfiled(5 * time.Millisecond)
		io.WriteString(w, "<html><body>short</body></html>")
	})
	mux.HandleFunc("/other", func(w http.ResponseWriter, r *http.Request) {
		burnOther(300 * time.Millisecond)
		io.WriteString(w, "<html><body>other</body></html>")
	})
	mux.HandleFunc("/wait", func(w http.ResponseWriter, r *http.Request) {
		if started != nil {
			started <- struct{}{}
		}
		<-gate
		io.WriteString(w, "<html><body>waited</body></html>")
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) })
	return mux
}

func TestProfile(t *testing.T) {
	s := toolbartest.NewServer(t, app(nil, nil), toolbar.Options{Panels: []func() panel.Panel{profile.New}})
	s.SwitchOn("profile")

	// Not asked for: no profile, and a link to ask for one.
	resp, _ := s.Get("/work?page=2")
	id := s.RequestID(resp)
	if nav := s.Nav(id, "profile"); nav.NavSubtitle != "add ?ddt-profile=1" {
		t.Errorf("nav subtitle %q", nav.NavSubtitle)
	}
	if html := s.Panel(id, "profile"); !strings.Contains(html, `<a class="ddt-profile-link" href="/work?ddt-profile=1&amp;page=2">`) {
		t.Errorf("panel without a profile:\n%s", html)
	}

	// A profiled request, while another request burns CPU of its own: the
	// table counts the profiled request's goroutines only.
	var other sync.WaitGroup
	other.Go(func() { s.Get("/other") })
	time.Sleep(20 * time.Millisecond)
	resp, _ = s.Get("/work?ddt-profile=1")
	other.Wait()
	id = s.RequestID(resp)
	var p profile.Panel
	s.Stats(id, "profile", &p)
	if !p.Requested || p.Busy != "" || p.ProfileError != "" || p.Request != id || p.Key == "" {
		t.Fatalf("profile: %+v", p)
	}
	if p.Samples < 5 || p.CPU < 50*time.Millisecond || p.AllSamples < p.Samples || p.Period != 10*time.Millisecond {
		t.Errorf("samples %d of %d, CPU %v, period %v", p.Samples, p.AllSamples, p.CPU, p.Period)
	}
	names := map[string]profile.Func{}
	for _, f := range p.Top {
		names[f.Name] = f
	}
	if f, ok := names["github.com/go-ddt/ddt/runtime/panels/profile_test.burn"]; !ok || f.FlatPct < 50 {
		t.Errorf("burn: %+v in %+v", f, p.Top)
	}
	if _, ok := names["github.com/go-ddt/ddt/runtime/panels/profile_test.burnProfiled"]; !ok {
		t.Errorf("burnProfiled is not in the table: %+v", p.Top)
	}
	if _, ok := names["github.com/go-ddt/ddt/runtime/panels/profile_test.burnOther"]; ok {
		t.Errorf("another request's function is in the table: %+v", p.Top)
	}
	if nav := s.Nav(id, "profile"); !regexp.MustCompile(`^\d+ samples, [0-9.]+ ms CPU$`).MatchString(nav.NavSubtitle) {
		t.Errorf("nav subtitle %q", nav.NavSubtitle)
	}
	html := s.Panel(id, "profile")
	for _, want := range []string{
		`<a class="ddt-profile-cpu" href="/__debug__/ext/profile/` + p.Key + `/cpu.pprof?instance=`,
		`<a class="ddt-profile-trace" href="/__debug__/ext/profile/` + p.Key + `/trace.out?instance=`,
		`(kept in the memory of instance <code>` + toolbar.DefaultInstance() + `</code>)`,
		`<code class="ddt-func">github.com/go-ddt/ddt/runtime/panels/profile_test.burn</code>`,
		`-tagfocus=ddt_request=` + id,
	} {
		if !strings.Contains(withoutWbr(html), want) {
			t.Errorf("panel lacks %s", want)
		}
	}

	// The downloads, read by the go tools.
	dir := t.TempDir()
	download := func(file string) string {
		resp, body := s.Get("/__debug__/ext/profile/" + p.Key + "/" + file)
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
			t.Fatalf("%s: %s %s", file, resp.Status, resp.Header.Get("Content-Disposition"))
		}
		path := filepath.Join(dir, file)
		os.WriteFile(path, body, 0o644)
		return path
	}
	cpu := download("cpu.pprof")
	out, err := exec.Command("go", "tool", "pprof", "-top", "-tagfocus=ddt_request="+id, cpu).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "profile_test.burn") || strings.Contains(string(out), "burnOther") {
		t.Errorf("go tool pprof: %v\n%s", err, out)
	}
	tr := download("trace.out")
	if p.TraceBytes < 1000 {
		t.Errorf("trace of %d bytes", p.TraceBytes)
	}
	out, err = exec.Command("go", "tool", "trace", "-d=parsed", tr).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("GoCreate")) && !bytes.Contains(out, []byte("StateTransition")) {
		t.Errorf("go tool trace -d=parsed: %v\n%.2000s", err, out)
	}

	for path, status := range map[string]int{
		"/__debug__/ext/profile/" + p.Key + "/other.bin":                    404,
		"/__debug__/ext/profile/0123456789abcdef0123456789abcdef/cpu.pprof": 404,
		"/__debug__/ext/profile/cpu.pprof":                                  404,
	} {
		if resp, _ := s.Get(path); resp.StatusCode != status {
			t.Errorf("%s: %s", path, resp.Status)
		}
	}
}

// TestOneAtATime checks that a request asking for a profile while another
// is profiled is served, unprofiled, with a message; and that a handler
// that panics frees the profiler.
func TestOneAtATime(t *testing.T) {
	started, gate := make(chan struct{}), make(chan struct{})
	s := toolbartest.NewServer(t, app(started, gate), toolbar.Options{Panels: []func() panel.Panel{profile.New}})
	s.SwitchOn("profile")
	first := make(chan *http.Response)
	go func() {
		resp, _ := s.Get("/wait?ddt-profile=1")
		first <- resp
	}()
	<-started // the first request is being profiled
	resp, _ := s.Get("/work?ddt-profile=1")
	id := s.RequestID(resp)
	close(gate)
	resp = <-first
	if nav := s.Nav(id, "profile"); nav.NavSubtitle != "busy: not profiled" {
		t.Errorf("busy nav subtitle %q", nav.NavSubtitle)
	}
	if html := s.Panel(id, "profile"); !strings.Contains(html, `<p class="ddt-warn ddt-profile-busy">Another request was being profiled`) {
		t.Errorf("busy panel:\n%s", html)
	}
	var p profile.Panel
	s.Stats(s.RequestID(resp), "profile", &p)
	if p.Busy != "" || p.Key == "" {
		t.Errorf("the first request: %+v", p)
	}

	// A panicking handler, then a profile again.
	req, _ := http.NewRequest("GET", s.URL+"/panic?ddt-profile=1", nil)
	if resp, err := s.Client().Do(req); err == nil {
		resp.Body.Close()
	}
	go func() { <-started }()
	resp, _ = s.Get("/wait?ddt-profile=1")
	s.Stats(s.RequestID(resp), "profile", &p)
	if p.Busy != "" || p.Key == "" {
		t.Errorf("after a panic: %+v", p)
	}
}

// TestSwitch checks the on and off routes of the handler, and that the
// cookie has every request profiled.
func TestSwitch(t *testing.T) {
	s := toolbartest.NewServer(t, app(nil, nil), toolbar.Options{Panels: []func() panel.Panel{profile.New}})
	s.SwitchOn("profile")
	c := *s.Client()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	for _, c2 := range []struct{ path, location string }{
		{"/__debug__/ext/profile/on?next=/work", "/work"},
		{"/__debug__/ext/profile/on?next=//evil.example/x", "/"},
		{"/__debug__/ext/profile/on?next=https://evil.example/", "/"},
	} {
		resp, err := c.Get(s.URL + c2.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != c2.location || !strings.HasPrefix(resp.Header.Get("Set-Cookie"), "ddt_profile=1;") {
			t.Errorf("%s: %s, Location %q, Set-Cookie %q", c2.path, resp.Status, resp.Header.Get("Location"), resp.Header.Get("Set-Cookie"))
		}
	}
	req, _ := http.NewRequest("GET", s.URL+"/work", nil)
	req.AddCookie(&http.Cookie{Name: profile.Cookie, Value: "1"})
	resp, _ := s.Do(req)
	var p profile.Panel
	s.Stats(s.RequestID(resp), "profile", &p)
	if !p.Requested || !p.Always || p.Key == "" {
		t.Errorf("with the cookie: %+v", p)
	}
	if html := s.Panel(s.RequestID(resp), "profile"); !strings.Contains(html, `href="/__debug__/ext/profile/off?next=%2fwork"`) {
		t.Errorf("no off link:\n%s", html)
	}
}

// TestConcurrentRequests sends many requests asking for a profile at once:
// each is served; those that got the profiler have a profile labelled with
// their own id, the others say they were turned away.
func TestConcurrentRequests(t *testing.T) {
	const requests, workers = 40, 8
	s := toolbartest.NewServer(t, app(nil, nil), toolbar.Options{
		Panels: []func() panel.Panel{profile.New},
		Store:  toolbar.NewMemoryStore(requests),
	})
	s.SwitchOn("profile")
	ids := toolbartest.Concurrently(requests, workers, func(int) string { return s.Fetch("/short?ddt-profile=1") })
	profiled, keys := 0, map[string]bool{}
	for _, id := range ids {
		var p profile.Panel
		s.Stats(id, "profile", &p)
		switch {
		case p.Busy != "":
			if p.Key != "" || len(p.Top) != 0 {
				t.Errorf("request %s was turned away but has a profile: %+v", id, p)
			}
		case p.Request != id || p.Key == "" || keys[p.Key]:
			t.Errorf("request %s: profile of %q, key %q", id, p.Request, p.Key)
		default:
			profiled++
			keys[p.Key] = true
		}
	}
	if profiled == 0 {
		t.Error("no request was profiled")
	}
	t.Logf("%d of %d requests profiled", profiled, requests)
}

// withoutWbr removes the line break opportunities that stack traces put
// between the parts of qualified names and paths.
func withoutWbr(html string) string { return strings.ReplaceAll(html, "<wbr>", "") }
