package bus

import (
	"testing"
	"time"
)

// calibrate returns a clock that reads the TSC once its rate is measured,
// or one that reads the monotonic clock where calls do.
func calibrate() clock {
	c := newClock()
	for deadline := time.Now().Add(time.Second); tscRate.usable && c.mult == 0 && time.Now().Before(deadline); {
		time.Sleep(minCalibration)
		c = newClock()
	}
	return c
}

// calibratedClock returns a clock that reads the TSC, or skips the test
// where calls read the monotonic clock.
func calibratedClock(t *testing.T) clock {
	t.Helper()
	c := calibrate()
	if !tscRate.usable {
		t.Skip("calls read the monotonic clock here (not linux/amd64, or the kernel's clock source is not the TSC)")
	}
	if c.mult == 0 {
		t.Fatal("the TSC's rate was not measured within a second")
	}
	return c
}

// TestTSCClockAgreesWithMonotonic times the same interval with both clocks.
func TestTSCClockAgreesWithMonotonic(t *testing.T) {
	c := calibratedClock(t)
	for _, wait := range []time.Duration{0, time.Millisecond, 30 * time.Millisecond} {
		m0 := monotonic()
		start := c.now()
		time.Sleep(wait)
		d := c.since(start)
		m := monotonic() - m0
		// d was measured inside m, apart from the error of the rate.
		if slack := 50*time.Microsecond + m/1000; d > m+slack || d < m-slack || d < wait {
			t.Errorf("slept %v: the TSC clock says %v, the monotonic clock %v", wait, d, m)
		}
		if at := c.at(start); at.Sub(epoch.Add(m0)).Abs() > 50*time.Microsecond {
			t.Errorf("start at %v, monotonic clock %v", at.Sub(epoch), m0)
		}
	}
}

// TestClockWithoutTSC checks the monotonic clock, which unattributed calls,
// other platforms and the first calls of a process use.
func TestClockWithoutTSC(t *testing.T) {
	for _, c := range []*clock{nil, {}} {
		start := c.now()
		before := epoch.Add(monotonic())
		time.Sleep(time.Millisecond)
		if d := c.since(start); d < time.Millisecond || d > time.Second {
			t.Errorf("since = %v, want about 1ms", d)
		}
		if at := c.at(start); at.After(before) || before.Sub(at) > 10*time.Millisecond {
			t.Errorf("at = %v, want just before %v", at, before)
		}
	}
}

func TestTicks(t *testing.T) {
	for _, tc := range []struct {
		n, mult uint64
		want    time.Duration
	}{
		{0, 1 << 32, 0},
		{1 << 40, 1 << 32, 1 << 40},             // one tick per ns
		{3_000_000_000, 1 << 31, 1_500_000_000}, // 2 GHz
		{1 << 62, 1 << 31, 1 << 61},             // no overflow in the product
	} {
		if got := ticks(tc.n, tc.mult); got != tc.want {
			t.Errorf("ticks(%d, %d) = %d, want %d", tc.n, tc.mult, got, tc.want)
		}
	}
}

func BenchmarkClock(b *testing.B) {
	b.Run("time.Since", func(b *testing.B) {
		var d time.Duration
		for b.Loop() {
			d += monotonic()
		}
		_ = d
	})
	b.Run("TSC", func(b *testing.B) {
		c := calibrate()
		if c.mult == 0 {
			b.Skip("no TSC clock here")
		}
		var d time.Duration
		start := c.now()
		for b.Loop() {
			d += c.since(start)
		}
		_ = d
	})
}
