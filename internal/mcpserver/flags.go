package mcpserver

import (
	"context"

	"github.com/go-ddt/ddt/runtime/panels/featureflags"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// flagsInput is the input of list_flags.
type flagsInput struct {
	ID       string `json:"id,omitempty" jsonschema:"one request's id; default: the recent requests that evaluated flags"`
	Name     string `json:"name,omitempty" jsonschema:"only the evaluations of this flag"`
	Requests int    `json:"requests,omitempty" jsonschema:"without id: how many recent requests to look through (default 20)"`
}

// evaluation is one feature flag evaluation.
type evaluation struct {
	Request    string   `json:"request"`
	Endpoint   string   `json:"endpoint"`
	Flag       string   `json:"flag"`
	Result     string   `json:"result"`
	Variant    string   `json:"variant,omitempty"`
	Reason     string   `json:"reason,omitempty"` // OpenFeature's: STATIC, TARGETING_MATCH, DDT_OVERRIDE, ...
	Provider   string   `json:"provider,omitempty"`
	Error      string   `json:"error,omitempty"`
	Panic      string   `json:"panic,omitempty"`
	DurationMS float64  `json:"duration_ms"`
	CallSite   string   `json:"call_site"` // the app's frame that evaluated it
	Stack      []string `json:"stack"`     // the app's frames, innermost first (up to 8)
}

// flagReport is the output of list_flags.
type flagReport struct {
	Scanned     int          `json:"scanned"`
	Evaluations []evaluation `json:"evaluations"`
}

func (t *tools) listFlags(ctx context.Context, _ *mcp.CallToolRequest, in flagsInput) (*mcp.CallToolResult, *flagReport, error) {
	found, err := scan[featureflags.Panel](ctx, t.client, in.ID, "featureflags", "flag", in.Requests)
	if err != nil {
		return nil, nil, err
	}
	out := &flagReport{Evaluations: []evaluation{}}
	for _, f := range found {
		out.Scanned++
		stacks := stackIndex{}
		for _, row := range f.Stats.Rows {
			stacks.add(row.Stack)
		}
		for _, row := range f.Stats.Rows {
			if in.Name != "" && row.Key != in.Name {
				continue
			}
			out.Evaluations = append(out.Evaluations, evaluation{
				Request: f.Request.ID, Endpoint: endpoint(f.Request), Flag: row.Key, Result: flagResult(row), Panic: row.Panic,
				Variant: row.Variant, Reason: row.Reason, Provider: row.Provider, Error: joinNonEmpty(row.ErrorType, row.ErrorMessage),
				DurationMS: ms(row.Duration), CallSite: stacks.callSite(row.Stack), Stack: stacks.appFrames(row.Stack, 8),
			})
		}
	}
	return nil, out, nil
}

// flagResult is the value the code received: the override when the toolbar
// applied one, else the flag's own result.
func flagResult(row featureflags.Row) string {
	if row.Override != "" {
		return row.Override + " (overridden; evaluated " + row.Value + ")"
	}
	return row.Value
}

// joinNonEmpty joins an error's type and message, either of which may be
// empty.
func joinNonEmpty(kind, msg string) string {
	switch {
	case kind == "":
		return msg
	case msg == "":
		return kind
	}
	return kind + ": " + msg
}
