package terraform

import (
	"bytes"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// An inline ignore is a comment of the native syntax:
//
//	# portcullis:ignore PCS-AWS-001 the reason, required
//	name = "x" // portcullis:ignore * reason (a trailing comment)
//	/* portcullis:ignore PCS-AWS-001 reason */
//
// on the comment lines directly above a resource block's header, or
// anywhere from its header line to its closing line. Comments are found by
// the HCL lexer, so text in a string or a heredoc is never an ignore. The
// JSON syntax has no comments. Each file is scanned once, when it is
// parsed; a block looks its ignores up by line.

// ignoreText matches the text of a comment (without its markers) that is
// an ignore: the rule id, then the reason.
var ignoreText = regexp.MustCompile(`^\s*portcullis:ignore(?:\s+(\S+))?\s*(.*?)\s*$`)

const ignoreMarker = "portcullis:ignore"

// ignoreComment is one ignore written in a file.
type ignoreComment struct {
	line int // 1-based line of the comment's start
	// attach is the line of the code that follows the comment when only
	// comment lines are between them (the header the comment is directly
	// above); 0 when there is none.
	attach       int
	rule, reason string
	start, end   hcl.Pos // "portcullis:ignore" to the end of the comment's first line
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
		ig.start.Line, ig.end.Line = ig.line, ig.line
		if startsLine(src, tok.Range.Start.Byte) {
			if at := followingCode(tokens[i:]); at >= 0 {
				ig.attach = lineOf(lines, at)
			}
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
// the comment counts.
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
	m := ignoreText.FindSubmatch(body)
	if m == nil {
		return ignoreComment{}, false
	}
	at := marker + bytes.Index(body, []byte(ignoreMarker))
	s := tok.Range.Start
	return ignoreComment{
		rule:   strings.ToValidUTF8(string(m[1]), "\uFFFD"),
		reason: strings.TrimSpace(strings.ToValidUTF8(string(m[2]), "\uFFFD")),
		start:  hcl.Pos{Byte: s.Byte + at},
		end:    hcl.Pos{Byte: s.Byte + len(first)},
	}, true
}

// startsLine reports whether only blanks precede offset on its line.
func startsLine(src []byte, offset int) bool {
	for i := offset - 1; i >= 0 && src[i] != '\n'; i-- {
		if src[i] != ' ' && src[i] != '\t' && src[i] != '\r' {
			return false
		}
	}
	return true
}

// followingCode is the byte offset of the first token after the comment
// tokens[0] when only comment lines are between them; -1 when a blank line
// or the end of the file comes first.
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
			if !atLineStart {
				return -1 // code on the comment's own line
			}
			return tok.Range.Start.Byte
		}
	}
	return -1
}

// suppressions returns the inline ignores of a resource block. An ignore
// without a rule id or without a reason is reported and not applied:
// auditors need the why.
func (e *evaluator) suppressions(block *hcl.Block) []graph.Suppression {
	file := block.DefRange.Filename
	igs := e.cfg.ignores[file]
	if len(igs) == 0 {
		return nil
	}
	header := e.st.pos.pos(file, block.DefRange.Start).Line
	endPos := block.Body.MissingItemRange().End
	if r, ok := block.Body.(interface{ Range() hcl.Range }); ok {
		endPos = r.Range().End
	}
	end := e.st.pos.pos(file, endPos).Line
	// The comments directly above the header, then those within the block.
	i := sort.Search(len(igs), func(i int) bool { return igs[i].line >= header })
	first := i
	for first > 0 && igs[first-1].attach == header {
		first--
	}
	last := i
	for last < len(igs) && igs[last].line <= end {
		last++
	}
	var out []graph.Suppression
	for _, ig := range igs[first:last] {
		rg := graph.Range{File: file, Start: e.st.pos.pos(file, ig.start), End: e.st.pos.pos(file, ig.end)}
		switch {
		case ig.rule == "":
			e.st.diags = append(e.st.diags, graph.Diagnostic{Severity: graph.SeverityWarning,
				Summary: "ignore without a rule id",
				Detail:  "portcullis:ignore needs a rule id (or *) and a reason; it is not applied",
				Range:   rg})
		case ig.reason == "":
			e.st.diags = append(e.st.diags, graph.Diagnostic{Severity: graph.SeverityWarning,
				Summary: "ignore without a reason",
				Detail:  "portcullis:ignore " + ig.rule + " needs a reason after the rule id; it is not applied",
				Range:   rg})
		default:
			out = append(out, graph.Suppression{RuleID: ig.rule, Reason: ig.reason, Range: rg})
		}
	}
	return out
}
