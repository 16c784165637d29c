package mcpserver_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/apitest"
	"github.com/go-ddt/ddt/internal/mcpserver"
	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// session starts the app and an MCP server over its toolbar, and returns
// a client session of the SDK's own client, over in-memory transports.
func session(t *testing.T) (*apitest.App, *mcp.ClientSession) {
	t.Helper()
	app := apitest.Start(t)
	c, err := debugapi.NewClient(app.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	serverT, clientT := mcp.NewInMemoryTransports()
	srv := mcpserver.New(c, "test")
	done := make(chan error, 1)
	go func() { done <- srv.Run(ctx, serverT) }()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test-agent", Version: "1"}, nil).Connect(ctx, clientT, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cs.Close()
		cancel()
		<-done
	})
	return app, cs
}

// call calls a tool and decodes its structured output into out; it fails
// the test on an error, of the protocol or of the tool.
func call(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any, out any) {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if res.IsError {
		t.Fatalf("%s: tool error: %s", name, text(res))
	}
	data, err := json.Marshal(res.StructuredContent)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, out); err != nil {
		t.Fatalf("%s: structured output %s: %v", name, data, err)
	}
	// The text content is the same JSON, for clients that read only text.
	if !json.Valid([]byte(text(res))) {
		t.Errorf("%s: text content is not JSON: %q", name, text(res))
	}
}

// callError calls a tool that must fail, and returns its error text.
func callError(t *testing.T, cs *mcp.ClientSession, name string, args map[string]any) string {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		return err.Error()
	}
	if !res.IsError {
		t.Fatalf("%s %v: no error, answered %s", name, args, text(res))
	}
	return text(res)
}

func text(res *mcp.CallToolResult) string {
	var b strings.Builder
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			b.WriteString(tc.Text)
		}
	}
	return b.String()
}

// TestTools drives every tool, as an agent would, against the app after
// it served requests with queries, flags, a failed query and a 404.
func TestTools(t *testing.T) {
	app, cs := session(t)
	ctx := context.Background()
	_, users := app.Do(t, "GET", "/api/users", "")
	app.Do(t, "GET", "/api/users/2", "")
	_, added := app.Do(t, "POST", "/api/users", `{"name":"Dana","email":"dana@example.com"}`)
	_, missing := app.Do(t, "GET", "/api/users/99", "")
	_, report := app.Do(t, "GET", "/api/report", "")

	tools, err := cs.ListTools(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
	}
	for _, want := range []string{"list_requests", "get_request", "find_sql", "list_flags", "explain_query"} {
		if !slices.Contains(names, want) {
			t.Errorf("tools %q lack %s", names, want)
		}
	}

	// list_requests, filtered and paged.
	var list debugapi.RequestList
	call(t, cs, "list_requests", nil, &list)
	if list.Total != 5 || len(list.Requests) != 5 || list.Requests[0].ID != report || list.Requests[4].ID != users {
		t.Errorf("list_requests: %+v, want the 5 requests newest first", list)
	}
	call(t, cs, "list_requests", map[string]any{"has": []string{"errors"}}, &list)
	if len(list.Requests) != 1 || list.Requests[0].ID != report || list.Requests[0].Errors != 2 {
		t.Errorf("list_requests has=errors: %+v, want /api/report with its failed query and error log", list.Requests)
	}
	call(t, cs, "list_requests", map[string]any{"status": "4xx", "method": "GET"}, &list)
	if len(list.Requests) != 1 || list.Requests[0].ID != missing {
		t.Errorf("list_requests status=4xx: %+v", list.Requests)
	}
	call(t, cs, "list_requests", map[string]any{"limit": 2}, &list)
	if len(list.Requests) != 2 || list.Next == "" {
		t.Fatalf("list_requests limit=2: %+v, want a next page", list)
	}
	call(t, cs, "list_requests", map[string]any{"limit": 2, "before": list.Next}, &list)
	if len(list.Requests) != 2 || list.Requests[0].ID != added {
		t.Errorf("list_requests second page: %+v, want POST /api/users first", list.Requests)
	}
	if msg := callError(t, cs, "list_requests", map[string]any{"status": "teapot"}); !strings.Contains(msg, "status") {
		t.Errorf("a bad status filter fails with %q, want the parameter named", msg)
	}

	// get_request: the panels that recorded something, or those named.
	var got struct {
		Request debugapi.Request
		Panels  []struct {
			ID    string
			Stats json.RawMessage
		}
	}
	call(t, cs, "get_request", map[string]any{"id": users}, &got)
	var ids []string
	for _, p := range got.Panels {
		ids = append(ids, p.ID)
	}
	if got.Request.Path != "/api/users" || !slices.Contains(ids, "sql") || !slices.Contains(ids, "featureflags") || slices.Contains(ids, "outbound") {
		t.Errorf("get_request: %s with panels %q, want sql and featureflags, not the empty outbound", got.Request.Path, ids)
	}
	call(t, cs, "get_request", map[string]any{"id": missing, "panels": []string{"logs"}}, &got)
	if len(got.Panels) != 1 || !strings.Contains(string(got.Panels[0].Stats), "no such user") {
		t.Errorf("get_request logs: %+v", got.Panels)
	}
	if msg := callError(t, cs, "get_request", map[string]any{"id": "0123"}); !strings.Contains(msg, "32 lowercase hex digits") {
		t.Errorf("a bad id fails with %q", msg)
	}
	if msg := callError(t, cs, "get_request", map[string]any{"id": strings.Repeat("ab", 16)}); !strings.Contains(msg, "not stored") {
		t.Errorf("an unknown id fails with %q", msg)
	}

	// find_sql over the recent requests: the duplicate, the N+1, the
	// failed query; with slow_ms tiny, every query is slow.
	var rep struct {
		Scanned, Queries int
		Slow, Failed     []struct {
			Request, SQL string
			CallSite     string `json:"call_site"`
			Index        int
			Explainable  bool
		}
		Repeated []struct {
			Request, SQL string
			Count        int
			SameArgs     int    `json:"same_args"`
			CallSite     string `json:"call_site"`
		}
		NPlusOne []struct{ Request, SQL, Site string } `json:"n_plus_one"`
	}
	call(t, cs, "find_sql", map[string]any{}, &rep)
	if rep.Scanned != 5 || rep.Queries != 9 {
		t.Errorf("find_sql scanned %d requests and %d queries, want 5 and 9", rep.Scanned, rep.Queries)
	}
	if len(rep.Failed) != 1 || rep.Failed[0].Request != report || !strings.Contains(rep.Failed[0].SQL, "invoices") {
		t.Errorf("find_sql failed: %+v", rep.Failed)
	}
	if len(rep.Repeated) != 1 || rep.Repeated[0].Request != users || rep.Repeated[0].Count != 4 || rep.Repeated[0].SameArgs != 2 ||
		!strings.Contains(rep.Repeated[0].CallSite, "apitest.listUsers") {
		t.Errorf("find_sql repeated: %+v, want the order count run 4 times, twice with the same id, from listUsers", rep.Repeated)
	}
	if len(rep.NPlusOne) != 1 || !strings.Contains(rep.NPlusOne[0].SQL, "FROM orders") {
		t.Errorf("find_sql n+1: %+v", rep.NPlusOne)
	}
	if len(rep.Slow) != 0 {
		t.Errorf("find_sql: %d slow queries under the panel's 500 ms threshold", len(rep.Slow))
	}
	call(t, cs, "find_sql", map[string]any{"id": users, "slow_ms": 0.000001}, &rep)
	if rep.Scanned != 1 || len(rep.Slow) != 5 {
		t.Fatalf("find_sql slow_ms tiny: scanned %d, %d slow, want 1 and all 5", rep.Scanned, len(rep.Slow))
	}

	// explain_query on the first SELECT of /api/users.
	first := rep.Slow[0]
	if !first.Explainable {
		t.Fatalf("the first SELECT of /api/users is not explainable: %+v", first)
	}
	var plan struct {
		Dialect, SQL, Command string
		Columns               []string
		Rows                  [][]string
	}
	call(t, cs, "explain_query", map[string]any{"id": users, "index": first.Index}, &plan)
	if plan.Dialect != "sqlite" || plan.Command != "EXPLAIN QUERY PLAN" || !strings.Contains(plan.SQL, "FROM users") || len(plan.Rows) == 0 {
		t.Errorf("explain_query: %+v", plan)
	}
	if msg := callError(t, cs, "explain_query", map[string]any{"id": added, "index": 0}); !strings.Contains(msg, "not explainable") {
		t.Errorf("explaining an INSERT fails with %q", msg)
	}
	if msg := callError(t, cs, "explain_query", map[string]any{"id": users, "index": 42}); !strings.Contains(msg, "0 to 4") {
		t.Errorf("a bad index fails with %q", msg)
	}

	// list_flags: the evaluations and their call sites.
	var flags struct {
		Scanned     int
		Evaluations []struct {
			Request, Flag, Result string
			CallSite              string `json:"call_site"`
		}
	}
	call(t, cs, "list_flags", map[string]any{}, &flags)
	if flags.Scanned != 2 || len(flags.Evaluations) != 2 {
		t.Fatalf("list_flags: %+v, want the evaluations of GET and POST /api/users", flags)
	}
	byFlag := map[string]string{}
	for _, e := range flags.Evaluations {
		byFlag[e.Flag] = e.Result + " at " + e.CallSite
	}
	if !strings.HasPrefix(byFlag["user_orders"], "true at github.com/go-ddt/ddt/internal/apitest.listUsers ") ||
		!strings.HasPrefix(byFlag["strict_email"], "false at github.com/go-ddt/ddt/internal/apitest.addUser ") ||
		!strings.Contains(byFlag["user_orders"], "apitest/app.go:") {
		t.Errorf("list_flags: %q", byFlag)
	}
	call(t, cs, "list_flags", map[string]any{"name": "strict_email"}, &flags)
	if len(flags.Evaluations) != 1 || flags.Evaluations[0].Request != added {
		t.Errorf("list_flags name=strict_email: %+v", flags.Evaluations)
	}
}

// TestResources: a request is a resource, by its template and, once a
// tool listed it, in the list of resources.
func TestResources(t *testing.T) {
	app, cs := session(t)
	ctx := context.Background()
	_, id := app.Do(t, "GET", "/api/users/2", "")
	templates, err := cs.ListResourceTemplates(ctx, nil)
	if err != nil || len(templates.ResourceTemplates) != 1 || templates.ResourceTemplates[0].URITemplate != "ddt://requests/{id}" {
		t.Fatalf("resource templates: %+v, %v", templates, err)
	}
	res, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "ddt://requests/" + id})
	if err != nil {
		t.Fatal(err)
	}
	var panels debugapi.PanelList
	if len(res.Contents) != 1 || json.Unmarshal([]byte(res.Contents[0].Text), &panels) != nil || panels.Request.ID != id || panels.Request.Path != "/api/users/2" {
		t.Fatalf("resource: %+v", res.Contents)
	}
	if _, err := cs.ReadResource(ctx, &mcp.ReadResourceParams{URI: "ddt://requests/" + strings.Repeat("0", 32)}); err == nil {
		t.Error("a request that is not stored reads without error")
	}

	var list debugapi.RequestList
	call(t, cs, "list_requests", nil, &list)
	listed, err := cs.ListResources(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(listed.Resources) != 1 || listed.Resources[0].URI != "ddt://requests/"+id || listed.Resources[0].Title != "GET /api/users/2 → 200" {
		t.Errorf("resources: %+v", listed.Resources)
	}
}

// TestAppDown: a toolbar that does not answer is an error that says so.
func TestAppDown(t *testing.T) {
	c, err := debugapi.NewClient("http://127.0.0.1:1")
	if err != nil {
		t.Fatal(err)
	}
	serverT, clientT := mcp.NewInMemoryTransports()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go mcpserver.New(c, "test").Run(ctx, serverT)
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test-agent", Version: "1"}, nil).Connect(ctx, clientT, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer cs.Close()
	if msg := callError(t, cs, "list_requests", nil); !strings.Contains(msg, "is the app running there") {
		t.Errorf("with no app: %q", msg)
	}
}
