package ddtslog_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddtslog"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/logs"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/slogtest"
)

// lockedBuffer is the console of the tests' loggers: handlers write to it
// from several requests at once.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type panicError struct{}

func (*panicError) Error() string { panic("no message") }

func TestPanelThroughServer(t *testing.T) {
	var console lockedBuffer
	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(&console, nil), nil))
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		log := logger.With("path", r.URL.Path, "session_id", "sess-123")
		log.InfoContext(ctx, "loading <dashboard>", "user", 7, slog.Group("login", "password", "hunter2", "method", "otp"))
		log.DebugContext(ctx, "cache miss", "entry", "dash:7")
		var wg sync.WaitGroup
		wg.Go(func() { // no context: the goroutine tells the request
			logger.WithGroup("worker").Warn("slow backend", "took_ms", 1200, "api_key", "k-1")
		})
		wg.Wait()
		logger.ErrorContext(ctx, "render failed", "err", errors.New("template: missing <key>"), "bad", (*panicError)(nil))
		io.WriteString(w, "<html><body>dashboard</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{logs.New}})
	resp, _ := s.Get("/dash")
	id := s.RequestID(resp)

	if nav := s.Nav(id, "logs"); nav.NavSubtitle != "4 messages, 1 error" {
		t.Errorf("nav subtitle %q", nav.NavSubtitle)
	}
	var p logs.Panel
	s.Stats(id, "logs", &p)
	var got []string
	for _, e := range p.Entries {
		var attrs []string
		for _, a := range e.Attrs {
			attrs = append(attrs, a.Name+"="+a.Value)
		}
		got = append(got, e.Level+" "+e.Class+" "+e.Message+" | "+strings.Join(attrs, " "))
	}
	want := []string{
		`INFO  loading <dashboard> | path="/dash" session_id=******** user=7 login.password=******** login.method="otp"`,
		`DEBUG ddt-muted cache miss | path="/dash" session_id=******** entry="dash:7"`,
		`WARN ddt-warn slow backend | worker.took_ms=1200 worker.api_key=********`,
		`ERROR ddt-error render failed | err=template: missing <key> bad=<Error panicked: "no message">`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if f := p.Entries[0].Source.Frames; len(f) == 0 || !strings.HasSuffix(f[0].File, "ddtslog/ddtslog_test.go") || !strings.Contains(f[0].Func, "TestPanelThroughServer") {
		t.Errorf("source %+v", f)
	}

	// The console got the records as if ddtslog were not there: no debug
	// record, secrets as the application logged them.
	out := console.String()
	if strings.Contains(out, "cache miss") || !strings.Contains(out, "login.password=hunter2") || strings.Count(out, "\n") != 3 {
		t.Errorf("console:\n%s", out)
	}

	page := s.Panel(id, "logs")
	for _, want := range []string{
		`<td><strong class="ddt-error">ERROR</strong></td>`,
		`<td class="ddt-error">render failed</td>`,
		`<td>loading &lt;dashboard&gt;</td>`,
		`<code>err=template: missing &lt;key&gt;</code>`,
		`<code>login.password=********</code>`,
		`<code class="ddt-func">github.com/go-ddt/ddt/runtime/integrations/ddtslog_test.TestPanelThroughServer.func1</code>`,
	} {
		if !strings.Contains(withoutWbr(page), want) {
			t.Errorf("panel lacks %s", want)
		}
	}
	if strings.Contains(page, "hunter2") || strings.Contains(page, "sess-123") || strings.Contains(page, "k-1") {
		t.Errorf("panel shows a secret:\n%s", page)
	}
}

// TestConformance runs log/slog's own handler tests on a JSON handler
// wrapped by ddtslog, while a request is recorded: the wrapper must not
// change what the wrapped handler gets.
func TestConformance(t *testing.T) {
	var buf bytes.Buffer
	h := ddtslog.NewHandler(slog.NewJSONHandler(&buf, nil), nil)
	rec := event.NewRecorder(0)
	_, unbind := event.Bind(context.Background(), "conformance", rec)
	defer unbind()
	results := func() []map[string]any {
		var ms []map[string]any
		for _, line := range bytes.Split(buf.Bytes(), []byte("\n")) {
			if len(line) == 0 {
				continue
			}
			var m map[string]any
			if err := json.Unmarshal(line, &m); err != nil {
				t.Fatal(err)
			}
			ms = append(ms, m)
		}
		return ms
	}
	if err := slogtest.TestHandler(h, results); err != nil {
		t.Error(err)
	}
	if len(rec.Events()) == 0 {
		t.Error("nothing captured while a request was recorded")
	}
}

// TestLevelOption checks that Options.Level raises what is captured, and
// that the wrapped handler's level still decides what it gets.
func TestLevelOption(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelError}),
		&ddtslog.Options{Level: slog.LevelWarn}))
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "levels", rec)
	for _, l := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		logger.Log(ctx, l, "at "+l.String())
	}
	unbind()
	logger.Error("after the request") // nothing is being recorded: not captured

	// Without a handler to pass them to, records are only captured.
	only := slog.New(ddtslog.NewHandler(nil, nil))
	ctx, unbind = event.Bind(context.Background(), "only", rec)
	only.DebugContext(ctx, "for the toolbar alone")
	unbind()
	var got []string
	for _, e := range rec.Events() {
		got = append(got, e.Name)
	}
	if strings.Join(got, ",") != "at WARN,at ERROR,for the toolbar alone" {
		t.Errorf("captured %v", got)
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 || strings.Contains(buf.String(), "WARN") {
		t.Errorf("console:\n%s", buf.String())
	}
}

// TestConcurrentRequests logs from many requests at once, with and without
// a context, and checks that each request holds its own records only.
func TestConcurrentRequests(t *testing.T) {
	const requests, workers = 200, 8
	logger := slog.New(ddtslog.NewHandler(slog.NewTextHandler(io.Discard, nil), nil))
	mux := http.NewServeMux()
	mux.HandleFunc("GET /n/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		logger.InfoContext(r.Context(), "with context", "n", n)
		var wg sync.WaitGroup
		wg.Go(func() { logger.Info("from a goroutine", "n", n) })
		wg.Wait()
		io.WriteString(w, "<html><body>ok</body></html>")
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{
		Panels: []func() panel.Panel{logs.New},
		Store:  toolbar.NewMemoryStore(requests),
	})
	ids := toolbartest.Concurrently(requests, workers, func(n int) string { return s.Fetch(fmt.Sprintf("/n/%d", n)) })
	for n, id := range ids {
		var p logs.Panel
		s.Stats(id, "logs", &p)
		if len(p.Entries) != 2 {
			t.Errorf("request %d: %d entries", n, len(p.Entries))
			continue
		}
		for _, e := range p.Entries {
			if e.Attrs[0].Value != fmt.Sprintf("%q", fmt.Sprint(n)) {
				t.Errorf("request %d has %s %v", n, e.Message, e.Attrs)
			}
		}
	}
}

// withoutWbr removes the line break opportunities that stack traces put
// between the parts of qualified names and paths.
func withoutWbr(html string) string { return strings.ReplaceAll(html, "<wbr>", "") }
