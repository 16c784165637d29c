package mcpserver

import (
	"context"
	"fmt"
	"net/url"
	"time"

	"github.com/go-ddt/ddt/runtime/debugapi"
	sqlpanel "github.com/go-ddt/ddt/runtime/panels/sql"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// findSQLInput is the input of find_sql.
type findSQLInput struct {
	ID       string  `json:"id,omitempty" jsonschema:"one request's id; default: the recent requests that ran SQL"`
	Requests int     `json:"requests,omitempty" jsonschema:"without id: how many recent requests to look through (default 20)"`
	SlowMS   float64 `json:"slow_ms,omitempty" jsonschema:"a query this many milliseconds or longer is slow; default: the SQL panel's threshold (500 ms unless configured)"`
}

// query is one statement a request ran.
type query struct {
	Request    string   `json:"request"` // the request's id
	Endpoint   string   `json:"endpoint"`
	Index      int      `json:"index"` // in the SQL panel's queries, for explain_query
	DB         string   `json:"db"`
	SQL        string   `json:"sql"`
	Args       []string `json:"args,omitempty"`
	DurationMS float64  `json:"duration_ms"`
	Error      string   `json:"error,omitempty"`
	CallSite   string   `json:"call_site"`
	Explain    bool     `json:"explainable,omitempty"` // explain_query can explain it
}

// repeated is a statement a request ran more than once.
type repeated struct {
	Request  string `json:"request"`
	Endpoint string `json:"endpoint"`
	Index    int    `json:"index"` // of its first run
	SQL      string `json:"sql"`
	Count    int    `json:"count"`     // runs
	SameArgs int    `json:"same_args"` // of them, the most with the same arguments: duplicates when over 1
	CallSite string `json:"call_site"`
}

// nPlusOne is a likely N+1 pattern: one call site running a statement
// again and again with other arguments.
type nPlusOne struct {
	Request  string `json:"request"`
	Endpoint string `json:"endpoint"`
	SQL      string `json:"sql"`
	Count    int    `json:"count"`
	Site     string `json:"site"`
	Caller   string `json:"caller"`
}

// sqlReport is the output of find_sql.
type sqlReport struct {
	Scanned  int        `json:"scanned"` // requests looked through
	Queries  int        `json:"queries"` // statements they ran
	Slow     []query    `json:"slow"`
	Failed   []query    `json:"failed"`
	Repeated []repeated `json:"repeated"`
	NPlusOne []nPlusOne `json:"n_plus_one"`
}

func endpoint(r debugapi.Request) string { return r.Method + " " + r.Path }

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func (t *tools) findSQL(ctx context.Context, _ *mcp.CallToolRequest, in findSQLInput) (*mcp.CallToolResult, *sqlReport, error) {
	if in.SlowMS < 0 {
		return nil, nil, fmt.Errorf("slow_ms: %v is negative", in.SlowMS)
	}
	found, err := scan[sqlpanel.Panel](ctx, t.client, in.ID, "sql", "sql", in.Requests)
	if err != nil {
		return nil, nil, err
	}
	out := &sqlReport{Slow: []query{}, Failed: []query{}, Repeated: []repeated{}, NPlusOne: []nPlusOne{}}
	for _, f := range found {
		p, r := f.Stats, f.Request
		out.Scanned++
		stacks := stackIndex{}
		for _, q := range p.Queries {
			stacks.add(q.Stack)
		}
		slow := p.Slow
		if in.SlowMS > 0 {
			slow = time.Duration(in.SlowMS * float64(time.Millisecond))
		}
		bySQL := map[string]*repeated{}
		for i, q := range p.Queries {
			if !q.Statement() {
				continue
			}
			out.Queries++
			one := query{Request: r.ID, Endpoint: endpoint(r), Index: i, DB: q.DB, SQL: q.SQL,
				DurationMS: ms(q.Duration), Error: q.Err, CallSite: stacks.callSite(q.Stack), Explain: q.Explain != ""}
			for _, a := range q.Args {
				one.Args = append(one.Args, a.Name+"="+a.Value)
			}
			if slow > 0 && q.Duration >= slow {
				out.Slow = append(out.Slow, one)
			}
			if q.Err != "" {
				out.Failed = append(out.Failed, one)
			}
			if q.Alike > 1 {
				if rep := bySQL[q.SQL]; rep != nil {
					rep.SameArgs = max(rep.SameArgs, q.Same)
				} else {
					rep := &repeated{Request: r.ID, Endpoint: endpoint(r), Index: i, SQL: q.SQL, Count: q.Alike, SameArgs: q.Same, CallSite: one.CallSite}
					bySQL[q.SQL] = rep
					out.Repeated = append(out.Repeated, *rep)
				}
			}
		}
		// bySQL's entries were copied when first seen: copy the maxima back.
		for i := range out.Repeated {
			if rep := bySQL[out.Repeated[i].SQL]; rep != nil && out.Repeated[i].Request == r.ID {
				out.Repeated[i].SameArgs = rep.SameArgs
			}
		}
		for _, h := range p.Hints {
			out.NPlusOne = append(out.NPlusOne, nPlusOne{Request: r.ID, Endpoint: endpoint(r), SQL: h.SQL, Count: h.Count, Site: h.Site, Caller: h.Caller})
		}
	}
	return nil, out, nil
}

// explainInput is the input of explain_query.
type explainInput struct {
	ID    string `json:"id" jsonschema:"the request's id"`
	Index int    `json:"index" jsonschema:"the query's index in the request's SQL panel, as find_sql gives it"`
}

// plan is the output of explain_query: ddtsql's Plan.
type plan struct {
	Database string     `json:"database"`
	Dialect  string     `json:"dialect"`
	SQL      string     `json:"sql"`
	Command  string     `json:"command"`
	Columns  []string   `json:"columns"`
	Rows     [][]string `json:"rows"`
	More     bool       `json:"more"`
}

func (t *tools) explainQuery(ctx context.Context, _ *mcp.CallToolRequest, in explainInput) (*mcp.CallToolResult, *plan, error) {
	found, err := scan[sqlpanel.Panel](ctx, t.client, in.ID, "sql", "sql", 0)
	if err != nil {
		return nil, nil, err
	}
	p := found[0].Stats
	if in.Index < 0 || in.Index >= len(p.Queries) {
		return nil, nil, fmt.Errorf("index: the request ran %d statements: 0 to %d", len(p.Queries), len(p.Queries)-1)
	}
	q := p.Queries[in.Index]
	switch {
	case q.Explain == "":
		return nil, nil, fmt.Errorf("index %d: %s is not explainable: only a SELECT, recorded by ddtsql on a database it knows the EXPLAIN of", in.Index, q.SQL)
	case p.ExplainURL == "":
		return nil, nil, fmt.Errorf("the SQL panel serves no EXPLAIN route (Options.ExplainURL is \"-\")")
	}
	var out plan
	if err := t.client.Get(ctx, p.ExplainURL+"?ref="+url.QueryEscape(q.Explain), &out); err != nil {
		return nil, nil, err
	}
	return nil, &out, nil
}
