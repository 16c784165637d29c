// Package otel compares the cost of recording a call with ddt against
// recording it as an OpenTelemetry span. It is a separate module so that
// OpenTelemetry stays out of ddt's own go.mod; run it with
//
//	cd bench/otel && go test -bench . -benchmem
package otel
