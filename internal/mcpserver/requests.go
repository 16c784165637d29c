package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// resourcePrefix starts the URI of a request's resource.
const resourcePrefix = "ddt://requests/"

// listInput is the input of list_requests.
type listInput struct {
	Method string   `json:"method,omitempty" jsonschema:"only these methods, comma-separated: GET,POST"`
	Path   string   `json:"path,omitempty" jsonschema:"only paths (with their query) that contain this text"`
	Status string   `json:"status,omitempty" jsonschema:"only these statuses, comma-separated: a code (404), a class (5xx) or a range (400-499)"`
	MinMS  float64  `json:"min_ms,omitempty" jsonschema:"only requests that took at least this many milliseconds"`
	MaxMS  float64  `json:"max_ms,omitempty" jsonschema:"only requests that took at most this many milliseconds"`
	Has    []string `json:"has,omitempty" jsonschema:"only requests with events of each of these kinds: sql, flag, log, outbound, template; or errors (failed queries and calls, error logs, panics)"`
	Limit  int      `json:"limit,omitempty" jsonschema:"at most this many requests (default 20, at most 1000)"`
	Before string   `json:"before,omitempty" jsonschema:"only requests older than this request id: the next of an earlier answer"`
}

func (t *tools) listRequests(ctx context.Context, _ *mcp.CallToolRequest, in listInput) (*mcp.CallToolResult, *debugapi.RequestList, error) {
	v := (debugapi.ListQuery{Path: in.Path, MinMS: in.MinMS, MaxMS: in.MaxMS, Has: in.Has, Limit: in.Limit, Before: in.Before}).Values()
	if in.Method != "" {
		v.Set("method", in.Method)
	}
	if in.Status != "" {
		v.Set("status", in.Status)
	}
	if in.Limit == 0 {
		v.Set("limit", "20")
	}
	// The toolbar checks the filters and names the one at fault.
	q, err := debugapi.ParseListQuery(v)
	if err != nil {
		return nil, nil, err
	}
	list, err := t.client.List(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range list.Requests {
		t.addResource(r)
	}
	return nil, list, nil
}

// addResource lists the request's resource, for clients that browse
// resources rather than fill in the template.
func (t *tools) addResource(r debugapi.Request) {
	t.server.AddResource(&mcp.Resource{
		URI:         resourcePrefix + r.ID,
		Name:        r.ID,
		Title:       fmt.Sprintf("%s %s → %d", r.Method, r.Path, r.Status),
		Description: fmt.Sprintf("%s %s, %d, %.1f ms, recorded %s", r.Method, r.Path, r.Status, r.DurationMS, r.Started.Format("15:04:05.000")),
		MIMEType:    "application/json",
	}, t.readRequest)
}

// readRequest serves ddt://requests/{id}.
func (t *tools) readRequest(ctx context.Context, req *mcp.ReadResourceRequest) (*mcp.ReadResourceResult, error) {
	uri := req.Params.URI
	id, ok := strings.CutPrefix(uri, resourcePrefix)
	if !ok || !debugapi.ValidID(id) {
		return nil, mcp.ResourceNotFoundError(uri)
	}
	panels, err := t.client.Panels(ctx, id)
	if err != nil {
		if ae, ok := err.(*debugapi.APIError); ok && ae.Status == 404 {
			return nil, mcp.ResourceNotFoundError(uri)
		}
		return nil, err
	}
	data, err := json.MarshalIndent(panels, "", "  ")
	if err != nil {
		return nil, err
	}
	return &mcp.ReadResourceResult{Contents: []*mcp.ResourceContents{{URI: uri, MIMEType: "application/json", Text: string(data)}}}, nil
}

// getInput is the input of get_request.
type getInput struct {
	ID     string   `json:"id" jsonschema:"the request's id (32 hex digits), from list_requests"`
	Panels []string `json:"panels,omitempty" jsonschema:"the ids of the panels to include the stats of (sql, logs, request, headers, timer, featureflags, ...); default: every panel that recorded something"`
}

// requestPanels is the output of get_request.
type requestPanels struct {
	Request debugapi.Request `json:"request"`
	Panels  []panelOut       `json:"panels"`
}

// panelOut is a debugapi.Panel whose stats are decoded: the output schema
// of a json.RawMessage would be an array of bytes.
type panelOut struct {
	ID          string `json:"id"`
	Title       string `json:"title"`
	NavSubtitle string `json:"nav_subtitle,omitempty"`
	Enabled     bool   `json:"enabled"`
	Stats       any    `json:"stats,omitempty" jsonschema:"the panel's stats, its own JSON; durations in nanoseconds"`
	Error       string `json:"error,omitempty"`
}

func decodePanel(p debugapi.Panel) (panelOut, error) {
	out := panelOut{ID: p.ID, Title: p.Title, NavSubtitle: p.NavSubtitle, Enabled: p.Enabled, Error: p.Error}
	if len(p.Stats) > 0 {
		d := json.NewDecoder(bytes.NewReader(p.Stats))
		d.UseNumber() // nanoseconds and ids keep every digit
		if err := d.Decode(&out.Stats); err != nil {
			return out, fmt.Errorf("panel %s: stats: %v", p.ID, err)
		}
	}
	return out, nil
}

func (t *tools) getRequest(ctx context.Context, _ *mcp.CallToolRequest, in getInput) (*mcp.CallToolResult, *requestPanels, error) {
	all, err := t.client.Panels(ctx, in.ID)
	if err != nil {
		return nil, nil, err
	}
	out := &requestPanels{Request: all.Request, Panels: []panelOut{}}
	for _, p := range all.Panels {
		switch {
		case len(in.Panels) > 0 && !slices.Contains(in.Panels, p.ID):
			continue
		case len(in.Panels) == 0 && (!p.Enabled || !p.HasContent || p.ID == "history"):
			continue // nothing recorded, or the list of requests
		}
		po, err := decodePanel(p)
		if err != nil {
			return nil, nil, err
		}
		out.Panels = append(out.Panels, po)
	}
	for _, id := range in.Panels {
		if !slices.ContainsFunc(all.Panels, func(p debugapi.Panel) bool { return p.ID == id }) {
			var ids []string
			for _, p := range all.Panels {
				ids = append(ids, p.ID)
			}
			return nil, nil, fmt.Errorf("panels: the request has no panel %q; it has %s", id, strings.Join(ids, ", "))
		}
	}
	t.addResource(all.Request)
	return nil, out, nil
}
