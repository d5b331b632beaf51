package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand; its timer fires when the
// clock passes its deadline.
type fakeClock struct {
	t       time.Time
	timers  []fakeTimer
	stopped int
}

type fakeTimer struct {
	at      time.Time
	f       func()
	stopped *bool
}

func (c *fakeClock) now() time.Time { return c.t }

func (c *fakeClock) after(d time.Duration, f func()) func() bool {
	stopped := new(bool)
	c.timers = append(c.timers, fakeTimer{at: c.t.Add(d), f: f, stopped: stopped})
	return func() bool {
		if *stopped {
			return false
		}
		*stopped = true
		c.stopped++
		return true
	}
}

// advance moves the clock and fires the timers due.
func (c *fakeClock) advance(d time.Duration) {
	c.t = c.t.Add(d)
	for _, tm := range c.timers {
		if !*tm.stopped && !tm.at.After(c.t) {
			*tm.stopped = true
			tm.f()
		}
	}
}

func newFakeProgress(on bool) (*progress, *bytes.Buffer, *fakeClock) {
	var buf bytes.Buffer
	c := &fakeClock{t: time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)}
	return makeProgress(&buf, on, c.now, c.after), &buf, c
}

// take returns what was written since the last call.
func take(b *bytes.Buffer) string {
	s := b.String()
	b.Reset()
	return s
}

func TestProgressPaints(t *testing.T) {
	p, out, c := newFakeProgress(true)
	p.Start(40)
	p.Done()
	c.advance(499 * time.Millisecond)
	p.Done()
	if got := take(out); got != "" {
		t.Fatalf("before 500 ms: %q, want nothing", got)
	}
	c.advance(time.Millisecond) // the first paint is due
	if got := take(out); got != "\rscanning: 2/40 roots" {
		t.Fatalf("at 500 ms: %q", got)
	}
	c.advance(50 * time.Millisecond)
	p.Done()
	p.Done()
	if got := take(out); got != "" {
		t.Errorf("50 ms after a paint: %q, want nothing", got)
	}
	c.advance(50 * time.Millisecond)
	p.Done()
	if got := take(out); got != "\rscanning: 5/40 roots" {
		t.Errorf("100 ms after a paint: %q", got)
	}
	// The last root is painted however soon it comes.
	for range 34 {
		p.Done()
	}
	c.advance(time.Millisecond)
	p.Done()
	if got := take(out); got != "\rscanning: 40/40 roots" {
		t.Errorf("last root: %q", got)
	}
	p.Finish()
	if got := take(out); got != "\r"+strings.Repeat(" ", len("scanning: 40/40 roots"))+"\r" {
		t.Errorf("Finish: %q, want the last line blanked", got)
	}
	p.Done()
	p.Finish()
	if got := take(out); got != "" {
		t.Errorf("after Finish: %q, want nothing", got)
	}
}

func TestProgressFirstPaintByDone(t *testing.T) {
	p, out, c := newFakeProgress(true)
	p.Start(3)
	c.t = c.t.Add(700 * time.Millisecond) // the timer has not run yet
	p.Done()
	if got := take(out); got != "\rscanning: 1/3 roots" {
		t.Errorf("first Done after 500 ms: %q", got)
	}
	c.advance(0) // the timer, late, finds the line painted
	if got := take(out); got != "" {
		t.Errorf("timer after a paint: %q, want nothing", got)
	}
}

func TestProgressQuiet(t *testing.T) {
	t.Run("short scan", func(t *testing.T) {
		p, out, c := newFakeProgress(true)
		p.Start(10)
		for range 10 {
			c.advance(40 * time.Millisecond)
			p.Done()
		}
		p.Finish()
		c.advance(time.Second)
		if got := out.String(); got != "" {
			t.Errorf("a 400 ms scan wrote %q", got)
		}
		if c.stopped != 1 {
			t.Errorf("Finish stopped %d timers, want 1", c.stopped)
		}
	})
	t.Run("one root", func(t *testing.T) {
		p, out, c := newFakeProgress(true)
		p.Start(1)
		c.advance(5 * time.Second)
		p.Done()
		p.Finish()
		if got := out.String(); got != "" || len(c.timers) != 0 {
			t.Errorf("one root: wrote %q, %d timers", got, len(c.timers))
		}
	})
	t.Run("off", func(t *testing.T) {
		p, out, c := newFakeProgress(false)
		p.Start(40)
		c.advance(5 * time.Second)
		p.Done()
		p.Finish()
		if got := out.String(); got != "" || len(c.timers) != 0 {
			t.Errorf("off: wrote %q, %d timers", got, len(c.timers))
		}
	})
	t.Run("nil", func(t *testing.T) {
		var p *progress
		p.Start(40)
		p.Done()
		p.Finish()
	})
}

func TestProgressWanted(t *testing.T) {
	env := func(ci string) func(string) string {
		return func(k string) string {
			if k == "CI" {
				return ci
			}
			return ""
		}
	}
	tests := []struct {
		name     string
		force    bool
		ci       string
		terminal bool
		want     bool
	}{
		{"terminal", false, "", true, true},
		{"terminal in CI", false, "true", true, false},
		{"pipe", false, "", false, false},
		{"forced on a pipe in CI", true, "1", false, true},
	}
	for _, tt := range tests {
		isTerm := func(io.Writer) bool { return tt.terminal }
		if got := progressWanted(io.Discard, tt.force, env(tt.ci), isTerm); got != tt.want {
			t.Errorf("%s: progressWanted = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsTerminal(t *testing.T) {
	f, err := os.CreateTemp(t.TempDir(), "stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if isTerminal(f) {
		t.Errorf("a regular file is a terminal")
	}
	if isTerminal(&bytes.Buffer{}) {
		t.Errorf("a buffer is a terminal")
	}
	// newProgress on a file outside CI, not forced, is off.
	t.Setenv("CI", "")
	if p := newProgress(f, false); p.on {
		t.Errorf("newProgress on a file is on")
	}
	if p := newProgress(f, true); !p.on {
		t.Errorf("newProgress forced is off")
	}
}

// TestProgressConcurrent has many goroutines finish roots at once; the
// count painted last is the total.
func TestProgressConcurrent(t *testing.T) {
	var mu sync.Mutex
	var buf bytes.Buffer
	w := lockedWriter{mu: &mu, b: &buf}
	// A clock that stands still a second past Start: every Done is past
	// the delay and within the repaint interval of the first paint.
	base := time.Date(2026, 12, 1, 20, 0, 0, 0, time.UTC)
	var calls atomic.Int64
	now := func() time.Time {
		if calls.Add(1) == 1 {
			return base
		}
		return base.Add(time.Second)
	}
	p := makeProgress(w, true, now, func(time.Duration, func()) func() bool { return func() bool { return true } })
	p.Start(200)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 25 {
				p.Done()
			}
		})
	}
	wg.Wait()
	mu.Lock()
	got := buf.String()
	mu.Unlock()
	// The first Done paints; the others wait for the repaint interval,
	// except the last root's.
	if want := "\rscanning: 1/200 roots\rscanning: 200/200 roots"; got != want {
		t.Errorf("progress wrote %q, want %q", got, want)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}
