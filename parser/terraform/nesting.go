package terraform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	yaml "go.yaml.in/yaml/v3"
)

// The HCL parsers, and every walk over what they build, recurse once per
// level of nesting; Go cannot recover from a stack overflow, so a file
// nested a few ten thousand levels deep would end the process. They also
// allocate a few hundred bytes per token, so a few megabytes of short
// tokens would take gigabytes. Every source is therefore scanned before a
// parser sees it: a single pass that tokenises the way hclsyntax's scanner
// does (strings, heredocs, template interpolations and directives,
// comments) and counts tokens, nesting and operators. The count is
// conservative: a bracket that closes the wrong kind does not close
// anything, so malformed input only ever looks deeper than it is.

// sourceProblem is the first limit a source reaches.
type sourceProblem struct {
	offset  int // byte offset in the source
	summary string
	detail  string
}

// scanMode is what a scan starts as: a configuration or variables file, a
// single expression (-var, TF_VAR_, a JSON string used as an expression) or
// a bare template (templatefile, templatestring, a JSON string value).
type scanMode int

const (
	scanConfig scanMode = iota
	scanExpression
	scanTemplate
)

// lexer modes, as in hclsyntax's scanner.
const (
	lexCode = iota
	lexString
	lexHeredoc
	lexBare
)

// frame kinds for the nesting count.
const (
	frameParen     = '('
	frameBracket   = '['
	frameBrace     = '{'
	frameInterp    = '$' // ${ or %{ in a template
	frameString    = '"'
	frameHeredoc   = '<'
	frameDirective = 'd' // %{ if } or %{ for } until its end
)

type frame struct {
	kind    byte
	ops     int    // operators in the frame's current expression
	keyword string // first name after %{ (if, for, endif, ...)
	sawName bool
}

type lexState struct {
	mode        int
	marker      []byte // heredoc end marker
	startOfLine bool   // heredoc: at the start of a line
}

type nestingScanner struct {
	src    []byte
	i      int
	tok    int // where the current token starts: problems are reported there
	lex    []lexState
	braces int
	ret    []int // brace levels at which a template sequence ends

	frames    []frame
	topOps    int // operators in the top-level expression
	ops       int // operators in the open expressions of every frame
	tokens    int
	invalid   int
	noComment bool // no "*/" after some "/*": later ones do not close either

	depthOnly bool // count nesting only (JSON strings read as expressions)

	topModule bool // the name "module" was seen outside every bracket (a module block's header)

	problem *sourceProblem
}

// checkSource scans src (a file or a value's text, named name) in mode m
// and returns the first limit it reaches, nil when none.
func checkSource(src []byte, m scanMode) *sourceProblem {
	return scan(&nestingScanner{src: src}, m)
}

// checkConfig checks a configuration or variables file in native syntax
// and returns its tokens.
func checkConfig(src []byte) (*sourceProblem, int) {
	s := &nestingScanner{src: src}
	p := scan(s, scanConfig)
	return p, s.tokens
}

func scan(s *nestingScanner, m scanMode) *sourceProblem {
	src := s.src
	if bytes.HasPrefix(src, utf8BOM) {
		s.i = len(utf8BOM)
	}
	switch m {
	case scanTemplate:
		s.lex = []lexState{{mode: lexBare}}
	default:
		s.lex = []lexState{{mode: lexCode}}
	}
	s.run()
	return s.problem
}

// bad counts a character that is not valid where it is; past
// MaxDiagnosticsPerFile of them the source is not parsed.
func (s *nestingScanner) bad() {
	s.invalid++
	if !s.depthOnly && s.invalid > MaxDiagnosticsPerFile {
		s.fail("too many invalid characters",
			fmt.Sprintf("more than %d characters that are not valid here (not UTF-8 text, or not used by the language); it is not parsed", MaxDiagnosticsPerFile))
	}
}

func (s *nestingScanner) fail(summary, detail string) {
	if s.problem == nil {
		s.problem = &sourceProblem{offset: s.tok, summary: summary, detail: detail}
	}
}

func (s *nestingScanner) token() {
	s.tokens++
	if s.tokens > MaxFileTokens {
		s.fail("file too large to parse", fmt.Sprintf("more than %d tokens; it is not parsed", MaxFileTokens))
	}
}

func (s *nestingScanner) push(kind byte) {
	s.frames = append(s.frames, frame{kind: kind})
	if len(s.frames) > MaxNesting {
		s.fail("nesting too deep", fmt.Sprintf("brackets, braces, parentheses, blocks, strings and template sequences are nested more than %d levels deep here; it is not parsed", MaxNesting))
	}
}

// pop closes the innermost frame when it is of kind k; a close of any
// other kind closes nothing.
func (s *nestingScanner) pop(k byte) bool {
	if n := len(s.frames); n > 0 && s.frames[n-1].kind == k {
		s.ops -= s.frames[n-1].ops
		s.frames = s.frames[:n-1]
		return true
	}
	return false
}

// op counts an operator (or an index or splat) in the current expression:
// each one nests the expression's syntax tree one level deeper.
func (s *nestingScanner) op() {
	if n := len(s.frames); n > 0 {
		s.frames[n-1].ops++
		s.ops++
	} else {
		s.topOps++
	}
	if !s.depthOnly && s.ops+s.topOps+len(s.frames) > MaxExpressionDepth {
		s.fail("expression too deep", fmt.Sprintf("operators, indexes and nested expressions here make an expression more than %d levels deep; it is not parsed", MaxExpressionDepth))
	}
}

// endExpr starts a new expression in the current frame (after ",", "=",
// "=>", or a newline where newlines end an item).
func (s *nestingScanner) endExpr() {
	if n := len(s.frames); n > 0 {
		s.ops -= s.frames[n-1].ops
		s.frames[n-1].ops = 0
	} else {
		s.topOps = 0
	}
}

func (s *nestingScanner) newline() {
	s.token()
	if n := len(s.frames); n == 0 || s.frames[n-1].kind == frameBrace {
		s.endExpr()
	}
}

func (s *nestingScanner) peek(k int) byte {
	if s.i+k < len(s.src) {
		return s.src[s.i+k]
	}
	return 0
}

func (s *nestingScanner) run() {
	for s.i < len(s.src) && s.problem == nil {
		switch s.lex[len(s.lex)-1].mode {
		case lexCode:
			s.code()
		case lexString:
			s.quoted()
		default:
			s.template()
		}
	}
}

// code scans one token of expression syntax.
func (s *nestingScanner) code() {
	s.tok = s.i
	c := s.src[s.i]
	switch {
	case c == ' ' || c == '\t':
		s.i++
	case c == '\n':
		s.i++
		s.newline()
	case c == '\r' && s.peek(1) == '\n':
		s.i += 2
		s.newline()
	case c == '#' || c == '/' && s.peek(1) == '/':
		s.lineComment()
	case c == '/' && s.peek(1) == '*':
		s.blockComment()
	case c >= '0' && c <= '9':
		s.number()
	case c == '"':
		s.i++
		s.token()
		s.lex = append(s.lex, lexState{mode: lexString})
		s.push(frameString)
	case c == '<' && s.peek(1) == '<' && s.heredoc():
	case c == '{':
		s.i++
		s.token()
		s.braces++
		s.push(frameBrace)
	case c == '}':
		s.i++
		s.closeBrace()
	case c == '~' && s.peek(1) == '}':
		s.i += 2
		s.closeBrace()
	case c == '(' || c == '[':
		s.i++
		s.token()
		if c == '[' {
			s.op() // an index nests the expression it indexes
		}
		s.push(c)
	case c == ')':
		s.i++
		s.token()
		s.pop(frameParen)
	case c == ']':
		s.i++
		s.token()
		s.pop(frameBracket)
	case c == ',':
		s.i++
		s.token()
		s.endExpr()
	case c == '=':
		switch s.peek(1) {
		case '=':
			s.i += 2
			s.token()
			s.op()
		case '>':
			s.i += 2
			s.token()
			s.endExpr()
		default:
			s.i++
			s.token()
			s.endExpr()
		}
	case c == '!' || c == '<' || c == '>':
		s.i++
		if s.peek(0) == '=' {
			s.i++
		}
		s.token()
		s.op()
	case c == '&' && s.peek(1) == '&' || c == '|' && s.peek(1) == '|':
		s.i += 2
		s.token()
		s.op()
	case c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '?' || c == '&' || c == '|' || c == '^':
		s.i++
		s.token()
		s.op()
	case c == '.' || c == ':' || c == ';' || c == '`' || c == '\'' || c == '~':
		s.i++
		s.token()
	case c == '_' || c < utf8.RuneSelf && unicode.IsLetter(rune(c)):
		s.ident()
	case c < utf8.RuneSelf:
		s.bad() // a control character, or one the language does not use
		s.i++
		s.token()
	default:
		r, n := utf8.DecodeRune(s.src[s.i:])
		if r == utf8.RuneError && n <= 1 {
			s.bad()
			s.i++
			s.token()
			return
		}
		if unicode.IsLetter(r) || unicode.Is(unicode.Nl, r) || unicode.Is(unicode.Other_ID_Start, r) {
			s.ident()
			return
		}
		s.bad()
		s.i += n
		s.token()
	}
}

func (s *nestingScanner) lineComment() {
	s.token()
	end := bytes.IndexByte(s.src[s.i:], '\n')
	if end < 0 {
		s.i = len(s.src)
		return
	}
	s.i += end + 1
	// The comment takes its newline: it ends an item as a newline does.
	if n := len(s.frames); n == 0 || s.frames[n-1].kind == frameBrace {
		s.endExpr()
	}
}

func (s *nestingScanner) blockComment() {
	if !s.noComment {
		if end := bytes.Index(s.src[s.i+2:], []byte("*/")); end >= 0 {
			s.token()
			s.i += 2 + end + 2
			return
		}
		s.noComment = true
	}
	// An unterminated comment is "/" then "*" to hclsyntax.
	s.i++
	s.token()
	s.op()
}

func (s *nestingScanner) number() {
	s.i++
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c >= '0' && c <= '9' || c == '.':
			s.i++
		case (c == 'e' || c == 'E') && (isDigit(s.peek(1)) || (s.peek(1) == '+' || s.peek(1) == '-') && isDigit(s.peek(2))):
			s.i += 2
		default:
			s.token()
			return
		}
	}
	s.token()
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isNameRune(r rune) bool {
	return r == '_' || r == '-' || unicode.IsLetter(r) || unicode.IsDigit(r) ||
		unicode.In(r, unicode.Mn, unicode.Mc, unicode.Nd, unicode.Pc, unicode.Nl, unicode.Other_ID_Continue)
}

func (s *nestingScanner) ident() {
	start := s.i
	for s.i < len(s.src) {
		c := s.src[s.i]
		if c < utf8.RuneSelf {
			if c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
				s.i++
				continue
			}
			break
		}
		r, n := utf8.DecodeRune(s.src[s.i:])
		if r == utf8.RuneError && n <= 1 || !isNameRune(r) {
			break
		}
		s.i += n
	}
	s.token()
	if s.i-start == len("module") && len(s.frames) == 0 && string(s.src[start:s.i]) == "module" {
		s.topModule = true
	}
	if n := len(s.frames); n > 0 && s.frames[n-1].kind == frameInterp && !s.frames[n-1].sawName {
		s.frames[n-1].sawName = true
		s.frames[n-1].keyword = string(s.src[start:s.i])
	}
}

// heredoc starts a heredoc at "<<" when an introducer follows
// (<<EOT or <<-EOT, then a newline), and reports whether it did.
func (s *nestingScanner) heredoc() bool {
	j := s.i + 2
	if j < len(s.src) && s.src[j] == '-' {
		j++
	}
	start := j
	for j < len(s.src) {
		c := s.src[j]
		if c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			j++
			continue
		}
		if c >= utf8.RuneSelf {
			if r, n := utf8.DecodeRune(s.src[j:]); (r != utf8.RuneError || n > 1) && isNameRune(r) {
				j += n
				continue
			}
		}
		break
	}
	if j == start {
		return false
	}
	if first, _ := utf8.DecodeRune(s.src[start:]); first != '_' && !unicode.IsLetter(first) {
		return false
	}
	marker := s.src[start:j]
	switch {
	case j < len(s.src) && s.src[j] == '\n':
		j++
	case j+1 < len(s.src) && s.src[j] == '\r' && s.src[j+1] == '\n':
		j += 2
	default:
		return false
	}
	s.i = j
	s.token()
	s.lex = append(s.lex, lexState{mode: lexHeredoc, marker: marker, startOfLine: true})
	s.push(frameHeredoc)
	return true
}

// closeBrace handles "}" (or "~}") in code: the end of a template
// sequence when the braces opened since it are all closed, else a brace.
func (s *nestingScanner) closeBrace() {
	s.token()
	if n := len(s.ret); n > 0 && s.ret[n-1] == s.braces {
		s.braces--
		s.ret = s.ret[:n-1]
		s.lex = s.lex[:len(s.lex)-1]
		keyword := ""
		if k := len(s.frames); k > 0 && s.frames[k-1].kind == frameInterp {
			keyword = s.frames[k-1].keyword
		}
		s.pop(frameInterp)
		switch keyword {
		case "if", "for":
			s.push(frameDirective)
		case "endif", "endfor":
			s.pop(frameDirective)
		}
		if l := &s.lex[len(s.lex)-1]; l.mode == lexHeredoc {
			l.startOfLine = false
		}
		return
	}
	s.braces--
	s.pop(frameBrace)
}

// sequence starts a template sequence at "${" or "%{" (with an optional
// "~"); the caller has checked the two bytes.
func (s *nestingScanner) sequence() {
	s.tok = s.i
	s.i += 2
	if s.peek(0) == '~' {
		s.i++
	}
	s.token()
	s.braces++
	s.ret = append(s.ret, s.braces)
	if l := &s.lex[len(s.lex)-1]; l.mode == lexHeredoc {
		l.startOfLine = false
	}
	s.lex = append(s.lex, lexState{mode: lexCode})
	s.push(frameInterp)
}

// quoted scans a quoted string's content up to its end or the next
// template sequence.
func (s *nestingScanner) quoted() {
	literal := false
	for s.i < len(s.src) {
		c := s.src[s.i]
		switch {
		case c == '"':
			if literal {
				s.token()
			}
			s.i++
			s.token()
			s.lex = s.lex[:len(s.lex)-1]
			s.pop(frameString)
			return
		case (c == '$' || c == '%') && s.peek(1) == '{':
			if literal {
				s.token()
			}
			s.sequence()
			return
		case (c == '$' || c == '%') && s.peek(1) == c && s.peek(2) == '{':
			s.i += 3 // an escaped sequence: literal text
			if s.peek(0) == '~' {
				s.i++
			}
			literal = true
		case c == '\\' && s.i+1 < len(s.src) && s.src[s.i+1] != '\n' && s.src[s.i+1] != '\r':
			_, n := utf8.DecodeRune(s.src[s.i+1:])
			s.i += 1 + n
			literal = true
		case c == '\n' || c == '\r':
			if literal {
				s.token()
				literal = false
			}
			s.i++
			s.token()
		default:
			r, n := utf8.DecodeRune(s.src[s.i:])
			if r == utf8.RuneError && n <= 1 {
				s.tok = s.i
				s.bad()
			}
			s.i += n
			literal = true
		}
	}
	if literal {
		s.token()
	}
}

// template scans heredoc or bare template content up to the next template
// sequence or the end of the heredoc.
func (s *nestingScanner) template() {
	l := &s.lex[len(s.lex)-1]
	for s.i < len(s.src) {
		if l.mode == lexHeredoc && l.startOfLine {
			// A line that is only the marker (and spaces) ends the heredoc,
			// when it holds no "$" or "%" that would split it.
			end := bytes.IndexByte(s.src[s.i:], '\n')
			if end >= 0 {
				line := s.src[s.i : s.i+end]
				if !bytes.ContainsAny(line, "$%") && bytes.Equal(bytes.TrimSpace(line), l.marker) {
					s.i += end + 1
					s.token()
					s.newline()
					s.lex = s.lex[:len(s.lex)-1]
					s.pop(frameHeredoc)
					return
				}
			}
		}
		c := s.src[s.i]
		switch {
		case (c == '$' || c == '%') && s.peek(1) == '{':
			s.sequence()
			return
		case (c == '$' || c == '%') && s.peek(1) == c && s.peek(2) == '{':
			s.i += 3
			if s.peek(0) == '~' {
				s.i++
			}
			l.startOfLine = false
		case c == '\n':
			s.i++
			s.token()
			l.startOfLine = true
		default:
			r, n := utf8.DecodeRune(s.src[s.i:])
			if r == utf8.RuneError && n <= 1 {
				s.tok = s.i
				s.bad()
			}
			s.i += n
			if c == '$' || c == '%' {
				l.startOfLine = false
			}
		}
	}
	s.token()
}

// checkJSON scans a JSON file: its own nesting and tokens, and every string
// in it both as a template (how values are evaluated) and as an expression
// (how types and references written in JSON are parsed).
func checkJSON(src []byte) (*sourceProblem, int) {
	depth, tokens := 0, 0
	var stack []byte
	i := 0
	if bytes.HasPrefix(src, utf8BOM) {
		i = len(utf8BOM)
	}
	for i < len(src) {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		case '[', '{':
			stack = append(stack, c)
			depth++
			if depth > MaxNesting {
				return &sourceProblem{offset: i, summary: "nesting too deep",
					detail: fmt.Sprintf("arrays and objects are nested more than %d levels deep here; it is not parsed", MaxNesting)}, tokens
			}
		case ']', '}':
			if n := len(stack); n > 0 && (stack[n-1] == '[' && c == ']' || stack[n-1] == '{' && c == '}') {
				stack = stack[:n-1]
				depth--
			}
		case '"':
			end := jsonStringEnd(src, i)
			if p := checkJSONString(src[i:end]); p != nil {
				p.offset = i
				return p, tokens
			}
			tokens++
			i = end
			if tokens > MaxFileTokens {
				return &sourceProblem{offset: i, summary: "file too large to parse", detail: fmt.Sprintf("more than %d tokens; it is not parsed", MaxFileTokens)}, tokens
			}
			continue
		case ',', ':':
		default:
			// A literal (number, true, false, null) or a stray character:
			// one token up to the next delimiter.
			for i < len(src) && bytes.IndexByte([]byte(" \t\n\r[]{}\",:"), src[i]) < 0 {
				i++
			}
			tokens++
			if tokens > MaxFileTokens {
				return &sourceProblem{offset: i, summary: "file too large to parse", detail: fmt.Sprintf("more than %d tokens; it is not parsed", MaxFileTokens)}, tokens
			}
			continue
		}
		i++
		tokens++
		if tokens > MaxFileTokens {
			return &sourceProblem{offset: i, summary: "file too large to parse", detail: fmt.Sprintf("more than %d tokens; it is not parsed", MaxFileTokens)}, tokens
		}
	}
	return nil, tokens
}

// jsonStringEnd returns the offset just after the string starting at i.
func jsonStringEnd(src []byte, i int) int {
	for j := i + 1; j < len(src); j++ {
		switch src[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(src)
}

// checkJSONString checks the text of one JSON string (quotes included).
func checkJSONString(raw []byte) *sourceProblem {
	if !bytes.ContainsAny(raw, "{([<!-+*/%?&|=") {
		return nil // plain text: nothing can nest
	}
	var s string
	text := raw
	if err := json.Unmarshal(raw, &s); err == nil {
		text = []byte(s)
	}
	if p := checkSource(text, scanTemplate); p != nil {
		return p
	}
	// Only a variable's type is parsed as an expression; only its nesting
	// matters (a long base64 text is not an operator chain).
	return scan(&nestingScanner{src: text, depthOnly: true}, scanExpression)
}

// sourceDiagnostic turns a problem in the source of file name into an hcl
// diagnostic at its position.
func sourceDiagnostic(name string, src []byte, p *sourceProblem) *hcl.Diagnostic {
	pos := offsetPos(src, p.offset)
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: p.summary, Detail: p.detail,
		Subject: &hcl.Range{Filename: name, Start: pos, End: pos}}
}

// offsetPos is the hcl position of a byte offset (columns in runes; the
// positions table recomputes them from the byte offset).
func offsetPos(src []byte, off int) hcl.Pos {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	start := bytes.LastIndexByte(src[:off], '\n') + 1
	return hcl.Pos{Line: line, Column: utf8.RuneCount(src[start:off]) + 1, Byte: off}
}

// checkDecodeInput checks the text given to jsondecode or yamldecode
// before it is decoded: its nesting, and for YAML the size of what its
// aliases expand to.
func checkDecodeInput(fn, s string) error {
	switch fn {
	case "jsondecode":
		return checkJSONDepth(s)
	case "yamldecode":
		return checkYAML(s)
	}
	return nil
}

func checkJSONDepth(s string) error {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			if depth++; depth > MaxNesting {
				return fmt.Errorf("the JSON is nested more than %d levels deep", MaxNesting)
			}
		case ']', '}':
			depth--
		}
	}
	return nil
}

// checkYAML bounds a YAML document's flow nesting ([ and {), its block
// nesting (indentation levels and "- " entries on one line), and the
// nodes its aliases expand to.
func checkYAML(s string) error {
	flow := 0
	var indents []int
	lineStart := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if lineStart {
			lineStart = false
			j := i
			for j < len(s) && s[j] == ' ' {
				j++
			}
			if j < len(s) && s[j] != '\n' && s[j] != '\r' && s[j] != '#' {
				ind := j - i
				for len(indents) > 0 && indents[len(indents)-1] >= ind {
					indents = indents[:len(indents)-1]
				}
				indents = append(indents, ind)
				dashes := 0
				for k := j; k+1 < len(s) && s[k] == '-' && (s[k+1] == ' ' || s[k+1] == '\t'); k += 2 {
					dashes++
					for k+2 < len(s) && s[k+2] == ' ' {
						k++
					}
				}
				if len(indents)+dashes > MaxNesting {
					return fmt.Errorf("the YAML is nested more than %d levels deep", MaxNesting)
				}
			}
		}
		switch c {
		case '\n':
			lineStart = true
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '\'':
			if i > 0 && s[i-1] != ' ' && s[i-1] != '[' && s[i-1] != '{' && s[i-1] != ',' && s[i-1] != ':' && s[i-1] != '\n' {
				continue // an apostrophe inside a plain scalar
			}
			for i++; i < len(s); i++ {
				if s[i] == '\'' {
					if i+1 < len(s) && s[i+1] == '\'' {
						i++
						continue
					}
					break
				}
			}
		case '#':
			if i == 0 || s[i-1] == ' ' || s[i-1] == '\t' || s[i-1] == '\n' {
				for i < len(s) && s[i] != '\n' {
					i++
				}
				lineStart = true
			}
		case '[', '{':
			if flow++; flow > MaxNesting {
				return fmt.Errorf("the YAML is nested more than %d levels deep", MaxNesting)
			}
		case ']', '}':
			if flow > 0 {
				flow--
			}
		}
	}
	if strings.IndexByte(s, '*') >= 0 && strings.IndexByte(s, '&') >= 0 {
		return checkYAMLAliases(s)
	}
	return nil
}

func checkYAMLAliases(s string) error {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(s), &doc); err != nil {
		return nil // the decoder reports it
	}
	memo := map[*yaml.Node]int64{}
	var size func(n *yaml.Node, depth int) int64
	size = func(n *yaml.Node, depth int) int64 {
		if n == nil || depth > MaxNesting {
			return MaxYAMLNodes + 1
		}
		if v, ok := memo[n]; ok {
			return v
		}
		memo[n] = MaxYAMLNodes + 1 // an alias cycle expands forever
		total := int64(1)
		if n.Kind == yaml.AliasNode {
			total = size(n.Alias, depth+1)
		}
		for _, c := range n.Content {
			total += size(c, depth+1)
			if total > MaxYAMLNodes {
				break
			}
		}
		memo[n] = total
		return total
	}
	if size(&doc, 0) > MaxYAMLNodes {
		return fmt.Errorf("the YAML's aliases expand to more than %d nodes", MaxYAMLNodes)
	}
	return nil
}
