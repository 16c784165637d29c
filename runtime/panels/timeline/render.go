package timeline

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/go-ddt/ddt/runtime/panel"
)

// The waterfall and the table are written in Go rather than by the
// template: at 5,000 events, html/template's reflection would cost ten
// times as much for the same markup (as the Calls panel measured).

// knownKinds have a colour of their own in the toolbar's stylesheet; the
// other kinds share one.
var knownKinds = map[string]bool{
	"flag": true, "trace": true, "sql": true, "template": true,
	"log": true, "outbound": true, "span": true,
}

func kindClass(kind string) string {
	if knownKinds[kind] {
		return "ddt-tl-k-" + kind
	}
	return "ddt-tl-k-other"
}

// micros formats d in microseconds, the unit of the data attributes.
func micros(d time.Duration) string { return strconv.FormatInt(d.Microseconds(), 10) }

// label is what a bar says: what the event is about, else its function.
func (e *Entry) label() string {
	if e.Name != "" {
		return e.Name
	}
	if e.Func != "" {
		return e.Func
	}
	return e.Kind
}

// laneLabel names lane l: "handler goroutine 12", "goroutine 40".
func (p *Panel) laneLabel(l Lane) string {
	name := "goroutine "
	if l.Handler {
		name = "handler goroutine "
	}
	if l.Goroutine == 0 {
		return name + "(id unknown)"
	}
	return name + strconv.FormatUint(l.Goroutine, 10)
}

// waterfallHTML writes the lanes and their bars. The toolbar's script
// positions each bar from data-s (start) and data-d (duration), both in
// microseconds, against data-total, and data-r (its row in the lane).
func waterfallHTML(p *Panel) template.HTML {
	var b strings.Builder
	b.Grow(256 + 200*len(p.Events))
	byLane := make([][]int, len(p.Lanes))
	for i := range p.Events {
		l := p.Events[i].Lane
		byLane[l] = append(byLane[l], i)
	}
	total := max(p.Total, time.Microsecond)
	for _, e := range p.Events {
		total = max(total, e.Start+e.Duration)
	}
	b.WriteString(`<div class="ddt-tl" data-ddt-timeline data-total="`)
	b.WriteString(micros(total))
	b.WriteString(`"><div class="ddt-tl-scroll"><div class="ddt-tl-canvas"><div class="ddt-tl-axis" aria-hidden="true"></div>`)
	for l, lane := range p.Lanes {
		b.WriteString("\n<div class=\"ddt-tl-lane\"><div class=\"ddt-tl-label\">")
		panel.WriteEscaped(&b, p.laneLabel(lane))
		b.WriteString(` <span class="ddt-muted">`)
		b.WriteString(panel.Count(lane.Events, "event", "events"))
		b.WriteString(`</span></div><div class="ddt-tl-track" data-rows="`)
		b.WriteString(strconv.Itoa(lane.Rows))
		b.WriteString(`">`)
		if lane.Handler {
			b.WriteString(`<span class="ddt-tl-bar ddt-tl-request" data-s="0" data-d="`)
			b.WriteString(micros(p.Total))
			b.WriteString(`" data-r="0" title="`)
			panel.WriteEscaped(&b, p.Request+" · "+panel.Milliseconds(p.Total)+" · the handler")
			b.WriteString(`">`)
			panel.WriteEscaped(&b, p.Request)
			b.WriteString(`</span>`)
		}
		for _, i := range byLane[l] {
			writeBar(&b, i, &p.Events[i])
		}
		b.WriteString(`</div></div>`)
	}
	b.WriteString("\n</div></div></div>")
	return template.HTML(b.String())
}

func writeBar(b *strings.Builder, i int, e *Entry) {
	b.WriteString("\n<button type=\"button\" class=\"ddt-tl-bar ")
	b.WriteString(kindClass(e.Kind))
	if e.Duration == 0 {
		b.WriteString(" ddt-tl-instant")
	}
	if e.Panic != "" {
		b.WriteString(" ddt-tl-panic")
	}
	b.WriteString(`" data-i="`)
	b.WriteString(strconv.Itoa(i))
	b.WriteString(`" data-s="`)
	b.WriteString(micros(e.Start))
	b.WriteString(`" data-d="`)
	b.WriteString(micros(e.Duration))
	b.WriteString(`" data-r="`)
	b.WriteString(strconv.Itoa(e.Depth))
	b.WriteString(`" title="`)
	panel.WriteEscaped(b, e.Kind)
	b.WriteString(" · ")
	panel.WriteEscaped(b, e.label())
	b.WriteString(" · ")
	if e.Duration == 0 {
		b.WriteString("at ")
		b.WriteString(panel.Milliseconds(e.Start))
	} else {
		b.WriteString(panel.Milliseconds(e.Duration))
	}
	b.WriteString(`">`)
	panel.WriteEscaped(b, e.label())
	b.WriteString(`</button>`)
}

// rowsHTML writes one table row per event: what the waterfall's bars
// open.
func rowsHTML(p *Panel) template.HTML {
	var b strings.Builder
	b.Grow(512 * len(p.Events))
	for i := range p.Events {
		e := &p.Events[i]
		b.WriteString("\n<tr data-ddt-tl-row=\"")
		b.WriteString(strconv.Itoa(i))
		b.WriteString("\"><td class=\"ddt-num\">")
		b.WriteString(strconv.Itoa(i + 1))
		b.WriteString("</td><td><code>")
		panel.WriteEscaped(&b, e.Kind)
		b.WriteString("</code></td><td class=\"ddt-tl-what\"><code>")
		if e.Func != "" {
			panel.WriteBreakable(&b, e.Func)
			if e.Name != "" {
				b.WriteString("</code> <code>")
				panel.WriteEscaped(&b, e.Name)
			}
		} else {
			panel.WriteEscaped(&b, e.label())
		}
		b.WriteString("</code>")
		if len(e.Args) > 0 {
			b.WriteString("<br>")
			b.WriteString(string(panel.FieldsHTML(e.Args)))
		}
		if e.Panic != "" {
			b.WriteString(`<br><span class="ddt-error">panic: `)
			panel.WriteEscaped(&b, e.Panic)
			b.WriteString("</span>")
		} else if len(e.Results) > 0 {
			b.WriteString("<br>→ ")
			b.WriteString(string(panel.FieldsHTML(e.Results)))
		}
		b.WriteString("</td><td class=\"ddt-num\">")
		b.WriteString(panel.Milliseconds(e.Start))
		b.WriteString("</td><td class=\"ddt-num\">")
		if e.Duration == 0 {
			b.WriteString(`<span class="ddt-muted">instant</span>`)
		} else {
			b.WriteString(panel.Milliseconds(e.Duration))
		}
		b.WriteString("</td><td>")
		if e.Goroutine != 0 {
			b.WriteString("g")
			b.WriteString(strconv.FormatUint(e.Goroutine, 10))
		}
		if e.Via != "" {
			b.WriteString(` <span class="ddt-muted">`)
			panel.WriteEscaped(&b, e.Via)
			b.WriteString("</span>")
		}
		b.WriteString("</td><td>")
		if owner := p.Owners[e.Kind]; owner != "" && owner != "timeline" {
			b.WriteString(`<button type="button" class="ddt-link-btn" data-ddt-open-panel="`)
			panel.WriteEscaped(&b, owner)
			b.WriteString(`">`)
			panel.WriteEscaped(&b, owner)
			b.WriteString("</button>")
		}
		b.WriteString("</td><td class=\"ddt-calls-stack\">")
		b.WriteString(string(panel.StackHTML(e.Stack)))
		b.WriteString("</td></tr>")
	}
	return template.HTML(b.String())
}
