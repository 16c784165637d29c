package sql

import (
	"net/http"
	"runtime"
	"strconv"
	"strings"

	"github.com/go-ddt/ddt/runtime/panel"
)

// GenerateStats flags duplicates, similar and slow statements, and finds
// likely N+1 patterns.
func (p *Panel) GenerateStats(_ *http.Request, resp *panel.Response) {
	p.Slow = p.opts.Slow
	switch p.opts.ExplainURL {
	case "-":
	case "":
		p.ExplainURL = resp.RoutesURL(p.ID()) + "explain"
	default:
		p.ExplainURL = p.opts.ExplainURL
	}
	same := map[[2]string]int{}
	alike := map[string]int{}
	type site struct {
		sql string
		pc  uintptr
	}
	sites := map[site][]int{}
	var order []site
	dbs := map[string]bool{}
	for i := range p.Queries {
		q := &p.Queries[i]
		if !q.start.IsZero() && !resp.Start.IsZero() {
			q.Offset = max(q.start.Sub(resp.Start), 0)
		}
		if q.Err != "" {
			p.Errors++
		}
		dbs[q.DB] = true
		if !q.Statement() {
			continue
		}
		key := [2]string{q.SQL, q.argsKey}
		if same[key] > 0 {
			p.Duplicates++
		} else if alike[q.SQL] > 0 {
			p.Similar++
		}
		same[key]++
		alike[q.SQL]++
		if q.Duration >= p.Slow {
			q.Slow = true
			p.SlowCount++
		}
		if len(q.Stack.PCs) > 0 {
			s := site{q.SQL, q.Stack.PCs[0]}
			if sites[s] == nil {
				order = append(order, s)
			}
			sites[s] = append(sites[s], i)
		}
	}
	p.Databases = len(dbs)
	for i := range p.Queries {
		q := &p.Queries[i]
		if q.Statement() {
			q.Same, q.Alike = same[[2]string{q.SQL, q.argsKey}], alike[q.SQL]
		}
		q.CallSite, _ = frames(q.Stack.PCs)
	}
	for _, s := range order {
		idx := sites[s]
		if len(idx) < p.opts.NPlusOne {
			continue
		}
		args := map[string]bool{}
		for _, i := range idx {
			args[p.Queries[i].argsKey] = true
		}
		if len(args) < 2 {
			continue // the same arguments each time: duplicates, flagged as such
		}
		h := Hint{SQL: s.sql, Count: len(idx)}
		h.Site, h.Caller = frames(p.Queries[idx[0]].Stack.PCs)
		p.Hints = append(p.Hints, h)
	}
}

// frames describes where a statement ran: its first frame and the first
// frame after it that is not of the runtime, net/http or ddt (the hidden
// ones), as "pkg.F file.go:12".
func frames(pcs []uintptr) (first, caller string) {
	if len(pcs) == 0 {
		return "", ""
	}
	fs := runtime.CallersFrames(pcs)
	for {
		f, more := fs.Next()
		switch {
		case f.Function == "":
		case first == "":
			first = describe(f)
		case !hidden(f.Function):
			return first, describe(f)
		}
		if !more {
			return first, ""
		}
	}
}

func describe(f runtime.Frame) string {
	fn := f.Function
	if i := strings.LastIndexByte(fn, '/'); i >= 0 {
		fn = fn[i+1:]
	}
	return fn + " " + shortFile(f.File) + ":" + strconv.Itoa(f.Line)
}

// hidden reports whether fn is in one of the packages whose frames stack
// traces hide.
func hidden(fn string) bool {
	for _, p := range panel.DefaultHidden {
		if strings.HasPrefix(fn, p+".") || strings.HasPrefix(fn, p+"/") {
			return true
		}
	}
	return false
}

// shortFile keeps the last two elements of a path: "app/users.go".
func shortFile(f string) string {
	if i := strings.LastIndexByte(f, '/'); i > 0 {
		if j := strings.LastIndexByte(f[:i], '/'); j >= 0 {
			return f[j+1:]
		}
	}
	return f
}
