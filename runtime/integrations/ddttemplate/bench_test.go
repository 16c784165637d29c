package ddttemplate_test

import (
	"context"
	"github.com/go-ddt/ddt/runtime/event"
	"github.com/go-ddt/ddt/runtime/integrations/ddttemplate"
	"html/template"
	"io"
	"testing"
)

type discard struct{}

func (discard) Record(*event.Event) {}

var row = template.Must(template.New("row.html").Parse(`<tr><td>{{.Name}}</td><td>{{.Email}}</td><td>{{.Age}}</td></tr>`))

type person struct {
	Name, Email string
	Age         int
}

// BenchmarkExecute measures one execution of a small html/template: by
// calling it directly, through ddttemplate while no request is recorded,
// and through ddttemplate recording it for a request.
func BenchmarkExecute(b *testing.B) {
	data := person{"Ann", "ann@example.com", 34}
	b.Run("plain", func(b *testing.B) {
		for b.Loop() {
			row.Execute(io.Discard, data)
		}
	})
	b.Run("ddttemplate/idle", func(b *testing.B) {
		ctx := context.Background()
		for b.Loop() {
			ddttemplate.Execute(ctx, row, io.Discard, data)
		}
	})
	b.Run("ddttemplate/recording", func(b *testing.B) {
		ctx, unbind := event.Bind(context.Background(), "bench", discard{})
		defer unbind()
		for b.Loop() {
			ddttemplate.Execute(ctx, row, io.Discard, data)
		}
	})
}
