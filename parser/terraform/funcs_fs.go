package terraform

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// Filesystem functions, written from Terraform's documentation and
// sandboxed: they read only through fsys (rooted at the scan root), never
// the operating system, and a path that leaves fsys is an error.

// errOutsideRoot is the error of a path that would leave the scan root.
var errOutsideRoot = errors.New("path is outside the scan root")

// refusedRead is the error of a file function refused a file that may
// exist: outside the scan root, in a version-control directory, not a
// regular file, too large, or not readable. The value it would have given
// is unknown and may decide a finding, so the evaluator reports it as an
// error (see evaluator.refusals), also when can() or try() swallow it; a
// file that does not exist is only a warning.
type refusedRead struct {
	name string // the path as given to the function
	err  error
}

func (r *refusedRead) Error() string {
	return fmt.Sprintf("cannot read %s: %s", r.name, safefs.Cause(r.err))
}

func (r *refusedRead) Unwrap() error { return r.err }

// refused reports whether err is a refusal of a file that may exist, as
// opposed to one that does not.
func refused(err error) bool {
	for _, target := range []error{errOutsideRoot, safefs.ErrOutsideRoot, safefs.ErrHidden, safefs.ErrNotRegular, safefs.ErrTooLarge, fs.ErrPermission} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

// refuse wraps err, a problem reading p, as a refusedRead when it is one.
func refuse(p string, err error) error {
	if refused(err) {
		return &refusedRead{name: p, err: err}
	}
	return err
}

// maxSymlinkHops bounds the symbolic links followed to resolve one path.
const maxSymlinkHops = 40

// sandbox resolves the paths given to file functions of the module in
// directory dir (slash-separated, relative to the root of fsys).
type sandbox struct {
	fsys fs.FS
	dir  string
}

// cleanModuleDir normalises a module directory to a clean slash path ("."
// for the scan root itself).
func cleanModuleDir(dir string) string {
	dir = path.Clean(filepath.ToSlash(dir))
	if dir == "/" || dir == "" {
		return "."
	}
	return strings.TrimPrefix(dir, "/")
}

// escapes reports whether a clean slash path leaves the root.
func escapes(p string) bool {
	return p == ".." || strings.HasPrefix(p, "../") || path.IsAbs(p)
}

// isAbsolute reports whether p is absolute on any platform: "/x", "\x",
// "C:\x", "C:/x", "~" forms (Terraform expands "~" to the home directory).
func isAbsolute(p string) bool {
	if p == "" {
		return false
	}
	if p[0] == '/' || p[0] == '\\' || p[0] == '~' || filepath.IsAbs(p) {
		return true
	}
	return len(p) >= 2 && p[1] == ':' && (p[0]|0x20 >= 'a' && p[0]|0x20 <= 'z')
}

// lexical returns the fsys path of p, a path given to a file function:
// relative to the directory functions were made for, which is the root
// module's directory, Terraform's working directory (path.module is then
// the module's directory relative to it, so "${path.module}/x" works as in
// Terraform).
func (s *sandbox) lexical(p string) (string, error) {
	if isAbsolute(p) {
		return "", errOutsideRoot
	}
	slashed := strings.ReplaceAll(p, `\`, "/")
	joined := path.Join(s.dir, slashed)
	if escapes(joined) {
		return "", errOutsideRoot
	}
	return joined, nil
}

// resolve is lexical, then also checks that no symbolic link on the way
// leads outside fsys (where fsys can report links).
func (s *sandbox) resolve(p string) (string, error) {
	name, err := s.lexical(p)
	if err != nil {
		return "", err
	}
	if err := s.checkLinks(name); err != nil {
		return "", err
	}
	return name, nil
}

// checkLinks follows the symbolic links along name, component by
// component, and fails if one is absolute or leads outside the root.
func (s *sandbox) checkLinks(name string) error {
	rl, ok := s.fsys.(fs.ReadLinkFS)
	if !ok || name == "." {
		return nil
	}
	parts := strings.Split(name, "/")
	cur, hops := ".", 0
	for i := 0; i < len(parts); i++ {
		next := path.Join(cur, parts[i])
		fi, err := rl.Lstat(next)
		if err != nil {
			return nil // missing: the read itself reports it
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if hops++; hops > maxSymlinkHops {
			return fmt.Errorf("too many levels of symbolic links at %q", next)
		}
		target, err := rl.ReadLink(next)
		if err != nil {
			return err
		}
		if isAbsolute(target) {
			return errOutsideRoot
		}
		resolved := path.Join(cur, strings.ReplaceAll(target, `\`, "/"))
		if escapes(resolved) {
			return errOutsideRoot
		}
		rest := parts[i+1:]
		parts = append(strings.Split(resolved, "/"), rest...)
		cur, i = ".", -1
	}
	return nil
}

// read returns the contents of the file at p.
// A file that exists but is refused is a refusedRead.
func (s *sandbox) read(p string) ([]byte, error) {
	name, err := s.resolve(p)
	if err != nil {
		return nil, refuse(p, err)
	}
	b, err := safefs.ReadFile(s.fsys, name, MaxFileSize)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("no file exists at %q (%s in the scan root); file functions read only files that are present before Terraform runs", p, name)
		}
		if refused(err) {
			return nil, refuse(p, err)
		}
		return nil, fmt.Errorf("cannot read %q: %w", p, err)
	}
	return b, nil
}

// pathFunc is a function of one path argument.
func pathFunc(desc string, ret cty.Type, impl func(p string) (cty.Value, error)) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(ret),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return impl(args[0].AsString())
		},
	})
}

// fileFunc is file(path): the contents of a UTF-8 text file.
func (s *sandbox) fileFunc() function.Function {
	return pathFunc("Reads the contents of the file at the given path as UTF-8 text.", cty.String, func(p string) (cty.Value, error) {
		b, err := s.read(p)
		if err != nil {
			return cty.NilVal, err
		}
		if !utf8.Valid(b) {
			return cty.NilVal, fmt.Errorf("contents of %q are not valid UTF-8; use the filebase64 function to obtain the Base64 encoded contents", p)
		}
		return cty.StringVal(string(b)), nil
	})
}

// fileBase64Func is filebase64(path): the contents of a file, Base64.
func (s *sandbox) fileBase64Func() function.Function {
	return pathFunc("Reads the contents of the file at the given path and returns them as base64.", cty.String, func(p string) (cty.Value, error) {
		b, err := s.read(p)
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(base64.StdEncoding.EncodeToString(b)), nil
	})
}

// fileHashFunc is filemd5, filesha256, ...: a digest of a file's contents.
func (s *sandbox) fileHashFunc(sum func([]byte) []byte, enc func([]byte) string) function.Function {
	return pathFunc("Returns a digest of the contents of the file at the given path.", cty.String, func(p string) (cty.Value, error) {
		b, err := s.read(p)
		if err != nil {
			return cty.NilVal, err
		}
		return cty.StringVal(enc(sum(b))), nil
	})
}

// fileExistsFunc is fileexists(path): whether a regular file exists there;
// a directory or other special file is an error, as in Terraform.
func (s *sandbox) fileExistsFunc() function.Function {
	return pathFunc("Reports whether a file exists at the given path.", cty.Bool, func(p string) (cty.Value, error) {
		name, err := s.resolve(p)
		if err != nil {
			return cty.NilVal, refuse(p, err)
		}
		fi, err := fs.Stat(s.fsys, name)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return cty.False, nil
			}
			if refused(err) {
				return cty.NilVal, refuse(p, err)
			}
			return cty.NilVal, fmt.Errorf("cannot stat %q: %w", p, err)
		}
		if !fi.Mode().IsRegular() {
			return cty.NilVal, fmt.Errorf("%q is not a regular file, but %q", p, fi.Mode().Type().String())
		}
		return cty.True, nil
	})
}

// absPathFunc is abspath(path). The evaluator has no working directory, so
// a relative path is joined to the module directory relative to the scan
// root (deterministic, not an absolute OS path); an absolute path is
// returned cleaned, with forward slashes.
func (s *sandbox) absPathFunc() function.Function {
	return pathFunc("Returns the given path joined to the module directory.", cty.String, func(p string) (cty.Value, error) {
		if isAbsolute(p) {
			return cty.StringVal(path.Clean(strings.ReplaceAll(p, `\`, "/"))), nil
		}
		if name, err := s.lexical(p); err == nil {
			return cty.StringVal(name), nil
		}
		return cty.StringVal(path.Join(s.dir, strings.ReplaceAll(p, `\`, "/"))), nil
	})
}

// dirNameFunc is dirname(path): all but the last element of a path.
var dirNameFunc = pathFunc("Returns all but the last element of the given path.", cty.String, func(p string) (cty.Value, error) {
	return cty.StringVal(path.Dir(p)), nil
})

// baseNameFunc is basename(path): the last element of a path.
var baseNameFunc = pathFunc("Returns the last element of the given path.", cty.String, func(p string) (cty.Value, error) {
	return cty.StringVal(path.Base(p)), nil
})

// pathExpandFunc is pathexpand(path). A path starting with "~" names the
// home directory of whoever runs Terraform, which a static evaluator must
// not read: its result is unknown. Other paths are returned unchanged.
var pathExpandFunc = pathFunc("Expands a leading ~ in the given path to the home directory (unknown here).", cty.String, func(p string) (cty.Value, error) {
	if strings.HasPrefix(p, "~") {
		return cty.UnknownVal(cty.String), nil
	}
	return cty.StringVal(p), nil
})

// templateFileFunc is templatefile(path, vars): the file at path rendered
// as an HCL template with vars and funcs (in which the template functions
// refuse to run, so templates do not nest).
func (s *sandbox) templateFileFunc(funcs map[string]function.Function) function.Function {
	return function.New(&function.Spec{
		Description: "Renders the file at the given path as a template with the given variables.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			b, err := s.read(p)
			if err != nil {
				return cty.NilVal, err
			}
			if !utf8.Valid(b) {
				return cty.NilVal, fmt.Errorf("contents of %q are not valid UTF-8", p)
			}
			return renderTemplate(string(b), p, args[1], funcs)
		},
	})
}

// fileSetFunc is fileset(path, pattern): the set of regular files under
// path whose names, relative to path and with forward slashes, match the
// glob pattern (*, **, ?, [class], [^class], {a,b}). A missing directory
// gives an empty set. The pattern may not climb out of path with "..".
//
// The pattern is compiled to one regular expression over the whole name
// (linear in the name, however many "**" it has), the walk does not go
// deeper than a pattern without "**" can match, and it visits at most
// Limits.FilesetEntries entries; with a budget (b, nil in tests of the
// bare function table) each entry visited and each name matched is
// charged to it.
func (s *sandbox) fileSetFunc(b *budget) function.Function {
	limit := DefaultLimits().FilesetEntries
	if b != nil {
		limit = b.limits.FilesetEntries
	}
	return function.New(&function.Spec{
		Description: "Returns the set of regular file names under the given path that match the given pattern.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "pattern", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			base, err := s.resolve(args[0].AsString())
			if err != nil {
				return cty.NilVal, refuse(args[0].AsString(), err)
			}
			pattern := path.Clean(strings.ReplaceAll(args[1].AsString(), `\`, "/"))
			if escapes(pattern) || isAbsolute(pattern) {
				return cty.NilVal, function.NewArgErrorf(1, "the pattern must be relative to the path and stay inside it")
			}
			g, err := compileGlob(pattern)
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(1, "invalid pattern %q: %s", args[1].AsString(), err)
			}
			var names []string
			visited := 0
			var stop error
			err = fs.WalkDir(s.fsys, base, func(name string, d fs.DirEntry, err error) error {
				if err != nil {
					if name == base && errors.Is(err, fs.ErrNotExist) {
						return fs.SkipAll
					}
					if name != base && errors.Is(err, safefs.ErrHidden) {
						return fs.SkipDir // hidden by rule, as if absent
					}
					return err
				}
				if name != base && d.IsDir() && safefs.IsVCSDir(d.Name()) {
					return fs.SkipDir // version-control directories are never read
				}
				if visited++; visited > limit {
					stop = fmt.Errorf("more than %d files and directories under %q; fileset visits at most that many", limit, args[0].AsString())
					if b != nil {
						b.report(b.at, "fileset limit reached", stop.Error()+"; its result is unknown")
						stop = errBudget
					}
					return fs.SkipAll
				}
				if b != nil && !b.spend(LoopOverhead, hcl.Range{}) {
					stop = errBudget
					return fs.SkipAll
				}
				rel := strings.TrimPrefix(name, base+"/")
				if base == "." {
					rel = name
				}
				if d.IsDir() || name == base {
					if name != base && g.maxDepth >= 0 && strings.Count(rel, "/")+1 >= g.maxDepth {
						return fs.SkipDir // deeper than the pattern reaches
					}
					return nil
				}
				if d.Type()&fs.ModeSymlink != 0 {
					if s.checkLinks(name) != nil {
						return nil
					}
					fi, err := fs.Stat(s.fsys, name)
					if err != nil || !fi.Mode().IsRegular() {
						return nil
					}
				} else if !d.Type().IsRegular() {
					return nil
				}
				if b != nil && !b.spend(int64(len(rel)+1)*int64(g.size)/64, hcl.Range{}) {
					stop = errBudget
					return fs.SkipAll
				}
				if g.match(rel) {
					names = append(names, rel)
				}
				return nil
			})
			if stop != nil {
				return cty.NilVal, stop
			}
			if err != nil {
				var rr *refusedRead
				if errors.As(err, &rr) {
					return cty.NilVal, rr
				}
				if refused(err) {
					return cty.NilVal, &refusedRead{name: args[0].AsString(), err: err}
				}
				return cty.NilVal, fmt.Errorf("cannot list %q: %w", args[0].AsString(), err)
			}
			if len(names) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			sort.Strings(names)
			vals := make([]cty.Value, len(names))
			for i, n := range names {
				vals[i] = cty.StringVal(n)
			}
			return cty.SetVal(vals), nil
		},
	})
}

// glob is a compiled fileset pattern: one regular expression over "/" and
// the name, whose alternatives are the expansions of the pattern's braces.
type glob struct {
	re       *regexp.Regexp
	maxDepth int // components a name may have; -1 with "**"
	size     int // the expanded pattern's length (the cost of a match per byte)
}

func compileGlob(pattern string) (*glob, error) {
	alts, err := expandBraces(pattern)
	if err != nil {
		return nil, err
	}
	g := &glob{}
	var res []string
	for _, alt := range alts {
		if g.size += len(alt); g.size > MaxGlobSize {
			return nil, fmt.Errorf("its alternatives are more than %d bytes long", MaxGlobSize)
		}
		var b strings.Builder
		comps := strings.Split(alt, "/")
		depth := len(comps)
		for _, c := range comps {
			if c == "**" {
				b.WriteString("(?:/[^/]+)*") // any number of components
				depth = -1
				continue
			}
			expr, err := componentRegexp(c)
			if err != nil {
				return nil, err
			}
			if _, err := regexp.Compile(expr); err != nil {
				return nil, err
			}
			b.WriteString("/" + expr)
		}
		if depth < 0 || g.maxDepth < 0 {
			g.maxDepth = -1
		} else if depth > g.maxDepth {
			g.maxDepth = depth
		}
		res = append(res, b.String())
	}
	re, err := regexp.Compile("^(?:" + strings.Join(res, "|") + ")$")
	if err != nil {
		return nil, err
	}
	g.re = re
	return g, nil
}

func (g *glob) match(name string) bool { return g.re.MatchString("/" + name) }

// componentRegexp translates one glob path component into a regular
// expression: * any run of non-separators, ? one non-separator, [class],
// [^class] or [!class], and \ escaping the next character.
func componentRegexp(c string) (string, error) {
	var b strings.Builder
	runes := []rune(c)
	for i := 0; i < len(runes); i++ {
		switch r := runes[i]; r {
		case '*':
			b.WriteString("[^/]*")
		case '?':
			b.WriteString("[^/]")
		case '\\':
			if i+1 < len(runes) {
				i++
			}
			b.WriteString(regexp.QuoteMeta(string(runes[i])))
		case '[':
			j := i + 1
			var class strings.Builder
			class.WriteString("[")
			if j < len(runes) && (runes[j] == '^' || runes[j] == '!') {
				class.WriteString("^")
				j++
			}
			start := j
			for ; j < len(runes) && (runes[j] != ']' || j == start); j++ {
				switch runes[j] {
				case '\\':
					if j+1 < len(runes) {
						j++
					}
					class.WriteString(regexp.QuoteMeta(string(runes[j])))
				case '-':
					class.WriteRune('-')
				case '[', ']', '^':
					class.WriteString(`\` + string(runes[j]))
				default:
					class.WriteString(regexp.QuoteMeta(string(runes[j])))
				}
			}
			if j >= len(runes) {
				return "", errors.New("unterminated character class")
			}
			class.WriteString("]")
			b.WriteString("(?:" + class.String() + ")")
			i = j
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	return b.String(), nil
}

// expandBraces expands {a,b} alternatives (nested ones too) into the list
// of plain patterns.
func expandBraces(p string) ([]string, error) {
	open := -1
	for i := 0; i < len(p); i++ {
		if p[i] == '\\' {
			i++
			continue
		}
		if p[i] == '{' {
			open = i
			break
		}
	}
	if open < 0 {
		return []string{p}, nil
	}
	depth, start := 0, open+1
	var alts []string
	closeAt := -1
	for i := open; i < len(p) && closeAt < 0; i++ {
		switch p[i] {
		case '\\':
			i++
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				alts = append(alts, p[start:i])
				closeAt = i
			}
		case ',':
			if depth == 1 {
				alts = append(alts, p[start:i])
				start = i + 1
			}
		}
	}
	if closeAt < 0 {
		return nil, errors.New("unterminated {alternatives}")
	}
	var out []string
	for _, alt := range alts {
		rest, err := expandBraces(p[:open] + alt + p[closeAt+1:])
		if err != nil {
			return nil, err
		}
		out = append(out, rest...)
		if len(out) > MaxGlobAlternatives {
			return nil, fmt.Errorf("more than %d alternatives", MaxGlobAlternatives)
		}
	}
	return out, nil
}
