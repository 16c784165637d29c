//go:build !ddt_portable

package bus

// haveTSC says whether rdtsc reads a time-stamp counter.
const haveTSC = true

// rdtsc returns the CPU's time-stamp counter.
func rdtsc() uint64
