package clustertest

import (
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-ddt/ddt/internal/browsertest"
	"github.com/go-ddt/ddt/internal/servicetest"
)

const toolbarRoot = `document.querySelector("ddt-toolbar").shadowRoot`

// TestBrowserCluster runs three instances behind a round-robin proxy, with
// each store in turn.
func TestBrowserCluster(t *testing.T) {
	for _, kind := range []string{"postgres", "redis"} {
		t.Run(kind, func(t *testing.T) {
			var u string
			if kind == "postgres" {
				u = servicetest.Postgres(t)
			} else {
				u = servicetest.Redis(t)
			}
			cluster(t, kind+" "+u)
		})
	}
}

func cluster(t *testing.T, store string) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "app.db")
	if err := createDB(dbPath); err != nil {
		t.Fatal(err)
	}
	var key, tag [32]byte
	rand.Read(key[:])
	rand.Read(tag[:4])
	table := "ddt_cluster_" + hex.EncodeToString(tag[:4])

	var backends []*url.URL
	for _, name := range []string{"web-a", "web-b", "web-c"} {
		backends = append(backends, startInstance(t, name, store, dbPath, hex.EncodeToString(key[:]), table))
	}
	// The application's requests go round the instances in turn; the
	// toolbar's own do too, on a count of their own, so that the page and
	// its three fetches are served by A, B, C, A.
	var nextApp, nextToolbar atomic.Uint64
	proxy := httptest.NewServer(&httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
		next := &nextApp
		if strings.HasPrefix(r.In.URL.Path, "/__debug__/") || r.In.URL.Path == "/favicon.ico" {
			next = &nextToolbar
		}
		r.SetURL(backends[next.Add(1)%uint64(len(backends))])
		r.Out.Host = r.In.Host
		r.SetXForwarded()
	}})
	t.Cleanup(proxy.Close)

	tab := browsertest.Start(t).NewTab(t)
	tab.Navigate(proxy.URL + "/")
	tab.WaitJS("the page's fetches", `document.body.dataset.done === "1"`)
	tab.WaitJS("the toolbar to load the page's record", toolbarRoot+`.querySelector(".ddt-nav-btn[data-panel=history]") !== null`)

	// History: the page and its three fetches, with the instances that
	// served them.
	click(tab, `.ddt-nav-btn[data-panel="history"]`)
	tab.WaitJS("History", toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === "history"`)
	tab.WaitJS("four requests with instances in History", `(function(){
		var rows = `+toolbarRoot+`.querySelectorAll(".ddt-history-table tbody tr");
		if (rows.length < 4) { `+toolbarRoot+`.querySelector(".ddt-history .ddt-btn").click(); return false; }
		return `+toolbarRoot+`.querySelectorAll(".ddt-history-table td.ddt-instance").length >= 4; })()`)
	type row struct{ ID, Path, Instance string }
	rows := browsertest.Eval[[]row](tab, `Array.from(`+toolbarRoot+`.querySelectorAll(".ddt-history-table tbody tr")).map(tr => ({
		ID: tr.dataset.request, Path: tr.querySelector(".ddt-path").textContent, Instance: tr.querySelector(".ddt-instance").textContent}))`)
	instances := map[string]bool{}
	pageInstance := ""
	var fetches []row
	for _, r := range rows {
		instances[r.Instance] = true
		if r.Path == "/" {
			pageInstance = r.Instance
		}
		if strings.HasPrefix(r.Path, "/api/items") {
			fetches = append(fetches, r)
		}
	}
	if pageInstance == "" || len(fetches) != 3 {
		t.Fatalf("History rows %+v: want the page and three fetches", rows)
	}
	others := 0
	for _, f := range fetches {
		if f.Instance != pageInstance {
			others++
		}
	}
	if others != 2 || len(instances) != 3 {
		t.Errorf("History %+v: want the fetches served by the other instances than the page's %s", rows, pageInstance)
	}

	// Every fetch: switch to it, open every panel, and EXPLAIN its query
	// from every instance.
	for _, f := range fetches {
		if !browsertest.Eval[bool](tab, toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === "history"`) {
			click(tab, `.ddt-nav-btn[data-panel="history"]`)
		}
		tab.WaitJS("History", toolbarRoot+`.querySelector(`+strconv.Quote(`.ddt-history-table tr[data-request="`+f.ID+`"] button`)+`) !== null`)
		click(tab, `.ddt-history-table tr[data-request=`+strconv.Quote(f.ID)+`] button`)
		tab.WaitJS("the switch to "+f.ID, `document.querySelector("ddt-toolbar").getAttribute("data-ddt-request") === `+strconv.Quote(f.ID))
		tab.WaitJS("the panels of "+f.ID, toolbarRoot+`.querySelectorAll(".ddt-nav-btn[data-panel]").length > 3`)
		panels := browsertest.Eval[[]string](tab, `Array.from(`+toolbarRoot+`.querySelectorAll("button.ddt-nav-btn[data-panel]")).map(b => b.dataset.panel).filter(id => id !== "history")`)
		for _, p := range panels {
			if browsertest.Eval[bool](tab, toolbarRoot+`.querySelector(`+strconv.Quote(`.ddt-nav-btn[data-panel="`+p+`"]`)+`).disabled`) {
				continue // a panel with no content for this request
			}
			click(tab, `.ddt-nav-btn[data-panel=`+strconv.Quote(p)+`]`)
			tab.WaitJS("panel "+p, toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === `+strconv.Quote(p))
			if errs := browsertest.Eval[string](tab, `Array.from(`+toolbarRoot+`.querySelectorAll(".ddt-panel .ddt-error")).map(e => e.textContent).join(" | ")`); errs != "" {
				t.Errorf("request %s (%s), panel %s: %s", f.ID, f.Instance, p, errs)
			}
		}
		click(tab, `.ddt-nav-btn[data-panel="sql"]`)
		tab.WaitJS("the SQL panel", toolbarRoot+`.querySelector(".ddt-root").getAttribute("data-ddt-loaded") === "sql"`)
		href := browsertest.Eval[string](tab, `(`+toolbarRoot+`.querySelector("a.ddt-sql-explain") || {}).href || ""`)
		if href == "" {
			t.Fatalf("request %s: the SQL panel has no Explain link", f.ID)
		}
		for i := range 3 { // the proxy sends each to the next instance
			type answer struct {
				Status int
				Body   string
			}
			a := browsertest.Eval[answer](tab, `fetch(`+strconv.Quote(href)+`).then(r => r.text().then(b => ({Status: r.status, Body: b})))`)
			if a.Status != 200 || !strings.Contains(a.Body, "EXPLAIN QUERY PLAN") || !strings.Contains(a.Body, "items") {
				t.Errorf("request %s (%s), EXPLAIN #%d: %d %s", f.ID, f.Instance, i+1, a.Status, a.Body)
			}
		}
		click(tab, `.ddt-nav-btn[data-panel="sql"]`) // close
	}
	if errs := tab.JSErrors(); len(errs) > 0 {
		t.Errorf("JavaScript errors: %v", errs)
	}
}

// click clicks an element of the toolbar from the page's JavaScript: the
// toolbar re-renders as records arrive, so a node looked up for a mouse
// click may be replaced before it lands.
func click(tab *browsertest.Tab, css string) {
	browsertest.Eval[bool](tab, toolbarRoot+`.querySelector(`+strconv.Quote(css)+`).click() === undefined`)
}

// startInstance runs the test binary as one instance of the application.
func startInstance(t *testing.T, name, store, db, key, table string) *url.URL {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), InstanceEnv+"="+name, AddrEnv+"="+addr, StoreEnv+"="+store, DBEnv+"="+db,
		KeyEnv+"="+key, "DDT_CLUSTER_TABLE="+table)
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get("http://" + addr + "/__debug__/static/toolbar.js")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("instance %s did not start: %v", name, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &url.URL{Scheme: "http", Host: addr}
}
