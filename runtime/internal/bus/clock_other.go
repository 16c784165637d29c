//go:build !amd64 || ddt_portable

package bus

// haveTSC says whether rdtsc reads a time-stamp counter: not on this
// architecture, nor in a build with the ddt_portable tag; calls read the
// monotonic clock (time.Now).
const haveTSC = false

func rdtsc() uint64 { return 0 }
