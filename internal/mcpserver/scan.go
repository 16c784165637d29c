package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/go-ddt/ddt/runtime/panel"
)

// defaultScan is how many recent requests find_sql and list_flags look
// through when they are given no request.
const defaultScan = 20

// scanned is one request's panel, decoded.
type scanned[P any] struct {
	Request debugapi.Request
	Stats   *P
}

// scan decodes the stats of panel panelID of the request id or, when id is
// "", of the up to n most recent requests with events of kind.
func scan[P any](ctx context.Context, c *debugapi.Client, id, panelID, kind string, n int) ([]scanned[P], error) {
	var reqs []debugapi.Request
	if id != "" {
		d, err := c.Request(ctx, id)
		if err != nil {
			return nil, err
		}
		reqs = []debugapi.Request{d.Request}
	} else {
		if n <= 0 {
			n = defaultScan
		}
		if n > debugapi.MaxLimit {
			return nil, fmt.Errorf("requests: at most %d", debugapi.MaxLimit)
		}
		list, err := c.List(ctx, debugapi.ListQuery{Has: []string{kind}, Limit: n})
		if err != nil {
			return nil, err
		}
		reqs = list.Requests
	}
	var out []scanned[P]
	for _, r := range reqs {
		p, err := c.Panel(ctx, r.ID, panelID)
		if err != nil {
			if ae, ok := err.(*debugapi.APIError); ok && ae.Status == 404 && id == "" {
				continue // gone from the store since it was listed
			}
			return nil, err
		}
		if p.Error != "" {
			return nil, fmt.Errorf("request %s: panel %s: %s", r.ID, panelID, p.Error)
		}
		if !p.Enabled || len(p.Stats) == 0 {
			if id != "" {
				return nil, fmt.Errorf("request %s: the %s panel was disabled for it", r.ID, panelID)
			}
			continue
		}
		stats := new(P)
		if err := json.Unmarshal(p.Stats, stats); err != nil {
			return nil, fmt.Errorf("request %s: the %s panel's stats: %v", r.ID, panelID, err)
		}
		out = append(out, scanned[P]{Request: r, Stats: stats})
	}
	return out, nil
}

// stackIndex finds the frames of the stacks that others repeat: in a
// panel's stats, a stack the same as an earlier one has only its Same.
type stackIndex map[int][]panel.Frame

func (x stackIndex) add(s panel.Stack) {
	if s.ID != 0 {
		x[s.ID] = s.Frames
	}
}

// frames returns the frames of s, resolved.
func (x stackIndex) frames(s panel.Stack) []panel.Frame {
	if s.Same != 0 {
		return x[s.Same]
	}
	return s.Frames
}

// callSite returns the first frame of s that is the app's (not the
// runtime's, net/http's or ddt's), as "pkg.Func file:line".
func (x stackIndex) callSite(s panel.Stack) string {
	fs := x.frames(s)
	for _, f := range fs {
		if !f.Hidden {
			return f.Func + " " + f.File + ":" + strconv.Itoa(f.Line)
		}
	}
	if len(fs) > 0 {
		return fs[0].Func + " " + fs[0].File + ":" + strconv.Itoa(fs[0].Line)
	}
	return ""
}

// appFrames returns up to n frames of s that are the app's, as
// "pkg.Func file:line".
func (x stackIndex) appFrames(s panel.Stack, n int) []string {
	var out []string
	for _, f := range x.frames(s) {
		if len(out) == n {
			break
		}
		if !f.Hidden {
			out = append(out, f.Func+" "+f.File+":"+strconv.Itoa(f.Line))
		}
	}
	return out
}
