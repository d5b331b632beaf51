// Package golden compares test output with golden files and rewrites them
// when a change is intended. Every package's golden tests use this one
// helper and its one flag:
//
//	go test ./report -update    # rewrites the golden files of ./report
//	scripts/update-golden       # rewrites them in every package
//
// scripts/update-golden runs go test -update in each package whose tests
// import this one: a test binary that does not import it has no -update
// flag, so go test ./... -update would stop at the first such package.
//
// Paths are relative to the test's package directory, the working directory
// of go test.
package golden

import (
	"bytes"
	"errors"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files (and generated documentation) this package's tests compare with")

// Update reports whether the test binary runs with -update: a test that
// keeps generated text somewhere other than one whole file (a section of a
// document) rewrites it itself when Update is true.
func Update() bool { return *update }

// Check compares got with the file at path. With -update it writes got to
// path first (creating its directory, leaving an unchanged file alone) and
// passes. A missing or different file is a test error naming the command
// that rewrites it and the difference (-want +got).
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := write(path, got); err != nil {
			t.Fatalf("golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		t.Errorf("golden file %s does not exist; run %s to create it", filepath.ToSlash(path), Command())
		return
	}
	if err != nil {
		t.Fatalf("golden: %v", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (-want +got); if the change is intended, run %s:\n%s",
			filepath.ToSlash(path), Command(), Diff(want, got))
	}
}

// Diff is the line-by-line difference of want and got (-want +got).
func Diff(want, got []byte) string {
	return cmp.Diff(strings.SplitAfter(string(want), "\n"), strings.SplitAfter(string(got), "\n"))
}

// CheckString is Check for text.
func CheckString(t testing.TB, path, got string) {
	t.Helper()
	Check(t, path, []byte(got))
}

// write writes b to path unless the file already holds exactly b.
func write(path string, b []byte) error {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, b, 0o644)
}

// Command is the go test command that rewrites the golden files of the
// package under test: "go test ./report -update" when the test runs in
// report/ of the module.
func Command() string {
	return "go test " + pkgDir() + " -update"
}

// pkgDir is the working directory relative to the module root ("./report"),
// or "." when no go.mod is found above it.
func pkgDir() string {
	wd, err := os.Getwd()
	if err != nil {
		return "."
	}
	for dir := wd; ; {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			rel, err := filepath.Rel(dir, wd)
			if err != nil || rel == "." {
				return "."
			}
			return "./" + filepath.ToSlash(rel)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "."
		}
		dir = parent
	}
}
