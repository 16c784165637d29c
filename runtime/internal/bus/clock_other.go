//go:build !amd64

package bus

// haveTSC says whether rdtsc reads a time-stamp counter; not on this
// architecture, where calls read the monotonic clock.
const haveTSC = false

func rdtsc() uint64 { return 0 }
