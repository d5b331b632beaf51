package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// defaultMaxMemory is the memory ceiling of a scan (--max-memory).
const defaultMaxMemory = 2 << 30

// memoryGuard keeps the process under limit bytes: the garbage collector
// is given a soft limit below it (so it works harder before the heap
// grows towards it),
// and a watchdog ends the process with exit code 2 and a message naming
// the limit when the memory the Go runtime holds stays above it, so that
// an input that escapes every budget ends in an error rather than in the
// kernel's out-of-memory kill. Outputs are written to temporary files and
// renamed when complete, so none is left half written. stop restores the
// previous limit and ends the watchdog.
func memoryGuard(limit int64, stderr io.Writer) (stop func()) {
	if limit <= 0 {
		return func() {}
	}
	// The collector aims at seven eighths of the ceiling: by default it
	// lets the heap grow to twice what is live, which would cross the
	// ceiling on large roots that fit well under it. At three quarters, a
	// root of 100,000 resources (about 0.95 GB live) spent 84 CPU s, most
	// of the difference in collections near the limit; at seven eighths
	// 71 CPU s, peak RSS 1.86 GB under the 2 GiB ceiling (40,000
	// resources: 26.1 -> 22.5 CPU s).
	prev := debug.SetMemoryLimit(limit / 8 * 7)
	ceiling := uint64(limit) // limit > 0, checked above
	done := make(chan struct{})
	go func() {
		samples := []metrics.Sample{{Name: "/memory/classes/total:bytes"}, {Name: "/memory/classes/heap/released:bytes"}}
		tick := time.NewTicker(50 * time.Millisecond)
		defer tick.Stop()
		over := 0
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			metrics.Read(samples)
			held := samples[0].Value.Uint64() - samples[1].Value.Uint64()
			if held <= ceiling {
				over = 0
				continue
			}
			// Twice in a row: the collector had a chance to bring it down.
			if over++; over >= 2 {
				fmt.Fprintf(stderr, "portcullis: the scan was stopped: it needed more than --max-memory %d MiB; no output was written\n", limit>>20)
				os.Exit(exitError)
			}
		}
	}()
	return func() {
		close(done)
		debug.SetMemoryLimit(prev)
	}
}

// parseSize reads a byte size: a number with an optional KiB, MiB or GiB
// suffix.
func parseSize(s string) (int64, error) {
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if len(s) > len(u.suffix) && s[len(s)-len(u.suffix):] == u.suffix {
			s, mult = s[:len(s)-len(u.suffix)], u.mult
			break
		}
	}
	var n int64
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n < 0 || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("want a size such as 2GiB, 512MiB or 0, got %q", s)
	}
	return n * mult, nil
}
