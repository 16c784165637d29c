package bus

import (
	"math/bits"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// The clock of recorded calls.
//
// Every recorded call reads the clock twice. time.Since costs about 30 ns
// on a virtual machine (a vDSO call on the system stack), reading the CPU's
// time-stamp counter about 10. So on linux/amd64, where the kernel keeps
// time with the TSC itself (it does so only when the TSC ticks at a
// constant rate and agrees across CPUs), calls read the TSC and convert
// ticks to nanoseconds at a rate calibrated against the monotonic clock.
// Elsewhere, and until the rate is known, they read the monotonic clock.

// epoch is the process's reference time. Readings are times since epoch,
// which costs half of what time.Now does.
var epoch = time.Now()

// monotonic returns the time since epoch.
func monotonic() time.Duration { return time.Since(epoch) }

// clock is how one binding's calls read the time: the monotonic clock when
// mult is 0, else the TSC, whose reading tsc was taken at mono.
type clock struct {
	tsc  uint64
	mono time.Duration
	mult uint64 // nanoseconds per tick, times 2^32
}

// now returns a reading for since and at. c may be nil.
func (c *clock) now() uint64 {
	if c != nil && c.mult != 0 {
		return rdtsc()
	}
	return uint64(monotonic())
}

// since returns the time from the reading start to now.
func (c *clock) since(start uint64) time.Duration {
	if c != nil && c.mult != 0 {
		t := rdtsc()
		if t < start {
			return 0
		}
		return ticks(t-start, c.mult)
	}
	return monotonic() - time.Duration(start)
}

// at returns the time of the reading r.
func (c *clock) at(r uint64) time.Time {
	if c != nil && c.mult != 0 {
		if r >= c.tsc {
			return epoch.Add(c.mono + ticks(r-c.tsc, c.mult))
		}
		return epoch.Add(c.mono - ticks(c.tsc-r, c.mult))
	}
	return epoch.Add(time.Duration(r))
}

// ticks converts n ticks to a duration.
func ticks(n, mult uint64) time.Duration {
	hi, lo := bits.Mul64(n, mult)
	return time.Duration(hi<<32 | lo>>32)
}

// tscRate is the calibration of the TSC against the monotonic clock.
var tscRate struct {
	once   sync.Once
	usable bool
	tsc0   uint64        // a reading of the TSC ...
	mono0  time.Duration // ... taken at this time
	mu     sync.Mutex    // serializes calibrations
	span   atomic.Int64  // the time the current rate was measured over
	mult   atomic.Uint64 // the rate, see clock; 0 until measured
}

// minCalibration is the shortest time a rate is measured over. Reading the
// two clocks together is exact to a few hundred nanoseconds, so the rate is
// exact to a few parts in 100,000 from the start, and better with time.
const minCalibration = 10 * time.Millisecond

// newClock returns the clock for a new binding. It measures the TSC's rate
// again each time the time since the first call has doubled.
func newClock() clock {
	r := &tscRate
	r.once.Do(func() {
		r.usable = tscUsable()
		if r.usable {
			r.tsc0, r.mono0 = readClocks()
		}
	})
	if !r.usable {
		return clock{}
	}
	tsc, mono := readClocks()
	if span := mono - r.mono0; span >= minCalibration && span >= 2*time.Duration(r.span.Load()) && tsc > r.tsc0 && r.mu.TryLock() {
		if span >= 2*time.Duration(r.span.Load()) { // not measured meanwhile
			hi, lo := bits.Mul64(uint64(span), 1<<32)
			if d := tsc - r.tsc0; hi < d {
				mult, _ := bits.Div64(hi, lo, d)
				r.mult.Store(mult)
				r.span.Store(int64(span))
			}
		}
		r.mu.Unlock()
	}
	return clock{tsc: tsc, mono: mono, mult: r.mult.Load()}
}

// readClocks reads the TSC and the monotonic clock at (almost) the same
// moment: it retries while the two TSC readings around the monotonic one
// are far apart, as when the goroutine was preempted between them.
func readClocks() (tsc uint64, mono time.Duration) {
	for range 10 {
		t1 := rdtsc()
		mono = monotonic()
		t2 := rdtsc()
		tsc = t1 + (t2-t1)/2
		if t2 >= t1 && t2-t1 < 20_000 { // some µs at any TSC rate
			break
		}
	}
	return tsc, mono
}

// tscUsable reports whether calls can read the TSC: on linux/amd64, when
// the kernel's own clock source is the TSC.
func tscUsable() bool {
	if !haveTSC || runtime.GOOS != "linux" {
		return false
	}
	src, err := os.ReadFile("/sys/devices/system/clocksource/clocksource0/current_clocksource")
	return err == nil && strings.TrimSpace(string(src)) == "tsc"
}
