// Package safefs is the one way Portcullis reads a scanned repository: a
// read-only fs.FS over the operating system's files that treats every byte
// under it as hostile.
//
//   - Confined: names are resolved, symbolic links included, and a name whose
//     target lies outside its scan root is refused (ErrOutsideRoot). A scan
//     may have several roots (one per PATH argument); names outside all of
//     them are refused too.
//   - Hidden: version-control directories (.git, .hg, .svn, .bzr, _darcs,
//     .jj) cannot be opened, nor can a link that resolves into one
//     (ErrHidden): a repository's .git/config may hold credentials.
//   - Regular files only: FIFOs, devices and sockets are refused
//     (ErrNotRegular) before they are opened, so none can block or stream
//     without end; files are opened non-blocking as a second guard.
//   - Bounded: a read stops after MaxFileSize bytes with ErrTooLarge; the
//     bound counts bytes read, it does not trust the size stat reports.
//
// The format packages (parser/terraform, parser/plan, parser/cloudformation)
// only ever see an fs.FS; the linter forbids them the os package's file
// functions, so this is the only reader of repository content.
package safefs

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
)

// DefaultMaxFileSize bounds every file read through the file system (the
// format packages apply smaller limits of their own where a format has one).
const DefaultMaxFileSize = 256 << 20

// Errors a read can fail with, wrapped in *fs.PathError.
var (
	ErrOutsideRoot = errors.New("the path, or a symbolic link on it, leads outside the scan root")
	ErrHidden      = errors.New("version-control directories are never read")
	ErrNotRegular  = errors.New("not a regular file or directory")
	ErrTooLarge    = errors.New("the file is larger than the size limit")
)

// vcsDirs are the version-control directories that are out of reach.
var vcsDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".bzr": true, "_darcs": true, ".jj": true}

// IsVCSDir reports whether name (one path element) is a version-control
// directory that the file system hides. Letter case, and the trailing dots
// and spaces Windows drops, do not matter: on a case-insensitive file
// system ".GIT" and ".git." name .git.
func IsVCSDir(name string) bool {
	return vcsDirs[strings.ToLower(strings.TrimRight(name, ". "))] || strings.EqualFold(name, "git~1")
}

// Root is one confinement root: a directory under the file system's base.
type Root struct {
	// Dir is the root relative to the base, slash-separated ("." for the
	// base itself).
	Dir string
}

// FS is a confined, read-only file system. Its names are slash-separated
// and relative to the base directory given to New.
type FS struct {
	base        string // absolute, symbolic links resolved
	roots       []root
	maxFileSize int64
}

type root struct {
	dir  string // slash-separated, relative to base
	real string // absolute, symbolic links resolved
	os   *os.Root
}

// Options configures New.
type Options struct {
	// MaxFileSize bounds every read (DefaultMaxFileSize when 0).
	MaxFileSize int64
}

// New returns a file system whose names are relative to base, in which
// only the directories roots (relative to base; none means base itself)
// can be read. base and roots are trusted (they come from the command
// line); everything under them is not.
func New(base string, roots []string, opts Options) (*FS, error) {
	abs, err := filepath.Abs(base)
	if err != nil {
		return nil, err
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return nil, err
	}
	f := &FS{base: real, maxFileSize: opts.MaxFileSize}
	if f.maxFileSize <= 0 {
		f.maxFileSize = DefaultMaxFileSize
	}
	if len(roots) == 0 {
		roots = []string{"."}
	}
	seen := map[string]bool{}
	for _, r := range roots {
		r = path.Clean(filepath.ToSlash(r))
		if !fs.ValidPath(r) {
			return nil, fmt.Errorf("scan root %s is not under %s", r, base)
		}
		if seen[r] {
			continue
		}
		seen[r] = true
		dirReal, err := filepath.EvalSymlinks(filepath.Join(real, filepath.FromSlash(r)))
		if err != nil {
			return nil, err
		}
		osr, err := os.OpenRoot(dirReal)
		if err != nil {
			return nil, err
		}
		f.roots = append(f.roots, root{dir: r, real: dirReal, os: osr})
	}
	// Longest first: a name belongs to the innermost root that holds it.
	sort.Slice(f.roots, func(i, j int) bool { return len(f.roots[i].dir) > len(f.roots[j].dir) })
	return f, nil
}

// Close releases the roots.
func (f *FS) Close() error {
	var errs []error
	for _, r := range f.roots {
		errs = append(errs, r.os.Close())
	}
	return errors.Join(errs...)
}

// MaxFileSize is the bound on every read.
func (f *FS) MaxFileSize() int64 { return f.maxFileSize }

// Base is the absolute directory names are relative to.
func (f *FS) Base() string { return f.base }

// rootOf returns the root that holds name and name relative to it.
func (f *FS) rootOf(name string) (*root, string, bool) {
	for i := range f.roots {
		r := &f.roots[i]
		if r.dir == "." {
			return r, name, true
		}
		if name == r.dir {
			return r, ".", true
		}
		if rest, ok := strings.CutPrefix(name, r.dir+"/"); ok {
			return r, rest, true
		}
	}
	return nil, "", false
}

// resolve returns the root holding name and the target of name relative to
// that root, with every symbolic link resolved, after checking that
// neither name nor its target leaves the root or enters a VCS directory.
func (f *FS) resolve(op, name string) (*root, string, error) {
	if !fs.ValidPath(name) {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	r, rel, ok := f.rootOf(name)
	if !ok {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: ErrOutsideRoot}
	}
	if hidden(rel) {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: ErrHidden}
	}
	real, err := filepath.EvalSymlinks(filepath.Join(r.real, filepath.FromSlash(rel)))
	if err != nil {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: Cause(err)}
	}
	target, err := filepath.Rel(r.real, real)
	if err != nil || target == ".." || strings.HasPrefix(target, ".."+string(filepath.Separator)) || filepath.IsAbs(target) {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: ErrOutsideRoot}
	}
	target = filepath.ToSlash(target)
	if hidden(target) {
		return nil, "", &fs.PathError{Op: op, Path: name, Err: ErrHidden}
	}
	return r, target, nil
}

func hidden(rel string) bool {
	for _, el := range strings.Split(rel, "/") {
		if IsVCSDir(el) {
			return true
		}
	}
	return false
}

// Cause is the reason under a *fs.PathError (or *os.LinkError): a
// diagnostic that names the file itself states the reason alone, and no
// absolute path of the machine is shown.
func Cause(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// Resolve returns the name of what name leads to, symbolic links
// resolved, relative to the base; the same rules as Open apply.
func (f *FS) Resolve(name string) (string, error) {
	r, target, err := f.resolve("resolve", name)
	if err != nil {
		return "", err
	}
	return path.Join(r.dir, target), nil
}

// Open opens name for reading: a regular file, or a directory.
func (f *FS) Open(name string) (fs.File, error) {
	r, target, err := f.resolve("open", name)
	if err != nil {
		return nil, err
	}
	info, err := r.os.Lstat(target)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: Cause(err)}
	}
	switch {
	case info.IsDir():
		d, err := r.os.Open(target)
		if err != nil {
			return nil, &fs.PathError{Op: "open", Path: name, Err: Cause(err)}
		}
		return &dir{File: d, name: name}, nil
	case !info.Mode().IsRegular():
		return nil, &fs.PathError{Op: "open", Path: name, Err: fmt.Errorf("%w (%s)", ErrNotRegular, kind(info.Mode()))}
	}
	// O_NONBLOCK: should the file have been swapped for a FIFO since the
	// check above, opening it does not wait for a writer.
	osf, err := r.os.OpenFile(target, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: Cause(err)}
	}
	if info, err = osf.Stat(); err != nil || !info.Mode().IsRegular() {
		_ = osf.Close()
		return nil, &fs.PathError{Op: "open", Path: name, Err: ErrNotRegular}
	}
	return &file{f: osf, name: name, info: info, left: f.maxFileSize, limit: f.maxFileSize}, nil
}

func kind(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "mode " + m.String()
}

// ReadFile reads a whole regular file, at most MaxFileSize bytes.
func (f *FS) ReadFile(name string) ([]byte, error) {
	fl, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	if _, ok := fl.(*dir); ok {
		return nil, &fs.PathError{Op: "read", Path: name, Err: errors.New("is a directory")}
	}
	return io.ReadAll(fl)
}

// ReadDir lists a directory, sorted by name. Entries are reported as they
// are (a symbolic link is a link, whatever it points at); Stat resolves
// one within the rules.
func (f *FS) ReadDir(name string) ([]fs.DirEntry, error) {
	fl, err := f.Open(name)
	if err != nil {
		return nil, err
	}
	defer fl.Close()
	d, ok := fl.(*dir)
	if !ok {
		return nil, &fs.PathError{Op: "readdir", Path: name, Err: errors.New("not a directory")}
	}
	return d.ReadDir(-1)
}

// Stat describes name after resolving links within the rules.
func (f *FS) Stat(name string) (fs.FileInfo, error) {
	r, target, err := f.resolve("stat", name)
	if err != nil {
		return nil, err
	}
	info, err := r.os.Lstat(target)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: name, Err: Cause(err)}
	}
	return renamed{info, path.Base(name)}, nil
}

// Lstat describes name itself, without following a final symbolic link
// (links on the way are resolved and must stay in the root).
func (f *FS) Lstat(name string) (fs.FileInfo, error) {
	if !fs.ValidPath(name) {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: fs.ErrInvalid}
	}
	if name == "." {
		return f.Stat(name)
	}
	parent, base := path.Split(name)
	r, target, err := f.resolve("lstat", path.Clean(parent))
	if err != nil {
		return nil, err
	}
	if IsVCSDir(base) {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: ErrHidden}
	}
	info, err := r.os.Lstat(path.Join(target, base))
	if err != nil {
		return nil, &fs.PathError{Op: "lstat", Path: name, Err: Cause(err)}
	}
	return info, nil
}

type renamed struct {
	fs.FileInfo
	name string
}

func (r renamed) Name() string { return r.name }

// file is a regular file whose reads stop at the size limit.
type file struct {
	f     *os.File
	name  string
	info  fs.FileInfo
	left  int64 // bytes that may still be read
	limit int64
}

func (fl *file) Stat() (fs.FileInfo, error) { return renamed{fl.info, path.Base(fl.name)}, nil }
func (fl *file) Close() error               { return fl.f.Close() }

func (fl *file) Read(p []byte) (int, error) {
	if fl.left <= 0 {
		// One byte past the limit tells a file of exactly the limit from a
		// larger one.
		var one [1]byte
		if n, _ := fl.f.Read(one[:]); n > 0 {
			return 0, &fs.PathError{Op: "read", Path: fl.name, Err: fmt.Errorf("%w of %d bytes", ErrTooLarge, fl.limit)}
		}
		return 0, io.EOF
	}
	if int64(len(p)) > fl.left {
		p = p[:fl.left]
	}
	n, err := fl.f.Read(p)
	fl.left -= int64(n)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &fs.PathError{Op: "read", Path: fl.name, Err: Cause(err)}
	}
	return n, err
}

// dir is an open directory.
type dir struct {
	*os.File
	name string
}

func (d *dir) Stat() (fs.FileInfo, error) {
	info, err := d.File.Stat()
	if err != nil {
		return nil, err
	}
	return renamed{info, path.Base(d.name)}, nil
}

func (d *dir) ReadDir(n int) ([]fs.DirEntry, error) {
	entries, err := d.File.ReadDir(n)
	if err != nil && !errors.Is(err, io.EOF) {
		err = &fs.PathError{Op: "readdir", Path: d.name, Err: Cause(err)}
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return entries, err
}

// ReadFile reads name from any file system, at most limit bytes: a larger
// file is an error wrapping ErrTooLarge, decided by the bytes read (never
// by the size a stat reports), and anything but a regular file is an
// error wrapping ErrNotRegular.
func ReadFile(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, &fs.PathError{Op: "read", Path: name, Err: ErrNotRegular}
	}
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, &fs.PathError{Op: "read", Path: name, Err: fmt.Errorf("%w of %d bytes", ErrTooLarge, limit)}
	}
	return b, nil
}
