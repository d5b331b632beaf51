package main

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/portcullis-iac/portcullis/internal/golden"
)

// TestScenarios runs the triage and configuration scenarios of
// testdata/scenarios: each directory holds input/ (the tree scanned, with
// its .portcullis.yaml, exceptions register or baseline), args (the scan
// arguments, one per line, relative to input/) and want (the exit code,
// standard output and standard error, rewritten by -update). The clock is
// fixed at 2026-12-01, so expiry dates are judged the same every day.
func TestScenarios(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "scenarios", "*"))
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	setClock(t, time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC))
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(dir, "args"))
			if err != nil {
				t.Fatal(err)
			}
			var args []string
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
					args = append(args, l)
				}
			}
			tmp := t.TempDir()
			copyTree(t, filepath.Join(dir, "input"), tmp)
			t.Chdir(tmp)
			code, stdout, stderr := runCLI(t, append([]string{"scan", "--root", "."}, args...)...)
			got := "exit " + strconv.Itoa(code) + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr
			t.Chdir(cwd0)
			golden.CheckString(t, filepath.Join("testdata", "scenarios", filepath.Base(dir), "want"), got)
		})
	}
}

// cwd0 is the package directory, where golden files are.
var cwd0, _ = os.Getwd()

// setClock fixes the triage stage's clock for a test.
func setClock(t *testing.T, at time.Time) {
	prev := now
	now = func() time.Time { return at }
	t.Cleanup(func() { now = prev })
}

// copyTree copies the regular files under src to dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
