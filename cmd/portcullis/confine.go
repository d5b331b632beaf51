package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// scanRoots decides what a scan may read and how its files are named.
//
// Each PATH has a confinement root: --root when given; else the git
// repository that holds PATH (the nearest directory above it with a .git
// entry); else PATH itself (a file's directory). Nothing outside the roots
// is read. The base, which output paths are relative to, is the common
// parent of the roots; never the working directory, so where portcullis is
// started from cannot widen what it reads.
type scanRoots struct {
	base  string   // absolute
	roots []string // relative to base, slash-separated
	paths []string // the PATH arguments, relative to base, slash-separated
}

func newScanRoots(rootDir string, args []string) (*scanRoots, error) {
	abs := make([]string, len(args))
	for i, a := range args {
		p, err := filepath.Abs(a)
		if err != nil {
			return nil, err
		}
		if _, err := os.Stat(p); err != nil {
			return nil, fmt.Errorf("cannot scan %s: %w", a, errors.Unwrap(err))
		}
		abs[i] = p
	}
	var roots []string
	if rootDir != "" {
		r, err := filepath.Abs(rootDir)
		if err != nil {
			return nil, err
		}
		if info, err := os.Stat(r); err != nil || !info.IsDir() {
			return nil, fmt.Errorf("--root %s: not a directory", rootDir)
		}
		for i, p := range abs {
			if !within(r, p) {
				return nil, fmt.Errorf("%s is outside the scan root %s", args[i], rootDir)
			}
		}
		roots = []string{r}
	} else {
		for _, p := range abs {
			roots = append(roots, confinementRoot(p))
		}
	}
	base := commonParent(roots)
	s := &scanRoots{base: base}
	seen := map[string]bool{}
	for _, r := range roots {
		rel, _ := filepath.Rel(base, r)
		rel = filepath.ToSlash(rel)
		if !seen[rel] {
			seen[rel] = true
			s.roots = append(s.roots, rel)
		}
	}
	for _, p := range abs {
		rel, _ := filepath.Rel(base, p)
		s.paths = append(s.paths, filepath.ToSlash(rel))
	}
	return s, nil
}

// confinementRoot is the repository that holds p, or p itself (a file's
// directory) when there is none.
func confinementRoot(p string) string {
	dir := p
	if info, err := os.Stat(p); err == nil && !info.IsDir() {
		dir = filepath.Dir(p)
	}
	for d := dir; ; {
		// Only .git marks a repository: git never checks out an entry named
		// .git, so the scanned content cannot plant one to narrow the root
		// (a committed .hg or .svn file could).
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return dir
		}
		d = parent
	}
}

// fs opens the confined file system of the scan.
func (s *scanRoots) fs() (*safefs.FS, error) {
	return safefs.New(s.base, s.roots, safefs.Options{})
}

// contains reports whether the absolute path p is inside a scan root.
func (s *scanRoots) contains(p string) bool {
	for _, r := range s.roots {
		if within(filepath.Join(s.base, filepath.FromSlash(r)), p) {
			return true
		}
	}
	return false
}

// relative returns p (an OS path) relative to the base, slash-separated,
// when it is inside a scan root.
func (s *scanRoots) relative(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	if !s.contains(abs) {
		return "", fmt.Errorf("%s is outside the scan root %s", p, s.base)
	}
	r, err := filepath.Rel(s.base, abs)
	if err != nil {
		return "", err
	}
	return filepath.ToSlash(r), nil
}

func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, ".."+string(filepath.Separator))
}

func commonParent(paths []string) string {
	c := paths[0]
	for _, p := range paths[1:] {
		for !within(c, p) {
			c = filepath.Dir(c)
		}
	}
	return c
}

// maxArgFileSize bounds the files named on the command line (--var-file,
// --cfn-parameters).
const maxArgFileSize = 16 << 20

// readArgFile reads a file the user named, at most maxArgFileSize bytes:
// the file is trusted, but /dev/zero or an endless pipe must not exhaust
// memory. Unlike repository files, pipes are accepted (--var-file <(...)):
// the bound ends the read of an endless one.
func readArgFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return nil, fmt.Errorf("%s: is a directory", name)
	}
	b, err := io.ReadAll(io.LimitReader(f, maxArgFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxArgFileSize {
		return nil, fmt.Errorf("%s: larger than the %d MiB limit", name, maxArgFileSize>>20)
	}
	return b, nil
}

// createOutput opens an output file for writing. A path inside the scanned
// tree or the working directory is written as a new file beside the target
// and renamed over it when complete, so a symbolic link committed in the
// scanned repository under the output's name (portcullis.sarif ->
// ../victim) is replaced, never written through; and a directory on the
// way that is a symbolic link is refused. Elsewhere (/dev/stdout, a path
// the user chose outside both) the file is opened as named.
func createOutput(name string, s *scanRoots) (io.WriteCloser, error) {
	abs, err := filepath.Abs(name)
	if err != nil {
		return nil, err
	}
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	if !s.contains(abs) && !within(cwd, abs) {
		return os.Create(name)
	}
	top := cwd
	if !within(cwd, abs) {
		top = s.base
	}
	// Every directory between top and the file must be a real directory.
	rel, _ := filepath.Rel(top, filepath.Dir(abs))
	d := top
	for _, el := range strings.Split(rel, string(filepath.Separator)) {
		if el == "." || el == "" {
			continue
		}
		d = filepath.Join(d, el)
		info, err := os.Lstat(d)
		if err != nil {
			return nil, err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return nil, fmt.Errorf("cannot write %s: %s is a symbolic link; output is never written through a link", name, d)
		}
	}
	if info, err := os.Lstat(abs); err == nil && !info.Mode().IsRegular() && info.Mode()&fs.ModeSymlink == 0 {
		return nil, fmt.Errorf("cannot write %s: it exists and is not a regular file", name)
	}
	tmp, err := os.CreateTemp(filepath.Dir(abs), "."+filepath.Base(abs)+".*.tmp")
	if err != nil {
		return nil, err
	}
	return &renameOnClose{File: tmp, target: abs}, nil
}

// renameOnClose is a temporary file that replaces its target when closed.
type renameOnClose struct {
	*os.File
	target string
}

// Abort removes the temporary file: the target is left as it was.
func (r *renameOnClose) Abort() {
	_ = r.File.Close()
	_ = os.Remove(r.Name())
}

func (r *renameOnClose) Close() error {
	if err := r.Chmod(0o644); err != nil {
		_ = r.File.Close()
		_ = os.Remove(r.Name())
		return err
	}
	if err := r.File.Close(); err != nil {
		_ = os.Remove(r.Name())
		return err
	}
	if err := os.Rename(r.Name(), r.target); err != nil {
		_ = os.Remove(r.Name())
		return fmt.Errorf("cannot write %s: %w", r.target, errors.Unwrap(err))
	}
	return nil
}
