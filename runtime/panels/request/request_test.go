package request_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/go-ddt/ddt/runtime/panels/request"
	"github.com/go-ddt/ddt/runtime/toolbar"
	"github.com/go-ddt/ddt/runtime/toolbar/toolbartest"
)

func TestPanel(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /schools/{school}/files/{path...}", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			t.Error(err)
		}
		io.WriteString(w, "<html><body>ok</body></html>")
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {})
	s := toolbartest.NewServer(t, mux, toolbar.Options{})

	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("title", "Report")
	mw.WriteField("passcode", "1234")
	fw, _ := mw.CreateFormFile("upload", "grades.csv")
	fw.Write([]byte("a,b\n1,2\n"))
	mw.Close()
	req, _ := http.NewRequest("POST", s.URL+"/schools/north/files/2024/grades.csv?sort=name&sort=age", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.AddCookie(&http.Cookie{Name: "theme", Value: "dark"})
	resp, _ := s.Do(req)
	id := s.RequestID(resp)

	if nav := s.Nav(id, "request"); nav.NavSubtitle != "POST /schools/{school}/files/{path...}" {
		t.Errorf("subtitle %q, want the pattern", nav.NavSubtitle)
	}
	var p request.Panel
	s.Stats(id, "request", &p)
	if p.Method != "POST" || p.URL != "/schools/north/files/2024/grades.csv?sort=name&sort=age" || !p.FormParsed {
		t.Errorf("stats %+v", p)
	}
	html := s.Panel(id, "request")
	for _, want := range []string{
		"<tr><th>Pattern</th><td><code>POST /schools/{school}/files/{path...}</code></td></tr>",
		"<tr><th><code>school</code></th><td><code>north</code></td></tr>\n<tr><th><code>path</code></th><td><code>2024/grades.csv</code></td></tr>",
		"<tr><th><code>sort</code></th><td><code>name</code></td></tr>\n<tr><th><code>sort</code></th><td><code>age</code></td></tr>",
		"<tr><th><code>passcode</code></th><td><code>********</code></td></tr>\n<tr><th><code>title</code></th><td><code>Report</code></td></tr>",
		"<tr><th><code>upload</code></th><td><code>grades.csv (8 bytes)</code></td></tr>",
		"<tr><th><code>theme</code></th><td><code>********</code></td></tr>",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("no\n%s\nin\n%s", want, html)
		}
	}

	resp, _ = s.Get("/nowhere")
	id = s.RequestID(resp)
	html = s.Panel(id, "request")
	if nav := s.Nav(id, "request"); nav.NavSubtitle != "/nowhere" || !strings.Contains(html, "no ServeMux pattern matched") || strings.Contains(html, "Path values") {
		t.Errorf("unrouted request: %q\n%s", nav.NavSubtitle, html)
	}
}
