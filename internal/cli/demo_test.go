package cli

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/go-ddt/ddt/internal/demo"
)

func TestDemoFlagsParsing(t *testing.T) {
	var got *demoOptions
	cmd := NewCmdDemo(IO{Out: io.Discard, Err: io.Discard}, func(o *demoOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--addr", "127.0.0.1:9999"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.Addr != "127.0.0.1:9999" {
		t.Errorf("Addr = %q", got.Addr)
	}
}

func TestDemoPortInUse(t *testing.T) {
	var out, errOut bytes.Buffer
	ready := make(chan string, 1)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- demo.Serve(ctx, demo.ServeOptions{Out: &out, Err: io.Discard, Addr: "127.0.0.1:0", Ready: func(u string) { ready <- u }})
	}()
	url := <-ready
	addr := strings.TrimSuffix(strings.TrimPrefix(url, "http://"), "/")
	code := Main([]string{"demo", "--addr", addr}, nil, io.Discard, &errOut)
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if code != 1 || !strings.Contains(errOut.String(), addr+" is already in use; pick another address with --addr") {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

// TestDemoBinary builds the ddt command, runs "ddt demo" on a free port as
// a newcomer would, and finds the toolbar and the Feature Flags panel's
// rows for the page it fetched; then Ctrl-C stops it cleanly.
func TestDemoBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the ddt command")
	}
	bin := filepath.Join(t.TempDir(), "ddt")
	build := exec.Command("go", "build", "-o", bin, "github.com/go-ddt/ddt/cmd/ddt")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "demo", "--addr", "127.0.0.1:0")
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	lines := bufio.NewScanner(stdout)
	if !lines.Scan() {
		t.Fatalf("no output from ddt demo; stderr:\n%s", stderr.String())
	}
	m := regexp.MustCompile(`^ddt demo: serving on (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)$`).FindStringSubmatch(lines.Text())
	if m == nil {
		t.Fatalf("unexpected first line %q", lines.Text())
	}
	base := m[1]
	rest := make(chan string, 1)
	go func() {
		var b strings.Builder
		for lines.Scan() {
			b.WriteString(lines.Text() + "\n")
		}
		rest <- b.String()
	}()

	resp, body := httpGet(t, base)
	if !strings.Contains(body, `/__debug__/static/toolbar.js" data-ddt-request="`) {
		t.Fatalf("the page has no toolbar:\n%s", body)
	}
	id := resp.Header.Get("X-DDT-Request-Id")
	_, detail := httpGet(t, base+"__debug__/api/requests/"+id)
	var d struct {
		Panels []struct {
			ID          string `json:"id"`
			NavSubtitle string `json:"nav_subtitle"`
		}
	}
	if err := json.Unmarshal([]byte(detail), &d); err != nil {
		t.Fatal(err)
	}
	subtitles := map[string]string{}
	for _, p := range d.Panels {
		subtitles[p.ID] = p.NavSubtitle
	}
	subtitle := subtitles["featureflags"]
	// The flags and the students come from SQLite through ddtsql, and the
	// page is rendered through ddttemplate.
	if !regexp.MustCompile(`^\d+ queries in `).MatchString(subtitles["sql"]) {
		t.Errorf("SQL subtitle = %q", subtitles["sql"])
	}
	if !strings.HasPrefix(subtitles["templates"], "1 template") {
		t.Errorf("Templates subtitle = %q", subtitles["templates"])
	}
	// redesigned-dashboard, weekly-digest for the viewer, grade-insights
	// (goroutine, ctx), weekly-digest for the teacher (goroutine, no ctx),
	// attendance-widget (template).
	if subtitle != "5 evaluations" {
		t.Errorf("Feature Flags subtitle = %q, want 5 evaluations", subtitle)
	}
	_, flags := httpGet(t, base+"__debug__/panels/"+id+"/featureflags")
	flags = strings.ReplaceAll(flags, "<wbr>", "") // word-break hints in names and paths
	for _, want := range []string{"redesigned-dashboard", "weekly-digest", "grade-insights", "attendance-widget", "(*App).dashboard", "app.go:"} {
		if !strings.Contains(flags, want) {
			t.Errorf("Feature Flags panel is missing %q", want)
		}
	}
	// The same flag, two answers in one request.
	digest := regexp.MustCompile(`(?s)<code>weekly-digest</code>.*?</td>\s*<td data-ddt-flag-value><code>(true|false)</code>`).FindAllStringSubmatch(flags, -1)
	if len(digest) != 2 || digest[0][1] == digest[1][1] {
		t.Errorf("weekly-digest evaluations = %v, want one true and one false", digest)
	}

	// The reports page logs twice through ddtslog.
	resp, _ = httpGet(t, base+"reports")
	_, detail = httpGet(t, base+"__debug__/api/requests/"+resp.Header.Get("X-DDT-Request-Id"))
	if !strings.Contains(detail, `"nav_subtitle":"2 messages`) {
		t.Errorf("reports page: no 2 log messages in %s", detail)
	}

	cmd.Process.Signal(syscall.SIGINT)
	var tail string
	select {
	case tail = <-rest:
	case <-time.After(10 * time.Second):
		t.Fatal("ddt demo did not stop within 10s of Ctrl-C")
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("ddt demo exited with %v after Ctrl-C; stderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(tail, "ddt demo: stopped") {
		t.Errorf("no stop message; stdout after start: %q", tail)
	}
}

func httpGet(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %s\n%s", url, resp.Status, body)
	}
	return resp, string(body)
}
