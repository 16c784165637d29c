package logs_test

import (
	"encoding/json"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/panels/logs"
	"net/http"
	"strings"
	"testing"
	"time"
)

func record(level, msg string, attrs ...event.Field) *panel.Event {
	return &panel.Event{Kind: "log", Name: msg, Start: time.Now(), Args: attrs,
		Results: []event.Field{{Name: "level", Value: level, Raw: level}}}
}

func TestLevelsAndRender(t *testing.T) {
	p := logs.New()
	for _, l := range []string{"DEBUG-4", "INFO", "WARN+1", "ERROR", "ERROR+8", "nonsense"} {
		p.Record(record(l, "<"+l+">", event.NewField("k", "<v>")))
	}
	p.GenerateStats(&http.Request{}, &panel.Response{Start: time.Now().Add(-time.Second)})
	stats, _ := json.Marshal(p)
	r := logs.New().(*logs.Panel)
	if err := json.Unmarshal(stats, r); err != nil {
		t.Fatal(err)
	}
	if got := r.NavSubtitle(); got != "6 messages, 2 errors" {
		t.Errorf("subtitle %q", got)
	}
	var classes []string
	for _, e := range r.Entries {
		classes = append(classes, e.Class)
	}
	if got := strings.Join(classes, ","); got != "ddt-muted,,ddt-warn,ddt-error,ddt-error," {
		t.Errorf("classes %s", got)
	}
	var b strings.Builder
	if err := r.Template().Execute(&b, r); err != nil {
		t.Fatal(err)
	}
	html := b.String()
	for _, want := range []string{
		`<td><strong class="ddt-warn">WARN&#43;1</strong></td>`,
		`<td class="ddt-error">&lt;ERROR&gt;</td>`,
		`<code>k=&#34;&lt;v&gt;&#34;</code>`,
		`<span class="ddt-muted">unknown</span>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("panel lacks %s\n%s", want, html)
		}
	}
	if w := logs.New(); w.NavSubtitle() != "0 messages" || w.HasContent() {
		t.Errorf("empty panel: %q", w.NavSubtitle())
	}
}

func BenchmarkRecord(b *testing.B) {
	e := record("INFO", "request handled", event.NewField("user", 42))
	p := logs.New()
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			p = logs.New()
		}
		p.Record(e)
	}
}
