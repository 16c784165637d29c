package templates_test

import (
	"encoding/json"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/templates"
	"net/http"
	"strings"
	"testing"
	"time"
)

func execution(name string, depth int, start time.Time, d time.Duration, data ...event.Field) *panel.Event {
	return &panel.Event{Kind: "template", Name: name, Start: start, Duration: d, Args: data, Results: []event.Field{
		{Name: "type", Value: "main.T", Raw: "main.T"}, event.NewField("depth", depth), event.NewField("bytes", int64(10)),
	}}
}

// TestRecordAndRender records executions in the order ddttemplate
// delivers them (inner first), then renders the panel from its stored
// stats, as the toolbar does.
func TestRecordAndRender(t *testing.T) {
	t0 := time.Now()
	p := templates.New()
	p.Record(execution("inner.html", 1, t0.Add(time.Millisecond), time.Millisecond, event.NewField("data", "<x>")))
	p.Record(execution("outer.html", 0, t0, 3*time.Millisecond, event.NewField("Title", "<script>"), event.NewField("Body", "b")))
	p.GenerateStats(&http.Request{}, &panel.Response{Start: t0})
	stats, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	restored := templates.New().(*templates.Panel)
	if err := json.Unmarshal(stats, restored); err != nil {
		t.Fatal(err)
	}
	if got := restored.NavSubtitle(); got != "2 templates in 3.00 ms" {
		t.Errorf("subtitle %q (the nested execution must not count twice)", got)
	}
	if restored.Executions[0].Name != "outer.html" || restored.Executions[1].Offset != time.Millisecond {
		t.Errorf("order %+v", restored.Executions)
	}
	var b strings.Builder
	if err := restored.Template().Execute(&b, restored); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<tr class="ddt-template" data-depth="1">`,
		`↳ <code>inner.html</code>`,
		`<code class="ddt-muted">main.T</code> <code>&#34;&lt;x&gt;&#34;</code>`,
		`<tr><th><code>Title</code></th><td><code>&#34;&lt;script&gt;&#34;</code></td></tr>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("panel lacks %s\n%s", want, html)
		}
	}
}

func BenchmarkRecord(b *testing.B) {
	e := execution("page.html", 0, time.Now(), time.Millisecond, event.NewField("Title", "t"))
	for b.Loop() {
		p := templates.New()
		p.Record(e)
	}
}
