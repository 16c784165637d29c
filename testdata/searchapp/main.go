// Command searchapp is an example app with a toolbar panel of its own: a
// //ddt:search function and the panel generated from search.yaml.
package main

import (
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"

	"example.com/searchapp/internal/panels/search"
	searchengine "example.com/searchapp/search"
	"github.com/go-ddt/ddt/runtime/panel"
	"github.com/go-ddt/ddt/runtime/toolbar"
)

var page = template.Must(template.New("").Parse(`<!doctype html>
<html><head><title>Search</title></head><body>
<form><input name="q" value="{{.Query}}"><button>Search</button></form>
{{range .Results}}<h2>{{.Index}}</h2><ul>{{range .Docs}}<li>{{.}}</li>{{end}}</ul>{{end}}
</body></html>`))

type result struct {
	Index string
	Docs  []string
}

func handler(ix *searchengine.Index) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query().Get("q")
		var results []result
		if q != "" {
			for _, index := range []string{"products", "articles"} {
				_, docs := ix.Query(r.Context(), index, q)
				results = append(results, result{index, docs})
			}
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		page.Execute(w, map[string]any{"Query": q, "Results": results})
	})
	return mux
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8001", "address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("searchapp: serving on http://%s/\n", ln.Addr())
	h := toolbar.Middleware(handler(searchengine.New()), toolbar.Options{
		Panels: []func() panel.Panel{search.New},
	})
	log.Fatal(http.Serve(ln, h))
}
