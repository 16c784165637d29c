package ddtrt_test

import (
	"context"
	"errors"
	"github.com/go-ddt/ddt/runtime/event"
	"math"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	ddtrt "github.com/go-ddt/ddt/runtime/ddtrt"
)

// The functions below have the shape ddt instrument generates, written out
// by hand so the runtime can be tested without the generator.

var siteFlag = ddtrt.Site{Kind: "flag", Func: "ddtrt_test.flag", Params: []string{"ctx", "name"}, Results: []string{""}, Ctx: 0, Req: -1, NameArg: 1}

func flag(ctx context.Context, name string) (__ddt_r0 bool) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteFlag, ctx, name)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	if name == "boom" {
		panic(errBoom)
	}
	return len(name)%2 == 0
}

var siteNoCtx = ddtrt.Site{Kind: "trace", Func: "ddtrt_test.noCtx", Params: []string{"n"}, Results: []string{"", ""}, Ctx: -1, Req: -1, NameArg: -1}

func noCtx(n int) (__ddt_r0 int, __ddt_r1 error) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteNoCtx, n)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0, __ddt_r1) }()
	}
	return n * 2, nil
}

//go:noinline
func plainNoCtx(n int) (int, error) { return n * 2, nil }

//go:noinline
func plainFlag(ctx context.Context, name string) bool { return len(name)%2 == 0 }

var errBoom = errors.New("boom")

func TestAttributionAndPanic(t *testing.T) {
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "req1", rec)
	if !ddtrt.Active() {
		t.Fatal("Active() = false inside a binding")
	}
	flag(ctx, "ab")
	noCtx(21)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); noCtx(1) }()
	wg.Wait()
	func() {
		defer func() {
			if r := recover(); r != errBoom {
				t.Errorf("recovered %v, want the same error value", r)
			}
		}()
		flag(context.Background(), "boom")
	}()
	unbind()
	if ddtrt.Active() {
		t.Fatal("Active() = true after unbind")
	}
	// The child goroutine's event is held until the request ends, then
	// delivered (it ended before the request did), in its place.
	evs := rec.Events()
	if len(evs) != 4 {
		t.Fatalf("got %d events, want 4", len(evs))
	}
	if evs[0].Name != "ab" || evs[0].Results[0].Raw != true || evs[0].Via != event.ViaContext {
		t.Errorf("flag event = %+v", evs[0])
	}
	if evs[1].Results[0].Value != "42" || evs[1].Args[0].Name != "n" || evs[1].Via != event.ViaHandler {
		t.Errorf("noCtx event = %+v", evs[1])
	}
	if evs[2].Results[0].Value != "2" || evs[2].Via != event.ViaChild || evs[2].Goroutine == evs[1].Goroutine || evs[2].Goroutine == 0 {
		t.Errorf("child goroutine's event = %+v", evs[2])
	}
	if !evs[3].Panicked || !strings.Contains(evs[3].Panic, "boom") || evs[3].Via != event.ViaHandler {
		t.Errorf("panic event = %+v", evs[3])
	}
}

func BenchmarkInactive(b *testing.B) {
	ctx := context.Background()
	b.Run("ctx/plain", func(b *testing.B) {
		for b.Loop() {
			plainFlag(ctx, "abc")
		}
	})
	b.Run("ctx/ddt", func(b *testing.B) {
		for b.Loop() {
			flag(ctx, "abc")
		}
	})
	b.Run("noctx/plain", func(b *testing.B) {
		for b.Loop() {
			plainNoCtx(3)
		}
	})
	b.Run("noctx/ddt", func(b *testing.B) {
		for b.Loop() {
			noCtx(3)
		}
	})
}

func TestRenderFastPathsMatchReflection(t *testing.T) {
	for _, v := range []any{nil, "a\"b", "", true, false, 0, -42, int64(-1 << 40), uint64(1 << 63), 3.25, 1e300, math.Copysign(0, -1)} {
		if got, want := event.Render(v), event.Render([]any{v}); "[]interface {}{"+got+"}" != want {
			t.Errorf("Render(%#v) = %s, but inside a slice %s", v, got, want)
		}
	}
}

func TestRenderStringsLikeStrconvQuote(t *testing.T) {
	for _, s := range []string{"", "plain text 123", `a"b`, `a\b`, "tab\t", "é", "\x7f", "~ok!"} {
		if got, want := event.Render(s), strconv.Quote(s); got != want {
			t.Errorf("Render(%q) = %s, want %s", s, got, want)
		}
	}
}

type digest struct{ n int }

var siteDigestAdd = ddtrt.Site{Kind: "trace", Func: "ddtrt_test.(*digest).add", Params: []string{"d", "x"}, Ctx: -1, Req: -1, NameArg: -1}

func (d *digest) add(x int) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteDigestAdd, d, x)
		defer func() { __ddt_c.Exit(recover()) }()
	}
	d.n += x
}

var digestSink int

// TestArgumentsDoNotEscape: passing a pointer to a marked function must not
// make it escape, or callers allocate on every call even while nothing is
// recorded (found by the corpus test, in xxhash's allocation tests).
func TestArgumentsDoNotEscape(t *testing.T) {
	if ddtrt.Active() {
		t.Skip("a request is being recorded")
	}
	n := testing.AllocsPerRun(100, func() {
		d := &digest{}
		d.add(1)
		digestSink = d.n
	})
	if n != 0 {
		t.Fatalf("%v allocations per call of an unrecorded marked method, want 0", n)
	}
}

type cache struct {
	mu sync.Mutex
	m  map[string]int
}

var siteCacheGet = ddtrt.Site{Kind: "trace", Func: "ddtrt_test.(*cache).get", Params: []string{"c", "key"}, Results: []string{""}, Ctx: -1, Req: -1, NameArg: 1}

func (c *cache) get(key string) (__ddt_r0 int) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteCacheGet, c, key)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[key]
}

// TestSharedReceiverIsNotRead: a marked method of an object that other
// goroutines write under its lock. Rendering the receiver must not read
// its fields (a data race under -race, and iterating its map while it is
// written would be a fatal error), unless SetFollowPointers says so.
func TestSharedReceiverIsNotRead(t *testing.T) {
	c := &cache{m: map[string]int{}}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			c.mu.Lock()
			c.m[strings.Repeat("k", i%50)] = i
			c.mu.Unlock()
		}
	})
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "req", rec)
	_ = ctx
	for range 200 {
		c.get("k")
	}
	unbind()
	close(stop)
	wg.Wait()
	evs := rec.Events()
	if len(evs) != 200 || evs[0].Args[0].Value != "&ddtrt_test.cache{…}" || evs[0].Args[1].Value != `"k"` {
		t.Fatalf("got %d events, first args %+v", len(evs), evs[0].Args)
	}

	event.SetFollowPointers(true)
	defer event.SetFollowPointers(false)
	rec = event.NewRecorder(0)
	_, unbind = event.Bind(context.Background(), "req2", rec)
	c.get("k")
	unbind()
	if got := rec.Events()[0].Args[0].Value; !strings.HasPrefix(got, "&ddtrt_test.cache{mu: sync.Mutex{") {
		t.Errorf("with SetFollowPointers, receiver = %q", got)
	}
}

var siteAppendByte = ddtrt.Site{Kind: "trace", Func: "ddtrt_test.appendByte", Params: []string{"b", "x"}, Results: []string{""}, Ctx: -1, Req: -1, NameArg: -1}

func appendByte(b []byte, x byte) (__ddt_r0 []byte) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteAppendByte, b, x)
		defer exit1(__ddt_c, &__ddt_r0)
	}
	return append(b, x)
}

func exit1[R0 any](c *ddtrt.Call, r0 *R0) { c.Exit(recover(), *r0) }

// TestResultsDoNotEscape: a result that refers to the caller's stack
// (append to a stack array) must not move that array to the heap (found by
// the corpus test in xxhash's Digest.Sum).
func TestResultsDoNotEscape(t *testing.T) {
	if ddtrt.Active() {
		t.Skip("a request is being recorded")
	}
	n := testing.AllocsPerRun(100, func() {
		var buf [8]byte
		s := appendByte(buf[:0], 1)
		digestSink = int(s[0])
	})
	if n != 0 {
		t.Fatalf("%v allocations per call, want 0", n)
	}
}

var siteFlagByUser = ddtrt.Site{Kind: "flag", Func: "ddtrt_test.flagFor", Params: []string{"c"}, Results: []string{""}, Ctx: -1, Req: -1, NameArg: 0}

func flagFor(c *cache) (__ddt_r0 bool) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteFlagByUser, c)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	return c != nil
}

// TestEventNameIsRenderedOnce: a name argument that is not a string is
// named by its rendering, which does not read through pointers either.
func TestEventNameIsRenderedOnce(t *testing.T) {
	rec := event.NewRecorder(0)
	_, unbind := event.Bind(context.Background(), "req", rec)
	flagFor(&cache{m: map[string]int{"k": 1}})
	unbind()
	if e := rec.Events()[0]; e.Name != "&ddtrt_test.cache{…}" || e.Name != e.Args[0].Value {
		t.Errorf("name %q, args %+v", e.Name, e.Args)
	}
}

// TestGoroutineOutlivesItsRequest checks that the events of a goroutine a
// request started and that outlived it go to no request: not to it, since
// a goroutine still running at the end may be a worker serving others
// (even the event it made while the request was in flight), and not to the
// request recorded after it.
func TestGoroutineOutlivesItsRequest(t *testing.T) {
	recA, recB := event.NewRecorder(0), event.NewRecorder(0)
	_, unbindA := event.Bind(context.Background(), "A", recA)
	made, step, done := make(chan struct{}), make(chan struct{}), make(chan struct{})
	go func() {
		defer close(done)
		noCtx(1) // while A is recorded: held by A
		close(made)
		<-step
		noCtx(2) // after A ended, while B is recorded elsewhere
	}()
	<-made
	before, _ := event.Unattributed()
	unbindA()
	_, unbindB := event.Bind(context.Background(), "B", recB)
	defer unbindB()
	close(step)
	<-done
	if n := len(recA.Events()); n != 0 {
		t.Errorf("request A got %d events of a goroutine that outlived it", n)
	}
	if n := len(recB.Events()); n != 0 {
		t.Errorf("request B got %d events of a goroutine it did not start", n)
	}
	after, recent := event.Unattributed()
	if after != before+2 {
		t.Fatalf("unattributed count went from %d to %d, want two more", before, after)
	}
	for _, e := range recent[len(recent)-2:] {
		if e.Via != "" || e.Unattributed == "" || e.Goroutine == 0 {
			t.Errorf("unattributed event: Via %q, Unattributed %q, Goroutine %d", e.Via, e.Unattributed, e.Goroutine)
		}
	}
}

// keepSink keeps what a panel may keep of each event: its fields and name,
// not the *Event, which is reused once Record returns.
type keepSink struct {
	mu    sync.Mutex
	names []string
	args  [][]event.Field
	res   [][]event.Field
}

func (s *keepSink) Record(e *event.Event) {
	s.mu.Lock()
	s.names = append(s.names, e.Name)
	s.args = append(s.args, e.Args)
	s.res = append(s.res, e.Results)
	s.mu.Unlock()
}

// TestKeptFieldsOutliveTheirCall records calls whose Call is reused by the
// next ones, from several goroutines and across bindings and collections,
// and checks that what a sink kept of each is still its own.
func TestKeptFieldsOutliveTheirCall(t *testing.T) {
	name := func(g, i int) string {
		return strings.Repeat(strconv.Itoa(g), 1+i%7) + strings.Repeat("x", (i*37)%400) // short and long
	}
	const goroutines, calls = 4, 300
	sinks := make([]*keepSink, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		sinks[g] = new(keepSink)
		wg.Go(func() {
			ctx, unbind := event.Bind(context.Background(), "req"+strconv.Itoa(g), sinks[g])
			defer unbind()
			for i := range calls {
				flag(ctx, name(g, i))
				noCtx(g*1000 + i)
				if i%100 == 0 {
					runtime.GC()
				}
			}
		})
	}
	wg.Wait()
	runtime.GC()
	for g, s := range sinks {
		if len(s.names) != 2*calls {
			t.Fatalf("goroutine %d: %d events, want %d", g, len(s.names), 2*calls)
		}
		for i := range calls {
			want := name(g, i)
			if len(want) > event.MaxRenderString {
				want = want[:event.MaxRenderString] + event.Truncated
			}
			args, res := s.args[2*i], s.res[2*i]
			if s.names[2*i] != want || len(args) != 1 || args[0].Raw != want || len(res) != 1 || res[0].Raw != (len(name(g, i))%2 == 0) {
				t.Fatalf("goroutine %d, call %d: name %q, args %+v, results %+v; want name %q", g, i, s.names[2*i], args, res, want)
			}
			n := strconv.Itoa(g*1000 + i)
			if args := s.args[2*i+1]; len(args) != 1 || args[0].Value != n {
				t.Fatalf("goroutine %d, call %d: noCtx args %+v, want n=%s", g, i, args, n)
			}
		}
	}
}

var siteCtxInMiddle = ddtrt.Site{Kind: "trace", Func: "ddtrt_test.ctxInMiddle", Params: []string{"", "ctx", "_"}, Results: []string{""}, Ctx: 1, Req: -1, NameArg: 2}

func ctxInMiddle(a int, ctx context.Context, b string) (__ddt_r0 int) {
	if ddtrt.Active() {
		__ddt_c := ddtrt.Enter(&siteCtxInMiddle, a, ctx, b)
		defer func() { __ddt_c.Exit(recover(), __ddt_r0) }()
	}
	return a
}

// TestContextArgumentIsNotRendered checks that a context argument
// attributes the call but is left out of Args, that the arguments after it
// keep their positional names, and that the name comes from the right one.
func TestContextArgumentIsNotRendered(t *testing.T) {
	rec := event.NewRecorder(0)
	ctx, unbind := event.Bind(context.Background(), "req", rec)
	ctxInMiddle(7, ctx, "x")
	unbind()
	evs := rec.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events, want 1 (attributed through ctx)", len(evs))
	}
	e := evs[0]
	if len(e.Args) != 2 || e.Args[0].Name != "arg0" || e.Args[0].Value != "7" || e.Args[1].Name != "arg2" || e.Args[1].Value != `"x"` {
		t.Errorf("Args = %+v, want arg0=7, arg2=\"x\"", e.Args)
	}
	if e.Name != "x" || e.Arg("arg2") != "x" || e.ResultText(0) != "7" {
		t.Errorf("Name %q, arg2 %q, result %q", e.Name, e.Arg("arg2"), e.ResultText(0))
	}
}
