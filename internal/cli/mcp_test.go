package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/internal/apitest"
	"github.com/go-ddt/ddt/runtime/debugapi"
	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// TestMCPOverStdio runs "ddt mcp --url" on pipes, as an agent starts it,
// and lists the app's requests with the SDK's client; closing its input
// ends it with status 0.
func TestMCPOverStdio(t *testing.T) {
	app := apitest.Start(t)
	_, id := app.Do(t, "GET", "/api/users", "")

	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var stderr bytes.Buffer
	code := make(chan int, 1)
	go func() {
		code <- Main([]string{"mcp", "--url", app.URL}, inR, outW, &stderr)
		outW.Close()
	}()
	ctx := context.Background()
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "test-agent", Version: "1"}, nil).
		Connect(ctx, &mcp.IOTransport{Reader: outR, Writer: inW}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := cs.InitializeResult().ServerInfo.Name; got != "ddt" {
		t.Errorf("server name %q", got)
	}
	res, err := cs.CallTool(ctx, &mcp.CallToolParams{Name: "list_requests"})
	if err != nil || res.IsError {
		t.Fatalf("list_requests: %v %+v", err, res)
	}
	var list debugapi.RequestList
	data, _ := json.Marshal(res.StructuredContent)
	if err := json.Unmarshal(data, &list); err != nil || len(list.Requests) != 1 || list.Requests[0].ID != id {
		t.Errorf("list_requests: %s (%v), want GET /api/users", data, err)
	}
	cs.Close()
	if c := <-code; c != 0 {
		t.Errorf("ddt mcp exited %d: %s", c, stderr.String())
	}
}

// TestMCPBadURL: a URL that is not an app's address is refused at once.
func TestMCPBadURL(t *testing.T) {
	var stderr bytes.Buffer
	code := Main([]string{"mcp", "--url", "127.0.0.1:8000"}, strings.NewReader(""), io.Discard, &stderr)
	if code != 2 || !strings.Contains(stderr.String(), "--url") {
		t.Errorf("exit %d, stderr %q; want 2 and the flag named", code, stderr.String())
	}
}
