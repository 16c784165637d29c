package mcpserver

import (
	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// Name is the server's name in the MCP handshake.
const Name = "ddt"

// instructions tell the agent what the server is for.
const instructions = `ddt reads the requests that a running Go app's debug toolbar recorded: ` +
	`call list_requests first (filters: method, path, status, duration, has sql/flag/errors), ` +
	`then get_request for a request's panels, find_sql for slow, failed, duplicated and N+1 queries, ` +
	`list_flags for feature flag evaluations and where they were made, explain_query for a query's plan. ` +
	`Request ids are 32 hex digits; each request is also the resource ddt://requests/{id}.`

// New returns the MCP server over the toolbar that c reads. version is
// ddt's, for the handshake.
func New(c *debugapi.Client, version string) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: Name, Title: "ddt debug toolbar", Version: version},
		&mcp.ServerOptions{Instructions: instructions})
	t := &tools{client: c, server: s}
	t.add()
	return s
}

// tools holds what the tools share.
type tools struct {
	client *debugapi.Client
	server *mcp.Server
}

func (t *tools) add() {
	readOnly := &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(false)}
	mcp.AddTool(t.server, &mcp.Tool{
		Name:        "list_requests",
		Title:       "List recorded requests",
		Description: "Lists the requests the toolbar recorded, newest first, with their status, duration, and counts of SQL queries, flag evaluations and errors. Filters narrow them; pass next as before for older ones.",
		Annotations: readOnly,
	}, t.listRequests)
	mcp.AddTool(t.server, &mcp.Tool{
		Name:        "get_request",
		Title:       "Get a request's panels",
		Description: "Returns one recorded request and its panels (SQL, logs, headers, timer, feature flags, ...), each with its summary and its stats as JSON. Durations in stats are nanoseconds.",
		Annotations: readOnly,
	}, t.getRequest)
	mcp.AddTool(t.server, &mcp.Tool{
		Name:        "find_sql",
		Title:       "Find slow, failed, duplicated and N+1 SQL",
		Description: "Looks through the SQL panel of one request, or of the recent requests that ran SQL, and reports slow queries, failed ones, queries run more than once (with the same or other arguments) and likely N+1 patterns, each with its call site.",
		Annotations: readOnly,
	}, t.findSQL)
	mcp.AddTool(t.server, &mcp.Tool{
		Name:        "list_flags",
		Title:       "List feature flag evaluations",
		Description: "Lists the feature flag evaluations of one request, or of the recent requests that evaluated flags: the flag, its result and the call site that asked.",
		Annotations: readOnly,
	}, t.listFlags)
	mcp.AddTool(t.server, &mcp.Tool{
		Name:        "explain_query",
		Title:       "Explain a recorded query",
		Description: "Runs EXPLAIN (EXPLAIN QUERY PLAN on SQLite) for a SELECT a request made, with the arguments it ran with, inside a transaction that is rolled back, and returns the plan. Name the query by the request's id and its index in find_sql's or get_request's SQL queries.",
		Annotations: &mcp.ToolAnnotations{ReadOnlyHint: true, OpenWorldHint: new(false)},
	}, t.explainQuery)
	t.server.AddResourceTemplate(&mcp.ResourceTemplate{
		Name:        "request",
		Title:       "A recorded request",
		URITemplate: resourcePrefix + "{id}",
		Description: "A request the toolbar recorded, with every panel's stats, as JSON (runtime/debugapi.PanelList).",
		MIMEType:    "application/json",
	}, t.readRequest)
}
