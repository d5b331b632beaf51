package golden

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// recorder is a testing.TB that keeps the errors Check reports.
type recorder struct {
	testing.TB
	errors []string
	fatal  bool
}

func (r *recorder) Helper() {}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}

func (r *recorder) Fatalf(format string, args ...any) {
	r.fatal = true
	r.Errorf(format, args...)
}

func setUpdate(t *testing.T, v bool) {
	old := *update
	*update = v
	t.Cleanup(func() { *update = old })
}

func TestCheck(t *testing.T) {
	setUpdate(t, false)
	dir := t.TempDir()
	path := filepath.Join(dir, "out.golden")
	if err := os.WriteFile(path, []byte("a\nb\nx\ny\nz\nw\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	var same recorder
	Check(&same, path, []byte("a\nb\nx\ny\nz\nw\n"))
	if len(same.errors) != 0 {
		t.Errorf("equal content: %q", same.errors)
	}

	var diff recorder
	CheckString(&diff, path, "a\nc\nx\ny\nz\nw\n")
	if len(diff.errors) != 1 || diff.fatal {
		t.Fatalf("different content: %q (fatal %v), want one error", diff.errors, diff.fatal)
	}
	head := filepath.ToSlash(path) + " differs (-want +got); if the change is intended, run go test ./internal/golden -update:\n"
	if !strings.HasPrefix(diff.errors[0], head) {
		t.Errorf("error = %q, want it to start with %q", diff.errors[0], head)
	}
	if got, want := strings.TrimPrefix(diff.errors[0], head), Diff([]byte("a\nb\nx\ny\nz\nw\n"), []byte("a\nc\nx\ny\nz\nw\n")); got != want {
		t.Errorf("the error's difference is\n%s\nwant\n%s", got, want)
	}

	var missing recorder
	Check(&missing, filepath.Join(dir, "none.golden"), []byte("x"))
	want := "golden file " + filepath.ToSlash(filepath.Join(dir, "none.golden")) + " does not exist; run go test ./internal/golden -update to create it"
	if len(missing.errors) != 1 || missing.errors[0] != want || missing.fatal {
		t.Errorf("missing file: %q (fatal %v), want [%q]", missing.errors, missing.fatal, want)
	}
}

func TestCheckUpdate(t *testing.T) {
	setUpdate(t, true)
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "dir", "new.golden")
	var r recorder
	Check(&r, path, []byte("new\n"))
	if len(r.errors) != 0 {
		t.Fatalf("update: %q", r.errors)
	}
	if b, err := os.ReadFile(path); err != nil || string(b) != "new\n" {
		t.Fatalf("after update: %q, %v; want \"new\\n\"", b, err)
	}

	// An unchanged file is not written again: its modification time stays.
	old := time0(t, path)
	Check(&r, path, []byte("new\n"))
	if got := mtime(t, path); got != old {
		t.Errorf("an unchanged golden file was rewritten (mtime %d, was %d)", got, old)
	}
	Check(&r, path, []byte("changed\n"))
	if b, _ := os.ReadFile(path); string(b) != "changed\n" {
		t.Errorf("after a second update: %q, want \"changed\\n\"", b)
	}
	if len(r.errors) != 0 {
		t.Errorf("update: %q", r.errors)
	}
	if !Update() {
		t.Error("Update() = false with -update")
	}
}

// time0 sets path's modification time to the epoch and returns it, so a
// rewrite is visible however coarse the file system's clock.
func time0(t *testing.T, path string) int64 {
	t.Helper()
	if err := os.Chtimes(path, time.Unix(0, 0), time.Unix(0, 0)); err != nil {
		t.Fatal(err)
	}
	return mtime(t, path)
}

func mtime(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.ModTime().UnixNano()
}

// TestDiff: the difference is line by line, so a long golden file shows
// only the lines that changed.
func TestDiff(t *testing.T) {
	d := Diff([]byte("a\nb\nx\ny\nz\n"), []byte("a\nc\nx\ny\nz\n"))
	var minus, plus []string
	for _, l := range strings.Split(d, "\n") {
		// go-cmp varies its spacing on purpose; the marker is the first
		// character.
		l = strings.TrimLeft(l, " \t\u00a0")
		switch {
		case strings.HasPrefix(l, "-"):
			minus = append(minus, strings.Trim(l[1:], " \t\u00a0"))
		case strings.HasPrefix(l, "+"):
			plus = append(plus, strings.Trim(l[1:], " \t\u00a0"))
		}
	}
	if strings.Join(minus, "|") != `"b\n",` || strings.Join(plus, "|") != `"c\n",` {
		t.Errorf("diff lines - %q + %q, want - [\"b\\n\",] + [\"c\\n\",]; diff:\n%s", minus, plus, d)
	}
	if Diff([]byte("same\n"), []byte("same\n")) != "" {
		t.Error("Diff of equal content is not empty")
	}
}

func TestCommand(t *testing.T) {
	if got, want := Command(), "go test ./internal/golden -update"; got != want {
		t.Errorf("Command() = %q, want %q", got, want)
	}
}
