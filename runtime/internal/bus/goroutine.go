package bus

import (
	"bytes"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"unsafe"
)

// This file reads who the current goroutine is, which goroutine started
// it, from where, and whether a goroutine has ended: the facts attribution
// rests on. Go has no API for them; they are fields of the runtime's
// goroutine descriptor (its g), reached by getg. Their offsets are not
// assumed: findLayout finds them on this binary's runtime the first time a
// request is bound, and checks each against what the runtime says through
// its public API (the id a traceback prints, the function names of the go
// statement and of the goroutine's start). Where a check fails, or getg is
// not available on the architecture, the fields are not read, and
// attribution falls back to what needs none of them: context arguments.

// Status values of the runtime's g.atomicstatus (runtime/runtime2.go).
const (
	gStatusRunning   = 2
	gStatusWaiting   = 4
	gStatusDead      = 6
	gStatusDeadExtra = 11
	gStatusScan      = 0x1000
)

// gLayout holds byte offsets into the runtime's g.
type gLayout struct {
	goid, status  uintptr
	parent, gopc  uintptr
	identities    bool // goid and status were found and checked
	creators      bool // parent and gopc were found and checked
	failureReason string
}

var (
	layoutOnce sync.Once
	layout     gLayout
)

// goroutineLayout returns the layout, finding it on first use.
func goroutineLayout() *gLayout {
	layoutOnce.Do(findLayout)
	return &layout
}

// goroutine is what attribution knows of one goroutine.
type goroutine struct {
	g      unsafe.Pointer // its descriptor; reused by another goroutine once it ends
	id     uint64
	parent uint64  // the id of the goroutine that started it
	gopc   uintptr // the go statement that started it
}

// current returns the current goroutine's descriptor and id (0 where
// identities are not read).
func current() (unsafe.Pointer, uint64) {
	g := getg()
	if g == nil || !layout.identities {
		return g, 0
	}
	return g, load64(g, layout.goid)
}

// describe returns what is known of the current goroutine, g and id being
// what current returned.
func describe(g unsafe.Pointer, id uint64) goroutine {
	gr := goroutine{g: g, id: id}
	if layout.creators {
		gr.parent = load64(g, layout.parent)
		gr.gopc = uintptr(load64(g, layout.gopc))
	}
	return gr
}

// ended reports whether gr has ended: its descriptor is dead or now
// describes another goroutine. It is false where that cannot be read.
func (gr *goroutine) ended() bool {
	if !layout.identities || gr.g == nil {
		return false
	}
	if load64(gr.g, layout.goid) != gr.id {
		return true
	}
	s := readStatus(gr.g, layout.status)
	return s == gStatusDead || s == gStatusDeadExtra
}

func load64(g unsafe.Pointer, off uintptr) uint64 { return loadAt(g, off) }

// readStatus reads a g's atomicstatus, which is the low half of the word
// at off on the little-endian architectures that have getg.
func readStatus(g unsafe.Pointer, off uintptr) uint32 {
	return uint32(loadAt(g, off)) &^ gStatusScan
}

// gSpan is how many bytes of a g findLayout searches.
const gSpan = 384

// probe is the goroutine findLayout starts to check offsets against.
var probe struct {
	g       unsafe.Pointer
	id      uint64
	ready   chan struct{}
	release chan struct{}
}

func probeGoroutine() {
	probe.g, probe.id = getg(), tracebackID()
	close(probe.ready)
	<-probe.release
}

// findLayout finds the offsets of a g's goid, atomicstatus, parentGoid and
// gopc, and checks them.
func findLayout() {
	self := getg()
	if self == nil {
		layout.failureReason = "goroutine identities are not read on " + runtime.GOARCH
		return
	}
	layout.failureReason = "the runtime's goroutine descriptor is not laid out as ddt expects (" + runtime.Version() + ")"
	selfID := tracebackID()
	probe.ready, probe.release = make(chan struct{}), make(chan struct{})
	go probeGoroutine()
	<-probe.ready
	defer func() {
		select {
		case <-probe.release:
		default:
			close(probe.release)
		}
	}()
	if selfID == 0 || probe.id == 0 || probe.g == nil {
		return
	}
	// goid: the one offset where both goroutines hold their own id.
	goid := ^uintptr(0)
	for off := uintptr(0); off < gSpan; off += 8 {
		if load64(self, off) == selfID && load64(probe.g, off) == probe.id {
			if goid != ^uintptr(0) {
				return // ambiguous
			}
			goid = off
		}
	}
	// atomicstatus is two 32-bit words before goid (Go 1.21 and later).
	if goid == ^uintptr(0) || goid < 8 {
		return
	}
	status := goid - 8
	if readStatus(self, status) != gStatusRunning || !eventually(func() bool { return readStatus(probe.g, status) == gStatusWaiting }) {
		return
	}
	// parentGoid: after goid, the probe's holds our id, and the go
	// statement's pc follows it; the start pc comes after the ancestors
	// pointer (runtime/runtime2.go: parentGoid, gopc, ancestors, startpc).
	for off := goid + 8; off+24 < gSpan; off += 8 {
		if load64(probe.g, off) != selfID {
			continue
		}
		gopc := uintptr(load64(probe.g, off+8))
		startpc := uintptr(load64(probe.g, off+24))
		if funcName(gopc) == funcName(findLayout) && funcName(startpc) == funcName(probeGoroutine) {
			layout.parent, layout.gopc = off, off+8
			layout.creators = true
			break
		}
	}
	// And an ended goroutine reads as ended.
	layout.goid, layout.status = goid, status
	layout.identities = true
	gr := goroutine{g: probe.g, id: probe.id}
	close(probe.release)
	if !eventually(gr.ended) {
		layout.identities, layout.creators = false, false
		return
	}
	layout.failureReason = ""
}

// eventually reports whether cond becomes true within a bounded number of
// yields to other goroutines.
func eventually(cond func() bool) bool {
	for range 100000 {
		if cond() {
			return true
		}
		runtime.Gosched()
	}
	return false
}

// tracebackID returns the current goroutine's id as its traceback prints
// it ("goroutine 18 [running]:"), or 0.
func tracebackID() uint64 {
	var buf [64]byte
	b := buf[:runtime.Stack(buf[:], false)]
	b, ok := bytes.CutPrefix(b, []byte("goroutine "))
	if !ok {
		return 0
	}
	if i := bytes.IndexByte(b, ' '); i > 0 {
		id, err := strconv.ParseUint(string(b[:i]), 10, 64)
		if err == nil {
			return id
		}
	}
	return 0
}

// funcName returns the name of the function holding pc, or of f when it
// is a func value.
func funcName(f any) string {
	var pc uintptr
	switch f := f.(type) {
	case uintptr:
		pc = f
	case func():
		pc = reflect.ValueOf(f).Pointer()
	}
	if fn := runtime.FuncForPC(pc); fn != nil {
		return fn.Name()
	}
	return ""
}

// creatorIsLibrary caches startedByStandardLibrary by go statement pc.
var creatorIsLibrary sync.Map // uintptr -> bool

// startedByStandardLibrary reports whether the go statement at gopc is in
// the standard library, whose goroutines (context.AfterFunc's, a
// Transport's connection loops, database/sql's opener, time.AfterFunc's)
// run callbacks and serve whoever comes next, not the request that happened
// to start them. sync.WaitGroup.Go is the exception: it runs the caller's
// function for the caller.
func startedByStandardLibrary(gopc uintptr) bool {
	if v, ok := creatorIsLibrary.Load(gopc); ok {
		return v.(bool)
	}
	name := funcName(gopc - 1)
	std := name == "" || isStandardLibrary(name) && !strings.HasPrefix(name, "sync.(*WaitGroup).Go")
	creatorIsLibrary.Store(gopc, std)
	return std
}

// isStandardLibrary reports whether the function named name (as
// runtime.Func.Name gives it) is in the standard library: its import
// path's first element has no dot, and it is not package main.
func isStandardLibrary(name string) bool {
	if first, _, ok := strings.Cut(name, "/"); ok {
		return !strings.Contains(first, ".")
	}
	pkg, _, _ := strings.Cut(name, ".")
	return pkg != "main"
}
