//go:build !race

package policies

// raceEnabled: the race detector is on (heavy tests do less).
const raceEnabled = false
