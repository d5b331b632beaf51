package triage

import (
	"fmt"
	"path"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// pathGlob is a compiled path pattern: doublestar syntax ("**" crosses
// directories, "*" and "?" do not cross "/", "[abc]" and "{a,b}" as usual)
// over slash paths relative to the scan root. A pattern that names a
// directory also covers everything below it, as in .gitignore: "examples"
// and "examples/" exclude examples/a/main.tf.
type pathGlob struct {
	text    string // as written, for messages
	pattern string // normalised
}

// compilePathGlob checks and normalises a path pattern.
func compilePathGlob(p string) (pathGlob, error) {
	n := strings.TrimSpace(p)
	for strings.HasPrefix(n, "./") {
		n = n[2:]
	}
	n = strings.TrimSuffix(n, "/")
	switch {
	case n == "":
		return pathGlob{}, fmt.Errorf("empty path pattern %q", p)
	case strings.HasPrefix(n, "/"):
		return pathGlob{}, fmt.Errorf("path pattern %q is absolute; patterns are relative to the scan root", p)
	case strings.Contains(n, "\\"):
		// doublestar reads "\" as an escape; a Windows path would silently
		// match nothing.
		return pathGlob{}, fmt.Errorf("path pattern %q contains a backslash; use / between directories", p)
	case n == ".." || strings.HasPrefix(n, "../") || strings.Contains(n, "/../") || strings.HasSuffix(n, "/.."):
		return pathGlob{}, fmt.Errorf("path pattern %q holds \"..\"; patterns are relative to the scan root", p)
	case !doublestar.ValidatePattern(n):
		return pathGlob{}, fmt.Errorf("bad path pattern %q (unclosed [ or {)", p)
	}
	return pathGlob{text: p, pattern: n}, nil
}

// match reports whether file (a slash path relative to the scan root) or one
// of its parent directories matches.
func (g pathGlob) match(file string) bool {
	if file == "" {
		return false
	}
	for f := path.Clean(file); f != "." && f != "/" && f != ""; f = path.Dir(f) {
		if doublestar.MatchUnvalidated(g.pattern, f) {
			return true
		}
	}
	return false
}

// addrMatch reports whether a resource address matches an address pattern:
// "*" matches any run of characters (dots, brackets and slashes included),
// "?" matches one character, and everything else, "[" and "]" too, matches
// itself. Addresses carry brackets of their own (aws_instance.web[0],
// module.a["k"]), so character classes would only get in the way.
func addrMatch(pattern, addr string) bool {
	if !strings.Contains(pattern, "?") {
		return starMatch(strings.Split(pattern, "*"), addr)
	}
	return runeMatch(pattern, addr)
}

// runeMatch is addrMatch for any pattern, character by character.
func runeMatch(pattern, addr string) bool {
	p, s := []rune(pattern), []rune(addr)
	// Iterative wildcard matching with a single backtrack point: the last
	// star seen and the position of addr it was tried at.
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		switch {
		case pi < len(p) && p[pi] == '*':
			star, mark = pi, si
			pi++
		case pi < len(p) && (p[pi] == '?' || p[pi] == s[si]):
			pi++
			si++
		case star >= 0:
			mark++
			si = mark
			pi = star + 1
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// starMatch matches s against a pattern of literal parts joined by "*"
// (parts as strings.Split gives them): the first part is a prefix, the
// last a suffix, and the ones between are found leftmost, in order.
func starMatch(parts []string, s string) bool {
	if len(parts) == 1 {
		return s == parts[0]
	}
	first, last := parts[0], parts[len(parts)-1]
	if len(s) < len(first)+len(last) || !strings.HasPrefix(s, first) || !strings.HasSuffix(s, last) {
		return false
	}
	mid := s[len(first) : len(s)-len(last)]
	for _, part := range parts[1 : len(parts)-1] {
		i := strings.Index(mid, part)
		if i < 0 {
			return false
		}
		mid = mid[i+len(part):]
	}
	return true
}

// ValidGlob checks a path pattern as Options.Exclude takes it.
func ValidGlob(p string) error {
	_, err := compilePathGlob(p)
	return err
}

// PathMatcher compiles path patterns once into a test of whether name (a
// slash path relative to the scan root) or one of its parent directories
// matches one of them: the walk asks it of every entry, to skip excluded
// directories and files before reading them.
func PathMatcher(patterns []string) (func(name string) bool, error) {
	globs := make([]pathGlob, 0, len(patterns))
	for _, p := range patterns {
		g, err := compilePathGlob(p)
		if err != nil {
			return nil, err
		}
		globs = append(globs, g)
	}
	return func(name string) bool {
		for _, g := range globs {
			if g.match(name) {
				return true
			}
		}
		return false
	}, nil
}
