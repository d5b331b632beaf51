package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"testing"
)

// The watchdog ends a process that holds more than the limit with exit
// code 2 and a message; it runs in a child process, since it exits.
func TestMemoryGuardStopsTheProcess(t *testing.T) {
	if os.Getenv("PORTCULLIS_MEMORY_CHILD") == "1" {
		allocateUnderGuard()
		os.Exit(0)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryGuardStopsTheProcess$")
	cmd.Env = append(os.Environ(), "PORTCULLIS_MEMORY_CHILD=1")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || exit.ExitCode() != exitError {
		t.Fatalf("child: %v, want exit code %d; stderr: %s", err, exitError, stderr.String())
	}
	if !strings.Contains(stderr.String(), "it needed more than --max-memory 64 MiB; no output was written") {
		t.Errorf("stderr: %s", stderr.String())
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "2GiB": 2 << 30, "512MiB": 512 << 20, "10KiB": 10 << 10, "1000": 1000} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("%s: %d %v, want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2GB", "-1", "1.5GiB", "GiB", "2 GiB"} {
		if _, err := parseSize(in); err == nil {
			t.Errorf("%q: no error", in)
		}
	}
}

// allocateUnderGuard holds up to 4 GiB under a 64 MiB guard: the guard
// ends the process long before.
func allocateUnderGuard() {
	defer memoryGuard(64<<20, os.Stderr)()
	var keep [][]byte
	for range 1 << 12 {
		keep = append(keep, bytes.Repeat([]byte{1}, 1<<20))
	}
	_ = keep
}

// TestScanGC: a scan raises the collector's target unless GOGC is set,
// and restores it after.
func TestScanGC(t *testing.T) {
	t.Setenv("GOGC", "")
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)
	restore := scanGC()
	if got := debug.SetGCPercent(scanGCPercent); got != scanGCPercent {
		t.Errorf("during the scan GOGC is %d, want %d", got, scanGCPercent)
	}
	restore()
	if got := debug.SetGCPercent(100); got != 100 {
		t.Errorf("after the scan GOGC is %d, want 100 restored", got)
	}
	t.Setenv("GOGC", "50")
	debug.SetGCPercent(50)
	scanGC()()
	if got := debug.SetGCPercent(100); got != 50 {
		t.Errorf("with GOGC=50 set by the user, the scan changed it to %d", got)
	}
}
