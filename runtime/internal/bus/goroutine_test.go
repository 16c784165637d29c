package bus

import (
	"context"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestGoroutineLayout checks that the runtime's goroutine descriptor was
// read on this platform: without it, events of goroutines other than the
// handler's are attributed only through a context argument.
func TestGoroutineLayout(t *testing.T) {
	l := goroutineLayout()
	if runtime.GOARCH != "amd64" && runtime.GOARCH != "arm64" {
		if l.identities || l.failureReason == "" {
			t.Errorf("layout %+v on %s, which has no getg", *l, runtime.GOARCH)
		}
		return
	}
	if !l.identities || !l.creators {
		t.Fatalf("the goroutine descriptor of %s was not read: %+v", runtime.Version(), *l)
	}
	_, id := current()
	if id != tracebackID() {
		t.Errorf("current id %d, traceback says %d", id, tracebackID())
	}
	var child goroutine
	var wg sync.WaitGroup
	wg.Go(func() { child = describe(current()) })
	wg.Wait()
	if child.parent != id || child.id == id || child.id == 0 {
		t.Errorf("child %+v of goroutine %d", child, id)
	}
	if !strings.HasPrefix(funcName(child.gopc-1), "sync.(*WaitGroup).Go") || startedByStandardLibrary(child.gopc) {
		t.Errorf("child started at %s: standard library = %v", funcName(child.gopc-1), startedByStandardLibrary(child.gopc))
	}
	if !eventually(child.ended) {
		t.Error("an ended goroutine does not read as ended")
	}
	self := describe(current())
	if self.ended() {
		t.Error("the running goroutine reads as ended")
	}
	if !labelsReadable {
		labelLayoutOnce.Do(checkLabelLayout)
		if !labelsReadable {
			t.Error("runtime/pprof's label sets are not laid out as ddt expects")
		}
	}
}

// TestUnvouchedAncestor: a goroutine started by a goroutine that made no
// event is not filed under the request, since that one may be a worker.
func TestUnvouchedAncestor(t *testing.T) {
	rec := NewRecorder(0)
	_, unbind := Bind(context.Background(), "req", rec)
	var wg sync.WaitGroup
	wg.Go(func() { // makes no event
		var inner sync.WaitGroup
		inner.Go(func() { Emit(nil, &Event{Kind: "trace", Name: "grandchild"}, -1) })
		inner.Wait()
	})
	wg.Wait()
	before, _ := Unattributed()
	unbind()
	after, recent := Unattributed()
	if len(rec.Events()) != 0 || after != before+1 {
		t.Fatalf("request got %d events; unattributed %d -> %d", len(rec.Events()), before, after)
	}
	if e := recent[len(recent)-1]; e.Name != "grandchild" || !strings.Contains(e.Unattributed, "made no event") {
		t.Errorf("unattributed %q: %q", e.Name, e.Unattributed)
	}
}

func TestIsStandardLibrary(t *testing.T) {
	for name, want := range map[string]bool{
		"context.(*afterFuncCtx).cancel.func1":                  true,
		"net/http.(*Transport).dialConn":                        true,
		"time.goFunc":                                           true,
		"main.main.func1":                                       false,
		"example.com/app/worker.Start":                          false,
		"golang.org/x/sync/errgroup.(*Group).Go":                false,
		"main.handler[example.com/x.T].func2":                   false,
		"github.com/go-ddt/ddt/runtime/internal/bus.findLayout": false,
	} {
		if got := isStandardLibrary(name); got != want {
			t.Errorf("isStandardLibrary(%q) = %v", name, got)
		}
	}
}

// TestSettleWhileGoroutinesStillMakeEvents: while the end of a request
// waits for its goroutines (one is still running), calls that began before
// the end finish on goroutines not seen yet, and are held meanwhile. The
// wait reads a snapshot of the goroutines seen (the map it came from is
// written by those holds). The running goroutine's event is not the
// request's; the late calls' are only if their goroutines (started by the
// handler's) had ended when the request's events were decided.
func TestSettleWhileGoroutinesStillMakeEvents(t *testing.T) {
	site := &Site{Kind: "trace", Func: "ddtrt.late", Ctx: -1, Req: -1, NameArg: -1}
	rec := NewRecorder(0)
	_, unbind := Bind(context.Background(), "req", rec)
	stop, running := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() { // still running when the request ends
		Emit(nil, &Event{Kind: "trace", Name: "running"}, -1)
		close(running)
		<-stop
	})
	<-running
	const late = 20
	entered := make(chan struct{}, late)
	for i := range late {
		wg.Go(func() {
			c := Enter(site, nil)
			entered <- struct{}{}
			time.Sleep(time.Duration(100+50*i) * time.Microsecond) // during the end's wait
			c.Exit(nil)
		})
	}
	for range late {
		<-entered
	}
	unbind()
	close(stop)
	wg.Wait()
	for _, e := range rec.Events() {
		if e.Func != site.Func || e.Via != ViaChild {
			t.Errorf("the request got %s %q via %q", e.Func, e.Name, e.Via)
		}
	}
}
