//go:build race

package main

// raceEnabled: the race detector slows evaluation about tenfold. The
// largest hostile cases (heavy) run in the plain test run, which CI runs
// before the race run; under the race detector they would only measure
// its overhead against the deadline.
const raceEnabled = true
