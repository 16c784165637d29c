// Package bus is the machinery of ddt's event bus, shared by the two
// packages that face out: runtime/event (events, sinks, Bind, Record: what
// the toolbar, integrations and tests use) and runtime/ddtrt (Enter and
// Call.Exit: what generated code calls). Neither users nor generated code
// import it.
//
// It holds what both need and neither should show: attribution (contexts,
// the handler's goroutine, pprof labels, goroutine descriptors, events held
// until their request ends), the memory calls are rendered into, the
// renderer, the clock and stack capture. A binding (one Bind) serializes
// the deliveries to its sink and turns away, as unattributed, the events
// that reach it after it was undone: the one place that decides what
// becomes of a late event.
package bus
