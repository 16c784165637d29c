package sql_test

import (
	"encoding/json"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/internal/stacks"
	"github.com/go-ddt/ddt/runtime/panel"
	sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"
)

// statement is an event of the shape ddtsql records.
func statement(sql, args string, d time.Duration, pcs []uintptr, results ...event.Field) *panel.Event {
	return &panel.Event{Kind: "sql", Name: sql, Start: time.Now(), Duration: d, Stack: pcs,
		Args:    []event.Field{event.NewField("1", args)},
		Results: append([]event.Field{{Name: "args", Value: args}, event.NewField("op", "query"), event.NewField("db", "app")}, results...)}
}

func callers() []uintptr {
	pcs := make([]uintptr, 16)
	return pcs[:runtime.Callers(2, pcs)]
}

// restore is what the toolbar does to show a panel: encode the stats,
// decode them into a new instance.
func restore(t *testing.T, p panel.Panel) *sqlpanel.Panel {
	t.Helper()
	p.GenerateStats(&http.Request{}, &panel.Response{Start: time.Now().Add(-time.Second)})
	stacks.All(p, nil)
	stats, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	r := sqlpanel.New().(*sqlpanel.Panel)
	if err := json.Unmarshal(stats, r); err != nil {
		t.Fatal(err)
	}
	return r
}

func render(t *testing.T, p *sqlpanel.Panel) string {
	t.Helper()
	var b strings.Builder
	if err := p.Template().Execute(&b, p); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func TestFlags(t *testing.T) {
	p := sqlpanel.NewWith(sqlpanel.Options{Slow: 50 * time.Millisecond, ExplainURL: "/x/explain"})()
	var site []uintptr
	for i, arg := range []string{"1", "2", "3", "2"} {
		if i == 0 {
			site = callers() // one call site for all four
		}
		p.Record(statement(`SELECT * FROM t WHERE id = ?`, arg, time.Millisecond, site, event.NewField("explain", "ref.1")))
	}
	p.Record(statement(`UPDATE t SET x = 1 WHERE id = ?`, "9", 80*time.Millisecond, callers(), event.NewField("rows", int64(3)), event.NewField("err", "<disk> full")))
	p.Record(&panel.Event{Kind: "sql", Name: "begin", Results: []event.Field{event.NewField("op", "begin"), event.NewField("tx", uint64(4))}})

	st := p.ServerTiming()
	if len(st) != 1 || st[0].Name != "sql" || st[0].Desc != "5 queries" || st[0].Duration != 84*time.Millisecond {
		t.Errorf("Server-Timing entries %+v", st)
	}
	r := restore(t, p)
	if got := r.NavSubtitle(); got != "5 queries in 84.0 ms, 1 duplicate" {
		t.Errorf("subtitle %q", got)
	}
	if r.Duplicates != 1 || r.Similar != 2 || r.SlowCount != 1 || r.Errors != 1 || len(r.Queries) != 6 {
		t.Errorf("duplicates %d, similar %d, slow %d, errors %d, %d rows", r.Duplicates, r.Similar, r.SlowCount, r.Errors, len(r.Queries))
	}
	if q := r.Queries[1]; q.Same != 2 || q.Alike != 4 || q.Slow {
		t.Errorf("second query %+v", q)
	}
	if q := r.Queries[4]; !q.Slow || !q.HasRows || q.Rows != 3 {
		t.Errorf("update %+v", q)
	}
	if len(r.Hints) != 1 || r.Hints[0].Count != 4 || !strings.HasPrefix(r.Hints[0].Site, "sql_test.TestFlags ") {
		t.Errorf("hints %+v", r.Hints)
	}
	html := render(t, r)
	for _, want := range []string{
		`<span class="ddt-warn ddt-sql-dup">duplicated 2 times</span>`,
		`<span class="ddt-muted ddt-sql-similar">4 similar</span>`,
		`<a class="ddt-sql-explain" href="/x/explain?ref=ref.1" target="_blank" rel="noopener">Explain</a>`,
		`<tr class="ddt-sql-query ddt-warn">`,
		`<strong class="ddt-warn">80.00 ms</strong>`,
		`<span class="ddt-error">&lt;disk&gt; full</span>`,
		`<td>tx 4</td>`,
		`Possible N+1: <code>SELECT * FROM t WHERE id = ?</code> ran 4 times`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("panel lacks %s", want)
		}
	}
}

func TestExplainLinksOff(t *testing.T) {
	p := sqlpanel.NewWith(sqlpanel.Options{ExplainURL: "-"})()
	p.Record(statement(`SELECT 1`, "", time.Millisecond, nil, event.NewField("explain", "ref.1")))
	if html := render(t, restore(t, p)); strings.Contains(html, "Explain") {
		t.Errorf("explain link with ExplainURL \"-\":\n%s", html)
	}
	if html := render(t, restore(t, sqlpanel.New())); !strings.Contains(html, `<p class="ddt-empty">No SQL recorded.</p>`) {
		t.Errorf("empty panel:\n%s", html)
	}
}

// BenchmarkRecord measures what the panel does per statement during the
// request.
func BenchmarkRecord(b *testing.B) {
	e := statement(`SELECT * FROM t WHERE id = ?`, "1", time.Millisecond, callers(), event.NewField("explain", "ref.1"))
	p := sqlpanel.New()
	for i := 0; b.Loop(); i++ {
		if i%1000 == 0 {
			p = sqlpanel.New()
		}
		p.Record(e)
	}
}
