package ddtsql_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-ddt/ddt/runtime/integrations/ddtsql"
)

// TestExplainHandlerJSONError: asked for JSON, the handler answers a
// refused reference as a JSON error, with the status of the HTML answer.
// (The plan itself is checked end to end by internal/mcpserver's tests.)
func TestExplainHandlerJSONError(t *testing.T) {
	srv := httptest.NewServer(ddtsql.ExplainHandler(func(*http.Request) bool { return true }))
	defer srv.Close()
	req, _ := http.NewRequest("GET", srv.URL+"/?ref=1.forged", nil)
	req.Header.Set("Accept", "text/html;q=0.5, application/json")
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct{ Error string }
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if resp.StatusCode != http.StatusForbidden || resp.Header.Get("Content-Type") != "application/json" || body.Error != ddtsql.ErrBadReference.Error() {
		t.Errorf("answer %s %q %+v, want 403 and the bad reference error as JSON", resp.Status, resp.Header.Get("Content-Type"), body)
	}
}
