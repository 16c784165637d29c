package ddttemplate_test

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	texttemplate "text/template"

	"github.com/go-ddt/ddt/runtime/integrations/ddttemplate"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/templates"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

var pages = template.Must(template.New("site").Parse(`
{{define "page.html"}}<html><body><h1>{{.Title}}</h1>{{.Sidebar}}<ul>{{range .Items}}<li>{{.}}</li>{{end}}</ul></body></html>{{end}}
{{define "sidebar.html"}}<aside>{{.User}}{{.Badge}}</aside>{{end}}
{{define "badge.html"}}<b>{{.}}</b>{{end}}
`))

var subject = texttemplate.Must(texttemplate.New("subject.txt").Parse(`Hello {{.}}`))

// page is the data of page.html; Sidebar renders a fragment through
// ddttemplate while page.html runs, so that execution nests in it.
type page struct {
	Title    string
	Items    []string
	User     string
	Password string
	ctx      context.Context
}

func (p page) Sidebar() (template.HTML, error) {
	var b bytes.Buffer
	err := ddttemplate.ExecuteTemplate(p.ctx, pages, &b, "sidebar.html", sidebar{User: p.User, ctx: p.ctx})
	return template.HTML(b.String()), err
}

type sidebar struct {
	User string
	ctx  context.Context
}

func (s sidebar) Badge() (template.HTML, error) {
	var b bytes.Buffer
	err := ddttemplate.ExecuteTemplate(s.ctx, pages, &b, "badge.html", map[string]any{"level": 3, "session_token": "tok"})
	return template.HTML(b.String()), err
}

func TestPanelThroughServer(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var subj strings.Builder
		ddttemplate.Execute(ctx, subject, &subj, "ann")
		ddttemplate.ExecuteTemplate(ctx, pages, io.Discard, "missing.html", nil)
		err := ddttemplate.ExecuteTemplate(ctx, pages, w, "page.html", page{
			Title: "<script>alert(1)</script>", Items: []string{"a", "b"}, User: "ann", Password: "hunter2", ctx: ctx,
		})
		if err != nil {
			t.Error(err)
		}
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{Panels: []func() panel.Panel{templates.New}})
	resp, body := s.Get("/")
	if !strings.Contains(string(body), "<aside>ann<b>") {
		t.Fatalf("page:\n%s", body)
	}
	id := s.RequestID(resp)
	if nav := s.Nav(id, "templates"); !regexp.MustCompile(`^5 templates in [0-9.]+ ms$`).MatchString(nav.NavSubtitle) {
		t.Errorf("nav subtitle %q", nav.NavSubtitle)
	}
	var p templates.Panel
	s.Stats(id, "templates", &p)
	var got []string
	for _, x := range p.Executions {
		var data []string
		for _, f := range x.Data {
			data = append(data, f.Name+"="+f.Value)
		}
		got = append(got, fmt.Sprintf("%d %s %s [%s] %s", x.Depth, x.Name, x.Type, strings.Join(data, " "), x.Err))
	}
	want := []string{
		`0 subject.txt string [data="ann"] `,
		`0 missing.html nil [data=nil] html/template: "missing.html" is undefined`,
		`0 page.html ddttemplate_test.page [Title="<script>alert(1)</script>" Items=[]string{"a", "b"} User="ann" Password=********] `,
		`1 sidebar.html ddttemplate_test.sidebar [User="ann"] `,
		`2 badge.html map[string]interface {} [level=3 session_token=********] `,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("executions:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	written := regexp.MustCompile(`<script src="[^"]*toolbar.js"[^>]*></script>`).ReplaceAll(body, nil) // what the toolbar added
	if x := p.Executions[2]; x.Bytes != int64(len(written)) || x.Duration < p.Executions[3].Duration {
		t.Errorf("page.html wrote %d bytes (page %d), took %v (sidebar %v)", x.Bytes, len(written), x.Duration, p.Executions[3].Duration)
	}
	if x := p.Executions[3]; len(x.Stack.Frames) == 0 || !strings.HasSuffix(x.Stack.Frames[0].Func, "ddttemplate_test.page.Sidebar") {
		t.Errorf("nested execution's stack starts at %+v", x.Stack.Frames[:min(1, len(x.Stack.Frames))])
	}
	if p.Errors != 1 {
		t.Errorf("errors %d", p.Errors)
	}
	html := s.Panel(id, "templates")
	for _, want := range []string{
		`<tr><th><code>Title</code></th><td><code>&#34;&lt;script&gt;alert(1)&lt;/script&gt;&#34;</code></td></tr>`,
		`<code>Password</code></th><td><code>********</code>`,
		`<tr class="ddt-template" data-depth="2">`,
		`<span class="ddt-error">html/template: &#34;missing.html&#34; is undefined</span>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("panel lacks %s", want)
		}
	}
	if strings.Contains(html, "hunter2") || strings.Contains(html, `"tok"`) || strings.Contains(html, "<script>") {
		t.Errorf("panel shows a secret or markup:\n%s", html)
	}
}

func TestConcurrentRequests(t *testing.T) {
	const requests, workers = 200, 8
	mux := http.NewServeMux()
	mux.HandleFunc("GET /n/{n}", func(w http.ResponseWriter, r *http.Request) {
		n := r.PathValue("n")
		var wg sync.WaitGroup
		wg.Go(func() { ddttemplate.Execute(context.Background(), subject, io.Discard, n) })
		wg.Wait()
		ddttemplate.ExecuteTemplate(r.Context(), pages, w, "page.html", page{Title: n, ctx: r.Context()})
	})
	s := toolbartest.NewServer(t, mux, toolbar.Options{
		Panels: []func() panel.Panel{templates.New},
		Store:  toolbar.NewMemoryStore(requests),
	})
	ids := toolbartest.Concurrently(requests, workers, func(n int) string { return s.Fetch(fmt.Sprintf("/n/%d", n)) })
	for n, id := range ids {
		var p templates.Panel
		s.Stats(id, "templates", &p)
		if len(p.Executions) != 4 || p.Executions[0].Data[0].Value != fmt.Sprintf(`"%d"`, n) ||
			p.Executions[1].Data[0].Value != fmt.Sprintf(`"%d"`, n) || p.Executions[3].Depth != 2 {
			t.Errorf("request %d: %+v", n, p.Executions)
		}
	}
}
