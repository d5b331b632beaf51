package terraform

import (
	"bytes"
	"io/fs"
	"path"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// FindLocalCalls returns what LocalCalls returns for the module in dir
// (the directories it calls with a local source), reading each file
// through hclsyntax's lexer only, without building its syntax tree: finding
// the roots of a monorepo needs the calls of every directory before any is
// loaded, and a syntax tree kept for that would hold the whole repository
// in memory, one dropped be built twice.
//
// The tokens are read only where their meaning is certain: a top-level
// block "module" with one plain label whose body sets source to a plain
// string (no escapes, no template sequences) on a line of its own. A
// directory with anything else that could bear on its calls (a JSON or
// override file, a file the lexer or the source limits reject, a module
// block of another shape, two module blocks of one name, two sources in
// one block) is parsed in full with a cache of its own, as LocalCalls
// would. On a file that lexes but does not parse, the calls found may
// differ from the parser's partial reading; the load of that directory
// reports the syntax error, which fails the scan unless accepted.
func FindLocalCalls(fsys fs.FS, dir string) []string {
	calls, ok := lexLocalCalls(fsys, dir)
	if !ok {
		return NewCache().LocalCalls(fsys, dir)
	}
	return calls
}

// lexLocalCalls finds the local calls of dir from tokens; ok is false
// when it cannot be sure of them.
func lexLocalCalls(fsys fs.FS, dir string) (calls []string, ok bool) {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		return nil, false
	}
	present := map[string]bool{}
	readings := []reading{readTerraform}
	for _, e := range entries {
		present[e.Name()] = !e.IsDir()
		if !e.IsDir() && isTofuFile(e.Name()) && len(readings) == 1 {
			// Without OpenTofu files both readings read the same files.
			readings = append(readings, readOpenTofu)
		}
	}
	seen := map[string]bool{}
	for _, rd := range readings {
		names := map[string]bool{} // module call names in this reading
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !rd.readsFile(name, present) {
				continue
			}
			if strings.HasSuffix(name, ".json") || isOverride(name) {
				return nil, false
			}
			src, err := safefs.ReadFile(fsys, path.Join(dir, name), MaxFileSize)
			if err != nil {
				return nil, false
			}
			found, ok := lexFileCalls(src, name)
			if !ok {
				return nil, false
			}
			for _, c := range found {
				if names[c.name] {
					return nil, false // a duplicate: the parser keeps the first
				}
				names[c.name] = true
				if !isLocalSource(c.source) {
					continue
				}
				if d := path.Join(dir, c.source); fs.ValidPath(d) && !seen[d] {
					seen[d] = true
					calls = append(calls, d)
				}
			}
		}
	}
	sort.Strings(calls)
	return calls, true
}

type lexedCall struct{ name, source string }

// lexFileCalls returns the module calls of one file in native syntax, in
// order; ok is false when the file holds anything that makes them
// uncertain.
func lexFileCalls(src []byte, name string) (calls []lexedCall, ok bool) {
	// The source limits' scan tokenises as hclsyntax's lexer does, at a
	// tenth of its cost: a file in which it sees no name "module" outside
	// every bracket has no module block (a file it reads otherwise than
	// the lexer does is malformed, and its parse fails).
	s := &nestingScanner{src: src}
	if scan(s, scanConfig) != nil {
		return nil, false // the parser is never given it: a diagnostic
	}
	if !s.topModule {
		return nil, true
	}
	toks, diags := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, false
	}
	l := tokenList{toks: toks}
	for {
		l.skipNewlines()
		if l.done() {
			return calls, true
		}
		if l.is(hclsyntax.TokenIdent, "module") {
			c, found, ok := l.moduleBlock()
			if !ok {
				return nil, false
			}
			if found {
				calls = append(calls, c)
			}
			continue
		}
		if !l.skipItem() {
			return nil, false
		}
	}
}

// tokenList walks tokens, comments taken as the newlines they end with.
type tokenList struct {
	toks hclsyntax.Tokens
	i    int
}

func (l *tokenList) done() bool {
	return l.i >= len(l.toks) || l.toks[l.i].Type == hclsyntax.TokenEOF
}

func (l *tokenList) typ() hclsyntax.TokenType {
	if l.done() {
		return hclsyntax.TokenEOF
	}
	t := l.toks[l.i]
	if t.Type == hclsyntax.TokenComment {
		if bytes.HasSuffix(t.Bytes, []byte("\n")) {
			return hclsyntax.TokenNewline
		}
		return hclsyntax.TokenComment
	}
	return t.Type
}

func (l *tokenList) is(t hclsyntax.TokenType, text string) bool {
	return l.typ() == t && string(l.toks[l.i].Bytes) == text
}

// skip moves past comments that end no line.
func (l *tokenList) skipComments() {
	for l.typ() == hclsyntax.TokenComment {
		l.i++
	}
}

func (l *tokenList) skipNewlines() {
	for t := l.typ(); t == hclsyntax.TokenNewline || t == hclsyntax.TokenComment; t = l.typ() {
		l.i++
	}
}

// next returns the current token's type (comments that end no line
// skipped) and moves past it.
func (l *tokenList) next() (hclsyntax.TokenType, []byte) {
	l.skipComments()
	if l.done() {
		return hclsyntax.TokenEOF, nil
	}
	t, b := l.typ(), l.toks[l.i].Bytes
	l.i++
	return t, b
}

// skipItem moves past one top-level item (an attribute or block) and the
// newline that ends it; false when the brackets do not balance.
func (l *tokenList) skipItem() bool {
	if !l.skipBodyItem() {
		return false
	}
	if l.done() {
		return true
	}
	if l.typ() == hclsyntax.TokenCBrace {
		return false // a brace closing nothing
	}
	l.i++ // the newline
	return true
}

// plainString reads "text" with no escape or template sequence.
func (l *tokenList) plainString() (string, bool) {
	if t, _ := l.next(); t != hclsyntax.TokenOQuote {
		return "", false
	}
	t, b := l.next()
	if t == hclsyntax.TokenCQuote {
		return "", true
	}
	if t != hclsyntax.TokenQuotedLit || bytes.ContainsAny(b, `\$%`) {
		return "", false
	}
	if t, _ := l.next(); t != hclsyntax.TokenCQuote {
		return "", false
	}
	return string(b), true
}

// moduleBlock reads a top-level module block, at its "module" token.
// found is false for a block that makes no call (no source).
func (l *tokenList) moduleBlock() (c lexedCall, found, ok bool) {
	l.i++ // module
	switch l.typ() {
	case hclsyntax.TokenIdent:
		_, b := l.next()
		c.name = string(b)
	case hclsyntax.TokenOQuote:
		s, ok := l.plainString()
		if !ok {
			return c, false, false
		}
		c.name = s
	default:
		return c, false, false // an attribute named module, or no label: the parser's error
	}
	if t, _ := l.next(); t != hclsyntax.TokenOBrace {
		return c, false, false
	}
	sources := 0
	for {
		l.skipNewlines()
		switch {
		case l.done():
			return c, false, false
		case l.typ() == hclsyntax.TokenCBrace:
			l.i++
			if t := l.typ(); t != hclsyntax.TokenNewline && t != hclsyntax.TokenEOF {
				return c, false, false
			}
			return c, sources == 1, true
		case l.is(hclsyntax.TokenIdent, "source"):
			l.i++
			if t, _ := l.next(); t != hclsyntax.TokenEqual {
				return c, false, false
			}
			s, ok := l.plainString()
			if !ok {
				return c, false, false
			}
			if t := l.typ(); t != hclsyntax.TokenNewline && t != hclsyntax.TokenCBrace {
				return c, false, false // source = "a" + ..., or more on its line
			}
			c.source = s
			sources++
			if sources > 1 {
				return c, false, false
			}
		default:
			if !l.skipBodyItem() {
				return c, false, false
			}
		}
	}
}

// skipBodyItem moves past one item of a block body, stopping before the
// newline that ends it or the brace that closes the body; false when the
// brackets do not balance (at the end of the tokens, true if they do).
func (l *tokenList) skipBodyItem() bool {
	depth := 0
	for !l.done() {
		switch l.typ() {
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen,
			hclsyntax.TokenTemplateInterp, hclsyntax.TokenTemplateControl:
			depth++
		case hclsyntax.TokenCBrace:
			if depth == 0 {
				return true
			}
			depth--
		case hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd:
			depth--
			if depth < 0 {
				return false
			}
		case hclsyntax.TokenNewline:
			if depth == 0 {
				return true
			}
		}
		l.i++
	}
	return depth == 0
}
