package report

import (
	"os"
	"strconv"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal and returns its follower side, or skips
// the test where the sandbox has none.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	leader, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	t.Cleanup(func() { leader.Close() })
	fd := int(leader.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetUint32(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("ptsname: %v", err)
	}
	follower, err := os.OpenFile("/dev/pts/"+strconv.Itoa(int(n)), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("open follower: %v", err)
	}
	t.Cleanup(func() { follower.Close() })
	return follower
}

func TestColorEnabledTerminal(t *testing.T) {
	tty := openPTY(t)
	for _, tc := range []struct {
		noColor, term string
		want          bool
	}{
		{"", "xterm-256color", true},
		{"1", "xterm-256color", false},
		{"0", "xterm-256color", false}, // any non-empty value disables colour
		{"", "dumb", false},
		{"", "", true},
	} {
		t.Setenv("NO_COLOR", tc.noColor)
		t.Setenv("TERM", tc.term)
		if got := ColorEnabled(tty); got != tc.want {
			t.Errorf("ColorEnabled(tty) with NO_COLOR=%q TERM=%q = %v, want %v", tc.noColor, tc.term, got, tc.want)
		}
	}
	t.Setenv("NO_COLOR", "")
	os.Unsetenv("NO_COLOR") // restored by t.Setenv's cleanup
	t.Setenv("TERM", "xterm")
	if !ColorEnabled(tty) {
		t.Error("ColorEnabled(tty) with NO_COLOR unset = false")
	}
}
