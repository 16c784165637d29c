package debugapi_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/apitest"
	"github.com/go-ddt/ddt/runtime/debugapi"
)

// readmeClient is the README's example of the client ("The JSON API"),
// which TestReadmeGoSnippets finds here.
func readmeClient(ctx context.Context) (*debugapi.RequestList, error) {
	c, _ := debugapi.NewClient("http://127.0.0.1:8000")
	list, err := c.List(ctx, debugapi.ListQuery{Has: []string{"sql"}, Statuses: []debugapi.StatusRange{{Min: 500, Max: 599}}})
	return list, err
}

// TestClient reads a real toolbar with the client: the list, a request,
// its panels, one panel, and the errors.
func TestClient(t *testing.T) {
	app := apitest.Start(t)
	app.Do(t, "GET", "/api/users", "")
	_, failed := app.Do(t, "GET", "/api/report", "")
	c, err := debugapi.NewClient(app.URL)
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	list, err := c.List(ctx, debugapi.ListQuery{Has: []string{"sql"}, Statuses: []debugapi.StatusRange{{Min: 500, Max: 599}}})
	if err != nil || len(list.Requests) != 1 || list.Requests[0].ID != failed || list.Requests[0].Events["sql"] != 1 {
		t.Fatalf("List: %+v, %v", list, err)
	}
	d, err := c.Request(ctx, failed)
	if err != nil || d.Path != "/api/report" || len(d.Panels) == 0 || d.Panels[0].Stats != nil {
		t.Errorf("Request: %+v, %v", d, err)
	}
	all, err := c.Panels(ctx, failed)
	if err != nil || len(all.Panels) != len(d.Panels) {
		t.Errorf("Panels: %d panels, %v", len(all.Panels), err)
	}
	p, err := c.Panel(ctx, failed, "sql")
	if err != nil || !strings.Contains(string(p.Stats), "no such table: invoices") {
		t.Errorf("Panel: %+v, %v", p, err)
	}
	_, err = c.Panel(ctx, failed, "nosuch")
	var ae *debugapi.APIError
	if !errors.As(err, &ae) || ae.Status != 404 || !strings.Contains(ae.Message, "nosuch") {
		t.Errorf("an unknown panel: %v", err)
	}
	if _, err := c.Request(ctx, "../../etc"); err == nil || !strings.Contains(err.Error(), "hex digits") {
		t.Errorf("a malformed id: %v", err)
	}
	// Where nothing answers, the README's example says so (another
	// program may be serving 127.0.0.1:8000: then it answers).
	if _, err := readmeClient(ctx); err != nil && !errors.As(err, &ae) && !strings.Contains(err.Error(), "is the app running") {
		t.Errorf("with no app: %v", err)
	}
}
