//go:build race

package terraform

// raceEnabled: the race detector slows evaluation about tenfold; the
// largest loads are measured without it.
const raceEnabled = true
