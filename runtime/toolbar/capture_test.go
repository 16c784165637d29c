package toolbar_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html/template"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/calls"
	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

// hostile is a captured value that would run or break out of its markup if
// it were not escaped.
const hostile = `<script>alert("x")</script></body>'`

func TestCapturedValuesAreEscaped(t *testing.T) {
	s := toolbartest.NewServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		markedFlag(r.Context(), hostile)
		toolbar.Emit(r.Context(), "trace", hostile, "arg", hostile)
		w.Header().Set("X-Echo", hostile)
		io.WriteString(w, "<html><body>page</body></html>")
	}), toolbar.Options{})
	req, _ := http.NewRequest("GET", s.URL+"/"+url.PathEscape(hostile)+"?q="+url.QueryEscape(hostile), nil)
	req.Header.Set("X-Hostile", hostile)
	resp, body := s.Do(req)
	id := s.RequestID(resp)
	if got := string(body); got != `<html><body>page<script src="/__debug__/static/toolbar.js" data-ddt-request="`+id+`" data-ddt-prefix="/__debug__/" defer="defer"></script></body></html>` {
		t.Errorf("page = %s", got)
	}
	for _, pid := range []string{"featureflags", "calls", "request", "headers"} {
		html := s.Panel(id, pid)
		if strings.Contains(html, "<script") || strings.Contains(html, "</body>") || strings.Contains(html, `"x"`) {
			t.Errorf("panel %s has the value unescaped:\n%s", pid, html)
		}
		if !strings.Contains(html, "&lt;script&gt;alert(") {
			t.Errorf("panel %s does not show the value as text:\n%s", pid, html)
		}
	}
	for _, path := range []string{"api/requests", "api/requests/" + id} {
		if _, body := s.Get("/__debug__/" + path); bytes.Contains(body, []byte("<script")) {
			t.Errorf("%s has the value unescaped: %s", path, body)
		}
	}
}

func TestSecretsAreRedacted(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "set-cookie-secret"})
		w.Header().Set("X-Auth-Token", "response-token-secret")
		io.WriteString(w, "<html><body>welcome "+r.PostForm.Get("user")+"</body></html>")
	})
	mux.HandleFunc("POST /echo", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(w, r.Body) // the toolbar must leave the body to the handler
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})
	secrets := []string{"form-password-secret", "query-token-secret", "cookie-secret", "bearer-secret", "api-key-secret", "set-cookie-secret", "response-token-secret"}
	req, _ := http.NewRequest("POST", s.URL+"/login?access_token=query-token-secret&page=2",
		strings.NewReader("user=ann&password=form-password-secret"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer bearer-secret")
	req.Header.Set("X-Api-Key", "api-key-secret")
	req.AddCookie(&http.Cookie{Name: "sid", Value: "cookie-secret"})
	resp, body := s.Do(req)
	id := s.RequestID(resp)
	if !strings.Contains(string(body), "welcome ann") {
		t.Fatalf("page: %s", body)
	}
	rec, _ := s.Store.Get(t.Context(), id)
	stored, _ := json.Marshal(rec)
	for _, secret := range secrets {
		if bytes.Contains(stored, []byte(secret)) {
			t.Errorf("%q is stored", secret)
		}
	}
	reqPanel := s.Panel(id, "request")
	for _, want := range []string{"<code>user</code></th><td><code>ann</code>", "<code>password</code></th><td><code>********</code>", "<code>sid</code></th><td><code>********</code>", "<code>page</code></th><td><code>2</code>", "access_token=********&amp;page=2"} {
		if !strings.Contains(reqPanel, want) {
			t.Errorf("request panel lacks %s:\n%s", want, reqPanel)
		}
	}
	headers := s.Panel(id, "headers")
	for _, name := range []string{"Authorization", "X-Api-Key", "Cookie", "Set-Cookie", "X-Auth-Token"} {
		if !strings.Contains(headers, "<code>"+name+"</code></th><td><code>********</code>") {
			t.Errorf("headers panel: %s not redacted:\n%s", name, headers)
		}
	}

	resp, body = s.Do(mustRequest("POST", s.URL+"/echo", "a=1&password=x"))
	if string(body) != "a=1&password=x" {
		t.Errorf("the handler read %q of its body", body)
	}
	if html := s.Panel(s.RequestID(resp), "request"); !strings.Contains(html, "The handler did not parse a form.") {
		t.Errorf("request panel for an unparsed body:\n%s", html)
	}
}

func mustRequest(method, url, body string) *http.Request {
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		panic(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// searchPanel receives the "search" kind, so the Calls panel does not.
type searchPanel struct {
	panel.Base
	Queries []string
}

func (*searchPanel) ID() string                   { return "search" }
func (*searchPanel) Title() string                { return "Search" }
func (*searchPanel) Kinds() []string              { return []string{"search"} }
func (*searchPanel) Template() *template.Template { return hooksTmpl }
func (p *searchPanel) Record(e *panel.Event)      { p.Queries = append(p.Queries, e.Name) }

func TestEventRouting(t *testing.T) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		markedCustom(r.Context(), "q1")                    // kind search
		toolbar.Emit(r.Context(), "cache", "k1", "hit", 1) // kind nobody lists
		markedTrace("t1", 1)
		markedFlag(r.Context(), "f1")
		done := toolbar.Start(r.Context(), "cache", "k2")
		time.Sleep(time.Millisecond)
		done(true, nil)
	})
	names := func(s *toolbartest.Server, id string) (flags, callNames, queries []string) {
		var ff featureflags.Panel
		var cp calls.Panel
		s.Stats(id, "featureflags", &ff)
		s.Stats(id, "calls", &cp)
		for _, e := range ff.Rows {
			flags = append(flags, e.Key)
		}
		for _, c := range cp.Calls {
			callNames = append(callNames, c.Kind+":"+c.Name)
		}
		if rec, _ := s.Store.Get(t.Context(), id); slices.ContainsFunc(rec.Panels, func(p toolbar.StoredPanel) bool { return p.ID == "search" }) {
			var sp searchPanel
			s.Stats(id, "search", &sp)
			queries = sp.Queries
		}
		return
	}

	s := toolbartest.NewServer(t, handler, toolbar.Options{})
	resp, _ := s.Get("/")
	id := s.RequestID(resp)
	flags, callNames, _ := names(s, id)
	if strings.Join(flags, ",") != "f1" || strings.Join(callNames, ",") != "search:q1,cache:k1,trace:t1,cache:k2" {
		t.Errorf("without a search panel: flags %v, calls %v", flags, callNames)
	}
	var cp calls.Panel
	s.Stats(id, "calls", &cp)
	if last := cp.Calls[3]; last.Duration < time.Millisecond || len(last.Results) != 2 || last.Results[0].Value != "true" {
		t.Errorf("toolbar.Start's event: %+v", last)
	}
	if first := cp.Calls[0]; first.Func != "toolbar_test.markedCustom" || first.Args[0].Value != `"q1"` || first.Results[0].Name != "hits" {
		t.Errorf("a marked call: %+v", first)
	}
	if f := cp.Calls[1].Stack.Frames; len(f) == 0 || !strings.HasSuffix(f[0].Func, "TestEventRouting.func1") || f[0].Hidden {
		t.Errorf("the first frame of an emitted event is not the emitting handler: %+v", f)
	}

	s = toolbartest.NewServer(t, handler, toolbar.Options{Panels: []func() panel.Panel{func() panel.Panel { return new(searchPanel) }}})
	resp, _ = s.Get("/")
	_, callNames, queries := names(s, s.RequestID(resp))
	if strings.Join(callNames, ",") != "cache:k1,trace:t1,cache:k2" || strings.Join(queries, ",") != "q1" {
		t.Errorf("with a search panel: calls %v, queries %v", callNames, queries)
	}

	s = toolbartest.NewServer(t, handler, toolbar.Options{MaxEvents: 3, NoStacks: true})
	resp, _ = s.Get("/")
	id = s.RequestID(resp)
	flags, callNames, _ = names(s, id)
	if d := s.Detail(id); d.Dropped != 2 || len(flags)+len(callNames) != 3 {
		t.Errorf("with MaxEvents 3: dropped %d, kept %v %v", d.Dropped, flags, callNames)
	}
	var cpNoStacks calls.Panel
	s.Stats(id, "calls", &cpNoStacks)
	if len(cpNoStacks.Calls[0].Stack.Frames) != 0 {
		t.Errorf("NoStacks: a stack was captured: %+v", cpNoStacks.Calls[0].Stack)
	}
}

// TestLateAndPanickingRequests: an event that reaches a request after it
// has finished is unattributed, not lost and not put elsewhere; a handler
// that panics still has its request stored.
func TestLateAndPanickingRequests(t *testing.T) {
	late := make(chan context.Context, 1)
	holding := make(chan struct{})
	lateDone := make(chan struct{})
	go func() {
		ctx := <-late
		<-holding // another request is in flight, so ddtrt is active
		markedFlag(ctx, "late")
		close(lateDone)
	}()
	mux := http.NewServeMux()
	mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) { late <- r.Context() })
	mux.HandleFunc("/hold", func(w http.ResponseWriter, r *http.Request) {
		close(holding)
		<-lateDone
	})
	mux.HandleFunc("/panic", func(w http.ResponseWriter, r *http.Request) {
		markedFlag(r.Context(), "before-panic")
		panic("handler failed")
	})
	store := toolbar.NewMemoryStore(10)
	srv := httptest.NewUnstartedServer(toolbar.Middleware(mux, toolbar.Options{Enable: toolbar.On, Store: store}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Start()
	defer srv.Close()

	before, _ := panel.Unattributed()
	resp, err := srv.Client().Get(srv.URL + "/late")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	lateID := resp.Header.Get(toolbar.RequestIDHeader)
	resp, err = srv.Client().Get(srv.URL + "/hold")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	after, recent := panel.Unattributed()
	if after != before+1 || recent[len(recent)-1].Name != "late" {
		t.Errorf("late event: unattributed %d -> %d", before, after)
	}
	for _, id := range []string{lateID, resp.Header.Get(toolbar.RequestIDHeader)} {
		rec, _ := store.Get(t.Context(), id)
		if stats := string(flagStats(rec)); stats == "" || strings.Contains(stats, "late") {
			t.Errorf("late event in request %s: %s", rec.Path, stats)
		}
	}

	if _, err := srv.Client().Get(srv.URL + "/panic"); err == nil {
		t.Fatal("a panicking handler's response arrived")
	}
	list, _ := store.List(t.Context(), toolbar.ListFilter{})
	if s := list[0]; !s.Panicked || s.Path != "/panic" {
		t.Fatalf("panicking request stored as %+v", s)
	}
	rec, _ := store.Get(t.Context(), list[0].ID)
	if stats := string(flagStats(rec)); !strings.Contains(stats, "before-panic") {
		t.Errorf("panicking request's flags: %s", stats)
	}
}

// flagStats returns the stored stats of a record's Feature Flags panel.
func flagStats(rec *toolbar.StoredRequest) []byte {
	for _, p := range rec.Panels {
		if p.ID == "featureflags" {
			return p.Stats
		}
	}
	return nil
}
