package terraform

// Inline ignores.
//
// An inline ignore is a comment of the native syntax (#, // or /* */):
//
//	# portcullis:ignore RULE-ID[,RULE-ID...] reason="why" [owner=alice] [ticket=SEC-12] [expires=2027-01-31]
//
// RULE-ID is a rule id (letters, digits and _ . -), or * for every
// rule; several are separated by commas, without spaces. After the rule
// ids come key=value pairs separated by blanks. A value is a bare token
// (no blanks, no quotes needed) or a quoted string "..." in which \" is a
// quote and \\ a backslash. The keys are:
//
//   - reason (required): why the finding is accepted; shown to reviewers
//     and auditors;
//   - owner, ticket (optional): who accepted it, and where it is tracked;
//   - expires (optional): the last day it applies, YYYY-MM-DD (a real
//     date); the triage stage stops applying it after that day.
//
// The form of earlier versions is still read: when the text after the
// rule ids does not start with key=, all of it is the reason:
//
//	# portcullis:ignore PCS-AWS-001 public HTTPS endpoint, approved in SEC-123
//
// Only the first line of a comment counts (a block comment may go on with
// free text). Where an ignore applies (graph.Ignore.Line):
//
//   - a comment on lines of its own applies to the first line of code
//     below it, when only comment lines are between them (a blank line or
//     the end of the file detaches it: Line 0). Above a resource or module
//     block it applies to the block's header, so to every finding of the
//     resource, or of every resource the module call makes; above an
//     argument or a nested block, to findings that point at that line;
//   - a comment after code applies to its own line; code after a block
//     comment on the line where the comment ends is the code below it.
//
// An ignore that cannot be read is kept with Problem set (no rule id, a
// malformed rule id, no reason, an unknown or repeated key, a value that
// is not key=value or whose quote is not closed, a bad date): it is not
// applied, and the triage stage reports the problem at its range.
//
// Comments are found by the HCL lexer, so text in a string or a heredoc is
// never an ignore. The JSON syntax has no comments, and variables files
// (*.tfvars) are not read for ignores. Each file is scanned once, when it
// is parsed; every ignore of the module files a graph reads (the root
// module and the local modules it calls) is in graph.Graph.Ignores, once
// per graph. Files of modules installed outside the repository (remote
// modules under .terraform/modules) are not: code the repository does not
// own cannot take findings out.

import (
	"bytes"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

const ignoreMarker = "portcullis:ignore"

// keyStart matches the start of a key=value pair.
var keyStart = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*=`)

// ignoreComment is one ignore written in a file.
type ignoreComment struct {
	line int // 1-based line of the comment's start
	// applies is the line the ignore applies to (graph.Ignore.Line).
	applies    int
	start, end int // byte offsets: "portcullis:ignore" to the end of the comment's first line
	fields     ignoreFields
}

// ignoreFields are the parts of an ignore's text.
type ignoreFields struct {
	rules                          []string
	reason, owner, ticket, expires string
	problem                        string
}

// scanIgnores returns the ignores written in the comments of a file in
// native syntax, ordered by line. Lines are counted from the bytes (as
// graph ranges are), not taken from the lexer, whose line count can be
// off after bytes that are not UTF-8.
func scanIgnores(name string, src []byte) []ignoreComment {
	if strings.HasSuffix(name, ".json") || !bytes.Contains(src, []byte(ignoreMarker)) {
		return nil
	}
	tokens, _ := hclsyntax.LexConfig(src, name, hcl.InitialPos)
	lines := lineStarts(src)
	var out []ignoreComment
	for i, tok := range tokens {
		if tok.Type != hclsyntax.TokenComment || !bytes.Contains(tok.Bytes, []byte(ignoreMarker)) {
			continue
		}
		ig, ok := parseIgnore(tok)
		if !ok {
			continue
		}
		ig.line = lineOf(lines, tok.Range.Start.Byte)
		if !startsLine(src, tok.Range.Start.Byte) {
			ig.applies = ig.line // after code
		} else if at := followingCode(tokens[i:]); at >= 0 {
			ig.applies = lineOf(lines, at)
		}
		out = append(out, ig)
	}
	return out
}

// lineStarts returns the byte offset of each line of src.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(starts []int, offset int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > offset })
}

// parseIgnore reads an ignore from a comment token: only the first line of
// the comment counts. It is not an ignore unless the comment's text starts
// with the marker followed by a blank or the end of the line.
func parseIgnore(tok hclsyntax.Token) (ignoreComment, bool) {
	text := tok.Bytes
	var marker int
	switch {
	case bytes.HasPrefix(text, []byte("#")):
		marker = 1
	case bytes.HasPrefix(text, []byte("//")), bytes.HasPrefix(text, []byte("/*")):
		marker = 2
	default:
		return ignoreComment{}, false
	}
	first := text
	if i := bytes.IndexByte(first, '\n'); i >= 0 {
		first = first[:i]
	}
	first = bytes.TrimRight(first, "\r")
	body := first[marker:]
	if marker == 2 && text[1] == '*' {
		body = bytes.TrimSuffix(body, []byte("*/"))
	}
	lead := len(body) - len(bytes.TrimLeft(body, " \t"))
	rest, ok := bytes.CutPrefix(body[lead:], []byte(ignoreMarker))
	if !ok || (len(rest) > 0 && rest[0] != ' ' && rest[0] != '\t') {
		return ignoreComment{}, false
	}
	s := tok.Range.Start.Byte
	return ignoreComment{
		start:  s + marker + lead,
		end:    s + len(first),
		fields: parseIgnoreText(strings.ToValidUTF8(string(rest), "\uFFFD")),
	}, true
}

// parseIgnoreText reads what follows "portcullis:ignore": the rule ids,
// then key=value pairs or (the earlier form) a free-text reason.
func parseIgnoreText(text string) ignoreFields {
	var f ignoreFields
	rules, rest := cutToken(strings.TrimLeft(text, " \t"))
	if rules == "" {
		f.problem = `portcullis:ignore needs a rule id (or *) and a reason: portcullis:ignore RULE-ID reason="why"`
		return f
	}
	for _, id := range strings.Split(rules, ",") {
		if !graph.ValidRuleID(id) {
			f.problem = fmt.Sprintf("portcullis:ignore: %q is not a rule id (letters, digits and _ . -, or * alone; several are separated by commas without spaces)", clean(id))
			return f
		}
		f.rules = append(f.rules, id)
	}
	rest = strings.TrimSpace(rest)
	if !keyStart.MatchString(rest) {
		f.reason = clean(rest)
	} else if f.problem = f.parsePairs(rest); f.problem != "" {
		return f
	}
	switch {
	case f.reason == "":
		f.problem = fmt.Sprintf(`portcullis:ignore %s needs a reason: reason="why" after the rule id`, rules)
	case f.expires != "" && !graph.IsDate(f.expires):
		f.problem = fmt.Sprintf("portcullis:ignore %s: expires=%s is not a date YYYY-MM-DD", rules, f.expires)
	}
	return f
}

// parsePairs reads key=value pairs into f; it returns a problem.
func (f *ignoreFields) parsePairs(text string) string {
	seen := map[string]bool{}
	for text = strings.TrimLeft(text, " \t"); text != ""; text = strings.TrimLeft(text, " \t") {
		eq := strings.IndexAny(text, "= \t")
		if eq < 0 || text[eq] != '=' {
			tok, _ := cutToken(text)
			return fmt.Sprintf("portcullis:ignore: %q is not key=value (the keys are reason, owner, ticket and expires)", clean(tok))
		}
		key := text[:eq]
		value, rest, ok := cutValue(text[eq+1:])
		if !ok {
			return fmt.Sprintf("portcullis:ignore: the quoted value of %s is not closed, or text follows its closing quote", clean(key))
		}
		text = rest
		var dst *string
		switch key {
		case "reason":
			dst = &f.reason
		case "owner":
			dst = &f.owner
		case "ticket":
			dst = &f.ticket
		case "expires":
			dst = &f.expires
		default:
			return fmt.Sprintf("portcullis:ignore: unknown key %q (the keys are reason, owner, ticket and expires)", clean(key))
		}
		if seen[key] {
			return fmt.Sprintf("portcullis:ignore: %s is given twice", key)
		}
		seen[key] = true
		*dst = clean(strings.TrimSpace(value))
		if *dst == "" && key != "reason" {
			return fmt.Sprintf("portcullis:ignore: %s is empty", key)
		}
	}
	return ""
}

// cutToken splits text at its first blank.
func cutToken(text string) (tok, rest string) {
	if i := strings.IndexAny(text, " \t"); i >= 0 {
		return text[:i], text[i:]
	}
	return text, ""
}

// cutValue reads a value at the start of text: a quoted string (\" and \\
// are escapes) that a blank or the end follows, or a bare token.
func cutValue(text string) (value, rest string, ok bool) {
	if !strings.HasPrefix(text, `"`) {
		value, rest = cutToken(text)
		return value, rest, true
	}
	var b strings.Builder
	for i := 1; i < len(text); i++ {
		switch c := text[i]; {
		case c == '\\' && i+1 < len(text) && (text[i+1] == '"' || text[i+1] == '\\'):
			i++
			b.WriteByte(text[i])
		case c == '"':
			rest = text[i+1:]
			if rest != "" && rest[0] != ' ' && rest[0] != '\t' {
				return "", "", false
			}
			return b.String(), rest, true
		default:
			b.WriteByte(c)
		}
	}
	return "", "", false
}

// clean replaces control characters (a terminal escape in a reason) with
// U+FFFD; text is valid UTF-8.
func clean(s string) string {
	if strings.IndexFunc(s, isControl) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return utf8.RuneError
		}
		return r
	}, s)
}

func isControl(r rune) bool { return r != '\t' && unicode.IsControl(r) }

// startsLine reports whether only blanks precede offset on its line.
func startsLine(src []byte, offset int) bool {
	for i := offset - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' && src[i] != '\r' {
			return false
		}
	}
	return true
}

// followingCode is the byte offset of the first token of code after the
// comment tokens[0] when only comments and line ends are between them;
// -1 when a blank line or the end of the file comes first. Code after a
// block comment on the line where it ends counts.
func followingCode(tokens hclsyntax.Tokens) int {
	atLineStart := bytes.HasSuffix(tokens[0].Bytes, []byte("\n"))
	for _, tok := range tokens[1:] {
		switch tok.Type {
		case hclsyntax.TokenComment:
			atLineStart = bytes.HasSuffix(tok.Bytes, []byte("\n"))
		case hclsyntax.TokenNewline:
			if atLineStart {
				return -1 // a blank line
			}
			atLineStart = true
		case hclsyntax.TokenEOF:
			return -1
		default:
			return tok.Range.Start.Byte
		}
	}
	return -1
}

// graphIgnores converts the ignores of a file to graph ignores of root.
func graphIgnores(pos *positions, root, file string, igs []ignoreComment) []graph.Ignore {
	out := make([]graph.Ignore, 0, len(igs))
	for _, ig := range igs {
		f := ig.fields
		out = append(out, graph.Ignore{
			Root:    root,
			Rules:   f.rules,
			Reason:  f.reason,
			Owner:   f.owner,
			Ticket:  f.ticket,
			Expires: f.expires,
			Range: graph.Range{File: file,
				Start: pos.pos(file, hcl.Pos{Byte: ig.start}),
				End:   pos.pos(file, hcl.Pos{Byte: ig.end})},
			Line:    ig.applies,
			Problem: f.problem,
		})
	}
	return out
}
