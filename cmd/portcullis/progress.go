package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
)

// Progress timing: nothing is painted before progressDelay has passed since
// Start (a pre-commit hook or a small scan stays quiet), and the line is
// repainted at most once every progressRepaint.
const (
	progressDelay   = 500 * time.Millisecond
	progressRepaint = 100 * time.Millisecond
)

// progress paints "\rscanning: 12/40 roots" on stderr while a scan runs,
// when stderr is a terminal outside CI, or when forced (--progress). It
// paints nothing for fewer than two roots, and nothing at all if the scan
// ends within progressDelay. Finish clears the line, so what the scan
// writes next starts on a clean one. Done may be called from any
// goroutine; a nil *progress does nothing.
type progress struct {
	w  io.Writer
	on bool
	// now and after are the clock: time.Now and time.AfterFunc outside
	// tests.
	now   func() time.Time
	after func(time.Duration, func()) (stop func() bool)

	mu          sync.Mutex
	total, done int
	start, last time.Time
	width       int         // of the line painted last; 0: none shown
	stop        func() bool // cancels the first paint
	finished    bool
}

// newProgress is the progress reporter of a scan writing to stderr.
func newProgress(stderr io.Writer, force bool) *progress {
	return makeProgress(stderr, progressWanted(stderr, force, os.Getenv, isTerminal), time.Now,
		func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop })
}

// progressWanted says whether to paint: when forced, or on a terminal
// unless the CI environment variable is set (CI services set it; their
// logs keep every carriage return).
func progressWanted(w io.Writer, force bool, getenv func(string) string, terminal func(io.Writer) bool) bool {
	if force {
		return true
	}
	return getenv("CI") == "" && terminal(w)
}

// isTerminal reports whether w is a terminal (a Cygwin or MSYS one
// included).
func isTerminal(w io.Writer) bool {
	f, ok := w.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

func makeProgress(w io.Writer, on bool, now func() time.Time, after func(time.Duration, func()) func() bool) *progress {
	return &progress{w: w, on: on, now: now, after: after}
}

// Start begins a scan of total roots.
func (p *progress) Start(total int) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.done, p.finished = total, 0, false
	p.start = p.now()
	if total < 2 {
		return
	}
	// The first paint comes after the delay even if no root is done by
	// then: "scanning: 0/40 roots" says the tool is at work.
	p.stop = p.after(progressDelay, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		if !p.finished && p.width == 0 {
			p.paint()
		}
	})
}

// Done records that one more root is scanned.
func (p *progress) Done() {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.finished {
		return
	}
	p.done++
	if p.total < 2 {
		return
	}
	t := p.now()
	if t.Sub(p.start) < progressDelay {
		return
	}
	// The last root is always shown; others at most every
	// progressRepaint.
	if p.width > 0 && t.Sub(p.last) < progressRepaint && p.done < p.total {
		return
	}
	p.paint()
}

// paint writes the line; p.mu is held.
func (p *progress) paint() {
	// Within one scan the line only grows (done counts up to a fixed
	// total), so it covers the one painted before.
	line := fmt.Sprintf("scanning: %d/%d roots", p.done, p.total)
	p.last = p.now()
	p.width = len(line)
	// An error writing progress is not the scan's: the next paint tries
	// again, and the scan's own output reports a broken stderr.
	_, _ = io.WriteString(p.w, "\r"+line)
}

// Finish clears the line, if one was painted, and stops painting.
func (p *progress) Finish() {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.finished = true
	if p.stop != nil {
		p.stop()
		p.stop = nil
	}
	if p.width > 0 {
		_, _ = io.WriteString(p.w, "\r"+strings.Repeat(" ", p.width)+"\r")
		p.width = 0
	}
}
