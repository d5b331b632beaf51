package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	yaml "go.yaml.in/yaml/v3"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// decYAMLShortForms maps CloudFormation's YAML short-form tags to the key of
// their long form.
var decYAMLShortForms = map[string]string{
	"!Ref":          "Ref",
	"!Condition":    "Condition",
	"!Base64":       "Fn::Base64",
	"!Cidr":         "Fn::Cidr",
	"!FindInMap":    "Fn::FindInMap",
	"!GetAtt":       "Fn::GetAtt",
	"!GetAZs":       "Fn::GetAZs",
	"!ImportValue":  "Fn::ImportValue",
	"!Join":         "Fn::Join",
	"!Select":       "Fn::Select",
	"!Split":        "Fn::Split",
	"!Sub":          "Fn::Sub",
	"!Transform":    "Fn::Transform",
	"!If":           "Fn::If",
	"!Equals":       "Fn::Equals",
	"!And":          "Fn::And",
	"!Or":           "Fn::Or",
	"!Not":          "Fn::Not",
	"!ToJsonString": "Fn::ToJsonString",
	"!Length":       "Fn::Length",
	"!ForEach":      "Fn::ForEach",
}

// DecodeYAML decodes a YAML template into a Node tree with exact ranges.
//
// Short-form tags are rewritten into their long forms: !Ref X becomes
// {"Ref": "X"}, !Sub s becomes {"Fn::Sub": "s"} and so on; the mapping gets
// the tagged node's range (tag included) and Tag, its key the tag's range,
// its value the range of the content after the tag. The content of a tagged
// scalar is always a string. !GetAtt A.B.C becomes ["A", "B.C"] (split at
// the first dot; attribute names contain dots), each element ranging over
// its part of the scalar. An unknown tag is a warning and is dropped.
//
// Plain scalars are resolved as YAML 1.2's core schema does (yaml.v3):
// true/false are Bool, integers and floats are Number with their literal
// text, null and ~ are Null, everything else, and every quoted or block
// scalar, is String. Aliases are expanded by copying the anchored value
// (the copy's root gets the alias's range), bounded to a million nodes in
// all and to 10,000 levels of nesting; merge keys (<<) are applied,
// explicit keys winning. Duplicate keys are an error, the first value
// being kept. Only the first document of a stream is decoded; more
// documents are a warning.
//
// On a syntax error DecodeYAML reports it at the line yaml.v3 names and
// returns what decodes of the lines before that line. It never panics.
func DecodeYAML(file string, src []byte) (n *Node, diags []graph.Diagnostic) {
	defer decodeRecover(file, &n, &diags)
	d := newDecYAMLDecoder(file, src)
	n = d.decode()
	return n, d.diags
}

func newDecYAMLDecoder(file string, src []byte) *decYAMLDecoder {
	return &decYAMLDecoder{
		file:     file,
		src:      src,
		lines:    newDecodeLines(src, true),
		anchored: map[*yaml.Node]*Node{},
		active:   map[*yaml.Node]bool{},
	}
}

type decYAMLDecoder struct {
	file  string
	src   []byte
	lines *decodeLines
	diags []graph.Diagnostic

	anchored map[*yaml.Node]*Node // decoded anchored nodes, copied for their aliases
	active   map[*yaml.Node]bool  // anchored nodes being decoded (an alias to one is a cycle)
	nodes    int                  // nodes produced
	depth    int                  // the nesting of the node being decoded
	tooMany  bool                 // the node budget was exhausted (reported once)
	tooDeep  bool                 // an alias copy went too deep (reported once)
}

func (d *decYAMLDecoder) rng(start, end int) graph.Range { return d.lines.rng(d.file, start, end) }

func (d *decYAMLDecoder) diag(sev graph.Severity, start, end int, summary, detail string) {
	d.diags = append(d.diags, decodeDiag(sev, d.rng(start, end), summary, detail))
}

func (d *decYAMLDecoder) decode() *Node {
	if bytes.HasPrefix(d.src, []byte{0xFE, 0xFF}) || bytes.HasPrefix(d.src, []byte{0xFF, 0xFE}) {
		d.diag(graph.SeverityError, 0, 0, "the template is UTF-16 encoded", "save it as UTF-8")
		return nil
	}
	dec := yaml.NewDecoder(bytes.NewReader(d.src))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return nil // an empty stream
	}
	if err != nil {
		line := d.syntaxError(err)
		return d.partial(line)
	}
	root := d.document(&doc)
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		start := d.lines.offset(next.Line, next.Column)
		end := start
		if bytes.HasPrefix(d.src[start:], []byte("---")) {
			end = start + 3
		}
		d.diag(graph.SeverityWarning, start, end, "the file holds more than one YAML document",
			"only the first document is read as the template")
	case !errors.Is(err, io.EOF):
		d.syntaxError(err)
	}
	return root
}

// laterTemplate decodes the documents of the stream after the first and
// reports whether one of them is a template, with the line where its
// content starts.
func (d *decYAMLDecoder) laterTemplate() (int, bool) {
	dec := yaml.NewDecoder(bytes.NewReader(d.src))
	var first yaml.Node
	if err := dec.Decode(&first); err != nil {
		return 0, false
	}
	for !d.tooMany {
		var doc yaml.Node
		if err := dec.Decode(&doc); err != nil {
			return 0, false
		}
		if IsTemplate(d.document(&doc)) {
			return doc.Content[0].Line, true
		}
	}
	return 0, false
}

// document decodes a document node's content.
func (d *decYAMLDecoder) document(doc *yaml.Node) *Node {
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 {
		return nil
	}
	n, _ := d.convert(doc.Content[0], -1)
	return n
}

// partial decodes the lines before a syntax error's line, so that what
// precedes a typo is still read.
func (d *decYAMLDecoder) partial(line int) *Node {
	if line < 2 || line > len(d.lines.starts) {
		return nil
	}
	cut := d.src[:d.lines.starts[line-1]]
	var doc yaml.Node
	if err := yaml.NewDecoder(bytes.NewReader(cut)).Decode(&doc); err != nil {
		return nil
	}
	return d.document(&doc)
}

var decYAMLErrLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// decYAMLParserProblems are the messages of yaml.v3's parser (as opposed to
// its scanner): their "line N" is 0-based.
var decYAMLParserProblems = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

var decYAMLReaderProblems = []string{
	"control characters are not allowed",
	"invalid leading UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid trailing UTF-8 octet",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
}

var decYAMLUnknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)

// syntaxError reports a yaml.v3 error and returns its 1-based line (0 when
// unknown). yaml.v3 names a line but no column; the diagnostic covers the
// line. Where the message names no line, the offending character or alias
// is looked up in the source.
func (d *decYAMLDecoder) syntaxError(err error) int {
	msg := err.Error()
	line := 0
	start, end := -1, -1
	if m := decYAMLErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
		for _, p := range decYAMLParserProblems {
			if msg == p {
				line++
				break
			}
		}
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
		for _, p := range decYAMLParserProblems {
			if msg == p {
				line = 1
			}
		}
		for _, p := range decYAMLReaderProblems {
			if msg == p {
				if off := decYAMLBadChar(d.src); off >= 0 {
					start, end = off, d.lines.runeEnd(off)
				}
			}
		}
		if m := decYAMLUnknownAnchor.FindStringSubmatch(err.Error()); m != nil {
			if off := d.findAlias(m[1]); off >= 0 {
				start, end = off, off+1+len(m[1])
			}
		}
	}
	if strings.HasPrefix(msg, "exceeded max depth") {
		if off := d.tooDeepAt(); off >= 0 {
			start, end = off, off+1
		}
	}
	if start < 0 {
		if line < 1 {
			line = 1
		}
		if line > len(d.lines.starts) {
			line = len(d.lines.starts)
		}
		start, end = d.lines.starts[line-1], d.lines.ends[line-1]
	} else {
		line = d.lines.pos(start).Line
	}
	d.diag(graph.SeverityError, start, end, "YAML syntax error", msg)
	return line
}

// decYAMLBadChar returns the offset of the first character yaml.v3's reader
// rejects (invalid UTF-8, a control character), or -1.
func decYAMLBadChar(src []byte) int {
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		ok := r == 0x09 || r == 0x0A || r == 0x0D || (r >= 0x20 && r <= 0x7E) || r == 0x85 ||
			(r >= 0xA0 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF)
		if r == utf8.RuneError && size <= 1 {
			ok = false
		}
		if !ok {
			return i
		}
		i += size
	}
	return -1
}

// tooDeepAt returns the offset of the bracket that opens a flow
// collection more than decodeMaxDepth levels deep (skipping quoted scalars
// and comments), or -1: where yaml.v3 stops with "exceeded max depth".
func (d *decYAMLDecoder) tooDeepAt() int {
	src := d.src
	depth := 0
	for i := 0; i < len(src); i++ {
		switch c := src[i]; c {
		case '[', '{':
			if depth++; depth > decodeMaxDepth {
				return i
			}
		case ']', '}':
			depth = max(depth-1, 0)
		case '#':
			if i == 0 || decYAMLBlank(src[i-1]) || d.isBreakEnd(i) {
				i = d.lines.lineEnd(i) - 1
			}
		case '"', '\'':
			if i == 0 || decYAMLBlank(src[i-1]) || d.isBreakEnd(i) || strings.IndexByte("[{,:", src[i-1]) >= 0 {
				i = d.quotedEnd(i, c) - 1
			}
		}
	}
	return -1
}

// findAlias returns the offset of the alias *name in the source, or -1.
func (d *decYAMLDecoder) findAlias(name string) int {
	needle := []byte("*" + name)
	for from := 0; ; {
		i := bytes.Index(d.src[from:], needle)
		if i < 0 {
			return -1
		}
		i += from
		if j := i + len(needle); j >= len(d.src) || !decYAMLAnchorChar(d.src[j]) {
			return i
		}
		from = i + 1
	}
}

func decYAMLAnchorChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '-'
}

func decYAMLBlank(c byte) bool { return c == ' ' || c == '\t' }

// decYAMLProps is where a node's properties (tag, anchor) and content lie.
type decYAMLProps struct {
	tagStart, tagEnd int // -1 when there is no tag in the source
	propsEnd         int // the end of the last property (the start when none)
	content          int // the start of the content
}

// props lexes the properties at off: at most maxTags tags and maxAnchors
// anchors, in any order, then the white space, comments and line breaks
// before the content.
func (d *decYAMLDecoder) props(off, maxTags, maxAnchors int) decYAMLProps {
	src := d.src
	p := decYAMLProps{tagStart: -1, tagEnd: -1, propsEnd: off, content: off}
	i := off
	for i < len(src) {
		switch {
		case src[i] == '!' && maxTags > 0:
			maxTags--
			p.tagStart = i
			for i < len(src) && !decYAMLBlank(src[i]) && d.lines.breakLen(i) == 0 {
				i++
			}
			p.tagEnd = i
		case src[i] == '&' && maxAnchors > 0:
			maxAnchors--
			i++
			for i < len(src) && decYAMLAnchorChar(src[i]) {
				i++
			}
		default:
			return p
		}
		p.propsEnd = i
		i = d.skipSpace(i, false)
		p.content = i
	}
	return p
}

// skipSpace skips blanks, line breaks and comments from off (and commas,
// when flow is set: between the entries of a flow collection).
func (d *decYAMLDecoder) skipSpace(off int, flow bool) int {
	src := d.src
	i := off
	for i < len(src) {
		switch c := src[i]; {
		case decYAMLBlank(c):
			i++
		case flow && c == ',':
			i++
		case c == '#' && (i == 0 || decYAMLBlank(src[i-1]) || d.isBreakEnd(i)):
			i = d.lines.lineEnd(i)
		default:
			n := d.lines.breakLen(i)
			if n == 0 {
				return i
			}
			i += n
		}
	}
	return i
}

// isBreakEnd reports whether a line break ends right before off.
func (d *decYAMLDecoder) isBreakEnd(off int) bool {
	l := d.lines.lineOf(off)
	return d.lines.starts[l] == off
}

// col0 returns the 0-based column of off (yaml.v3's indentation unit).
func (d *decYAMLDecoder) col0(off int) int { return d.lines.pos(off).Column - 1 }

// decYAMLSpan is the extent of a decoded YAML node in the source.
type decYAMLSpan struct{ start, end int }

// convert decodes yn. parentIndent is the 0-based column of the enclosing
// block collection (-1 at the top), which fixes the indentation of block
// scalars.
func (d *decYAMLDecoder) convert(yn *yaml.Node, parentIndent int) (*Node, decYAMLSpan) {
	p := d.lines.offset(yn.Line, yn.Column)
	tagged := yn.Style&yaml.TaggedStyle != 0
	maxTags, maxAnchors := 1, 1
	if yn.Kind == yaml.MappingNode {
		// The properties of a block mapping's first key are at the
		// mapping's position: skip only those the mapping has.
		if !tagged {
			maxTags = 0
		}
		if yn.Anchor == "" {
			maxAnchors = 0
		}
	}
	pr := d.props(p, maxTags, maxAnchors)
	if yn.Anchor != "" {
		d.active[yn] = true
	}
	d.depth++
	defer func() { d.depth-- }()
	var n *Node
	var end int
	switch yn.Kind {
	case yaml.ScalarNode:
		n, end = d.scalar(yn, &pr, parentIndent)
	case yaml.SequenceNode:
		n, end = d.sequence(yn, pr.content)
	case yaml.MappingNode:
		n, end = d.mapping(yn, pr.content)
	case yaml.AliasNode:
		n, end = d.alias(yn, pr.content)
	default:
		d.nodes++
		n, end = &Node{Kind: Null}, pr.content
	}
	n.Range = d.rng(pr.content, end)
	start := pr.content

	if tagged {
		n, start = d.applyTag(yn, n, &pr, end)
	}
	if yn.Anchor != "" {
		delete(d.active, yn)
		d.anchored[yn] = n
	}
	return n, decYAMLSpan{start, end}
}

// applyTag rewrites a short-form tagged node into its long form, or warns
// about an unknown tag.
func (d *decYAMLDecoder) applyTag(yn *yaml.Node, content *Node, pr *decYAMLProps, end int) (*Node, int) {
	tag := yn.Tag
	if strings.HasPrefix(tag, "!!") {
		return content, pr.content // a standard tag: resolved already
	}
	tagStart, tagEnd := pr.tagStart, pr.tagEnd
	if tagStart < 0 { // not found in the source: assume it starts the node
		tagStart = pr.content
		tagEnd = min(tagStart+len(tag), end)
	}
	name, ok := decYAMLShortForms[tag]
	if !ok {
		d.diag(graph.SeverityWarning, tagStart, tagEnd, fmt.Sprintf("unknown tag %q", tag),
			"the tag is ignored; CloudFormation's short forms are !Ref, !Condition, !GetAtt, !Sub, !Join, !If, ...")
		return content, pr.content
	}
	d.nodes += 2
	key := &Node{Kind: String, Value: name, Range: d.rng(tagStart, tagEnd)}
	return &Node{
		Kind:   Mapping,
		Keys:   []*Node{key},
		Values: []*Node{content},
		Range:  d.rng(tagStart, end),
		Tag:    tag,
	}, tagStart
}

// scalar decodes a scalar whose content starts at pr.content and returns
// its end.
func (d *decYAMLDecoder) scalar(yn *yaml.Node, pr *decYAMLProps, parentIndent int) (*Node, int) {
	d.nodes++
	end := d.scalarEnd(yn, pr, parentIndent)
	c := pr.content
	if yn.Style&yaml.TaggedStyle != 0 {
		if _, short := decYAMLShortForms[yn.Tag]; short {
			// The content of a short form is a string, as written.
			if yn.Tag == "!GetAtt" {
				if n := d.getAttParts(yn, c, end); n != nil {
					return n, end
				}
			}
			return &Node{Kind: String, Value: yn.Value}, end
		}
	}
	return decYAMLScalarNode(yn), end
}

// scalarEnd returns the end of a scalar whose content starts at
// pr.content. An empty plain scalar has nothing in the source: its content
// is moved right after the properties.
func (d *decYAMLDecoder) scalarEnd(yn *yaml.Node, pr *decYAMLProps, parentIndent int) int {
	style := yn.Style &^ (yaml.TaggedStyle | yaml.FlowStyle)
	c := pr.content
	switch {
	case style == 0 && yn.Value == "":
		pr.content = pr.propsEnd
		return pr.content
	case style&yaml.DoubleQuotedStyle != 0:
		return d.quotedEnd(c, '"')
	case style&yaml.SingleQuotedStyle != 0:
		return d.quotedEnd(c, '\'')
	case style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		return d.blockEnd(c, parentIndent)
	default:
		return d.plainEnd(c, yn.Value)
	}
}

// decYAMLScalarNode resolves an untagged (or standard-tagged) scalar.
func decYAMLScalarNode(yn *yaml.Node) *Node {
	if yn.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) != 0 ||
		yn.Tag == "!!str" {
		return &Node{Kind: String, Value: yn.Value}
	}
	switch (&yaml.Node{Kind: yaml.ScalarNode, Value: yn.Value}).ShortTag() {
	case "!!bool":
		return &Node{Kind: Bool, Value: strings.ToLower(yn.Value)}
	case "!!int", "!!float":
		return &Node{Kind: Number, Value: yn.Value}
	case "!!null":
		return &Node{Kind: Null}
	}
	return &Node{Kind: String, Value: yn.Value}
}

// getAttParts splits !GetAtt A.B.C at the first dot into ["A", "B.C"], each
// part ranging over its text (or over the whole scalar when escapes or line
// folding make the text differ from the value). It returns nil when the
// value has no dot.
func (d *decYAMLDecoder) getAttParts(yn *yaml.Node, c, end int) *Node {
	v := yn.Value
	dot := strings.IndexByte(v, '.')
	if dot < 0 {
		return nil
	}
	in, inEnd := c, end
	if yn.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0 && end-c >= 2 {
		in, inEnd = c+1, end-1
	}
	r1, r2 := d.rng(c, end), d.rng(c, end)
	if inEnd-in == len(v) && string(d.src[in:inEnd]) == v {
		r1, r2 = d.rng(in, in+dot), d.rng(in+dot+1, inEnd)
	}
	d.nodes += 2
	return &Node{Kind: Sequence, Items: []*Node{
		{Kind: String, Value: v[:dot], Range: r1},
		{Kind: String, Value: v[dot+1:], Range: r2},
	}}
}

// quotedEnd returns the offset after the quoted scalar starting at c.
func (d *decYAMLDecoder) quotedEnd(c int, q byte) int {
	src := d.src
	if c >= len(src) || src[c] != q {
		return min(c, len(src))
	}
	for i := c + 1; i < len(src); i++ {
		switch src[i] {
		case '\\':
			if q == '"' {
				i++
			}
		case q:
			if q == '\'' && i+1 < len(src) && src[i+1] == '\'' {
				i++ // '' is an escaped quote
				continue
			}
			return i + 1
		}
	}
	return len(src)
}

// plainEnd returns the end of the plain scalar starting at c whose value is
// value. A plain scalar may span lines (each line break folds into a space,
// k empty lines into k newlines): the source is matched against the value
// line by line.
func (d *decYAMLDecoder) plainEnd(c int, value string) int {
	src := d.src
	rem := value
	i := c
	for i <= len(src) {
		le := d.lines.lineEnd(i)
		line := src[i:le]
		t := bytes.TrimRight(line, " \t")
		if len(rem) > len(t) && strings.HasPrefix(rem, string(t)) {
			// The scalar continues on a later line.
			after := rem[len(t):]
			j := le + d.lines.breakLen(le)
			empty := 0
			for j < len(src) {
				k := j
				for k < len(src) && decYAMLBlank(src[k]) {
					k++
				}
				n := d.lines.breakLen(k)
				if n == 0 {
					j = k
					break
				}
				empty++
				j = k + n
			}
			folded := decYAMLConsumeFold(after, empty)
			if folded < 0 || j >= len(src) || j <= le {
				break
			}
			rem = after[folded:]
			i = j
			continue
		}
		if bytes.HasPrefix(line, []byte(rem)) {
			return i + len(rem)
		}
		break
	}
	// The source does not match the value: end at what matches on the
	// first line.
	le := d.lines.lineEnd(c)
	k := 0
	for k < len(value) && c+k < le && src[c+k] == value[k] {
		k++
	}
	return c + k
}

// decYAMLConsumeFold returns the length of the folding, at the start of s, of
// a line break followed by empty lines: a space, or up to empty+1 line
// break characters; -1 when s does not start with one.
func decYAMLConsumeFold(s string, empty int) int {
	if empty == 0 && strings.HasPrefix(s, " ") {
		return 1
	}
	n := 0
	for count := 0; count <= empty; count++ {
		switch {
		case strings.HasPrefix(s[n:], "\n"):
			n++
		case strings.HasPrefix(s[n:], "\u2028"), strings.HasPrefix(s[n:], "\u2029"):
			n += 3
		default:
			if n == 0 {
				return -1
			}
			return n
		}
	}
	return n
}

// blockEnd returns the end of the literal (|) or folded (>) block scalar
// whose header starts at c: the end of its last line holding more than
// white space, or the end of the header for an empty block.
func (d *decYAMLDecoder) blockEnd(c, parentIndent int) int {
	src := d.src
	if c >= len(src) {
		return len(src)
	}
	i := c + 1
	increment := 0
	for i < len(src) && (src[i] == '+' || src[i] == '-' || src[i] >= '0' && src[i] <= '9') {
		if src[i] >= '1' && src[i] <= '9' {
			increment = int(src[i] - '0')
		}
		i++
	}
	end := i
	le := d.lines.lineEnd(i)
	if le >= len(src) {
		return end
	}
	first := le + d.lines.breakLen(le)
	spaces := func(j int) int {
		k := j
		for k < len(src) && src[k] == ' ' {
			k++
		}
		return k - j
	}
	indent := 0
	if increment > 0 {
		indent = increment
		if parentIndent >= 0 {
			indent = parentIndent + increment
		}
	} else {
		// Auto-detected: the indentation of the first non-empty line (at
		// least that of the leading empty lines, and deeper than the
		// parent).
		maxIndent := 0
		for j := first; j < len(src); {
			s := spaces(j)
			maxIndent = max(maxIndent, s)
			n := d.lines.breakLen(j + s)
			if n == 0 {
				break
			}
			j += s + n
		}
		indent = max(maxIndent, parentIndent+1, 1)
	}
	for j := first; j < len(src); {
		s := spaces(j)
		k := j + s
		if k >= len(src) {
			break
		}
		if n := d.lines.breakLen(k); n > 0 {
			j = k + n // an empty line
			continue
		}
		if s < indent {
			break // a less indented line ends the block
		}
		le := d.lines.lineEnd(k)
		end = le
		j = le + d.lines.breakLen(le)
	}
	return end
}

// sequence decodes a sequence whose content starts at c.
func (d *decYAMLDecoder) sequence(yn *yaml.Node, c int) (*Node, int) {
	d.nodes++
	n := &Node{Kind: Sequence}
	flow := c < len(d.src) && d.src[c] == '['
	indent := d.col0(c)
	last := c
	if flow {
		last = c + 1
	}
	for _, child := range yn.Content {
		cn, cs := d.convert(child, indent)
		n.Items = append(n.Items, cn)
		last = max(last, cs.end)
	}
	if flow {
		return n, d.flowClose(c, last, ']')
	}
	return n, last
}

// mapping decodes a mapping whose content starts at c.
func (d *decYAMLDecoder) mapping(yn *yaml.Node, c int) (*Node, int) {
	d.nodes++
	n := &Node{Kind: Mapping}
	braces := c < len(d.src) && d.src[c] == '{'
	indent := d.col0(c)
	last := c
	if braces {
		last = c + 1
	}

	// Explicit keys win over merged ones wherever they are written.
	explicit := map[string]bool{}
	for i := 0; i+1 < len(yn.Content); i += 2 {
		if k := yn.Content[i]; !decYAMLIsMerge(k) {
			if name, ok := decYAMLKeyName(k); ok {
				explicit[name] = true
			}
		}
	}
	seen := map[string]*Node{}
	merged := map[string]bool{}
	for i := 0; i+1 < len(yn.Content); i += 2 {
		yk, yv := yn.Content[i], yn.Content[i+1]
		if decYAMLIsMerge(yk) {
			_, ks := d.convert(yk, indent)
			vn, vs := d.convert(yv, indent)
			last = max(last, ks.end, vs.end)
			d.merge(n, vn, explicit, merged)
			continue
		}
		kn, kend := d.key(yk, indent)
		vn, vs := d.convert(yv, indent)
		last = max(last, kend, vs.end)
		if kn == nil {
			continue
		}
		if first := seen[kn.Value]; first != nil {
			d.diags = append(d.diags, decodeDiag(graph.SeverityError, kn.Range,
				fmt.Sprintf("duplicate key %q", kn.Value),
				fmt.Sprintf("the key is defined at line %d and again at line %d; CloudFormation uses the last value, and so does Portcullis",
					first.Range.Start.Line, kn.Range.Start.Line)))
			for i, k := range n.Keys {
				if k.Value == kn.Value {
					n.Keys[i], n.Values[i] = kn, vn
				}
			}
			seen[kn.Value] = kn
			continue
		}
		seen[kn.Value] = kn
		n.Keys = append(n.Keys, kn)
		n.Values = append(n.Values, vn)
	}
	if braces {
		return n, d.flowClose(c, last, '}')
	}
	return n, last
}

func decYAMLIsMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.Style&^yaml.TaggedStyle == 0 && k.Value == "<<" &&
		(k.Tag == "!!merge" || k.Tag == "")
}

// decYAMLKeyName returns the text of a scalar key (or of an alias to one).
func decYAMLKeyName(k *yaml.Node) (string, bool) {
	if k.Kind == yaml.AliasNode && k.Alias != nil {
		k = k.Alias
	}
	if k.Kind != yaml.ScalarNode {
		return "", false
	}
	return k.Value, true
}

// merge applies a merge key's value (a mapping or a list of mappings) to n:
// keys n defines explicitly, or an earlier merged mapping defined, win.
func (d *decYAMLDecoder) merge(n, v *Node, explicit, merged map[string]bool) {
	sources := []*Node{v}
	if v.Kind == Sequence {
		sources = v.Items
	}
	for _, s := range sources {
		if s.Kind != Mapping {
			d.diags = append(d.diags, decodeDiag(graph.SeverityError, s.Range,
				"a merge key (<<) needs a mapping or a list of mappings", ""))
			continue
		}
		for j, k := range s.Keys {
			if explicit[k.Value] || merged[k.Value] {
				continue
			}
			merged[k.Value] = true
			n.Keys = append(n.Keys, k)
			n.Values = append(n.Values, s.Values[j])
		}
	}
}

// key decodes a mapping key into a String node; it returns nil (and
// reports it) for a key that is not a scalar. The int is the key's end.
func (d *decYAMLDecoder) key(yk *yaml.Node, indent int) (*Node, int) {
	switch yk.Kind {
	case yaml.ScalarNode:
		p := d.lines.offset(yk.Line, yk.Column)
		pr := d.props(p, 1, 1)
		end := d.scalarEnd(yk, &pr, indent)
		d.nodes++
		kn := &Node{Kind: String, Value: yk.Value, Range: d.rng(pr.content, end)}
		if yk.Style&yaml.TaggedStyle != 0 && !strings.HasPrefix(yk.Tag, "!!") {
			start := pr.tagStart
			if start < 0 {
				start = p
			}
			d.diag(graph.SeverityError, start, end, fmt.Sprintf("a mapping key cannot have the tag %q", yk.Tag),
				"the key is read as the string "+strconv.Quote(yk.Value))
		}
		return kn, end
	case yaml.AliasNode:
		start := d.lines.offset(yk.Line, yk.Column)
		end := d.aliasEnd(start)
		if yk.Alias != nil && yk.Alias.Kind == yaml.ScalarNode {
			d.nodes++
			return &Node{Kind: String, Value: yk.Alias.Value, Range: d.rng(start, end)}, end
		}
		d.diag(graph.SeverityError, start, end, "a mapping key must be a string", "")
		return nil, end
	default:
		kn, ks := d.convert(yk, indent)
		d.diags = append(d.diags, decodeDiag(graph.SeverityError, kn.Range, "a mapping key must be a string", ""))
		return nil, ks.end
	}
}

// aliasEnd returns the end of the alias *name starting at c.
func (d *decYAMLDecoder) aliasEnd(c int) int {
	i := c
	if i < len(d.src) && d.src[i] == '*' {
		i++
	}
	for i < len(d.src) && decYAMLAnchorChar(d.src[i]) {
		i++
	}
	return i
}

// alias decodes an alias into a copy of the anchored node.
func (d *decYAMLDecoder) alias(yn *yaml.Node, c int) (*Node, int) {
	end := d.aliasEnd(c)
	target := yn.Alias
	switch {
	case target == nil:
	case d.active[target]:
		d.diag(graph.SeverityError, c, end, fmt.Sprintf("alias *%s refers to its own anchor", yn.Value),
			"the value contains itself; it is read as null")
	case d.tooMany:
	default:
		src := d.anchored[target]
		if src == nil {
			break
		}
		deep := false
		if cp := d.copyNode(src, d.depth, &deep); cp != nil {
			return cp, end
		}
		if deep {
			if !d.tooDeep {
				d.tooDeep = true
				d.diag(graph.SeverityError, c, end, "aliases nest too deep",
					fmt.Sprintf("expanding this alias nests values more than %d levels deep; it is read as null", decodeMaxDepth))
			}
			break
		}
		d.tooMany = true
		d.diag(graph.SeverityError, c, end, "too many aliases",
			fmt.Sprintf("expanding the aliases of this document produces more than %d nodes; the remaining aliases are read as null", decodeMaxNodes))
	}
	d.nodes++
	return &Node{Kind: Null}, end
}

// copyNode deep-copies n, placed depth levels deep, within the node budget
// and the depth bound; nil when one is exceeded (deep tells which).
func (d *decYAMLDecoder) copyNode(n *Node, depth int, deep *bool) *Node {
	if depth > decodeMaxDepth {
		*deep = true
		return nil
	}
	if d.nodes >= decodeMaxNodes {
		return nil
	}
	d.nodes++
	cp := &Node{Kind: n.Kind, Value: n.Value, Range: n.Range, Tag: n.Tag}
	if n.Items != nil {
		cp.Items = make([]*Node, len(n.Items))
		for i, it := range n.Items {
			if cp.Items[i] = d.copyNode(it, depth+1, deep); cp.Items[i] == nil {
				return nil
			}
		}
	}
	if n.Keys != nil {
		cp.Keys = make([]*Node, len(n.Keys))
		cp.Values = make([]*Node, len(n.Values))
		for i := range n.Keys {
			if cp.Keys[i] = d.copyNode(n.Keys[i], depth+1, deep); cp.Keys[i] == nil {
				return nil
			}
			if cp.Values[i] = d.copyNode(n.Values[i], depth+1, deep); cp.Values[i] == nil {
				return nil
			}
		}
	}
	return cp
}

// flowClose returns the end of the flow collection opened at open, whose
// last entry ends at last: past the closing bracket.
func (d *decYAMLDecoder) flowClose(open, last int, closer byte) int {
	i := d.skipSpace(last, true)
	if i < len(d.src) && d.src[i] == closer {
		return i + 1
	}
	return d.matchFlow(open)
}

// matchFlow finds the bracket closing the flow collection opened at open by
// scanning the source (skipping quoted scalars and comments): the fallback
// of flowClose.
func (d *decYAMLDecoder) matchFlow(open int) int {
	src := d.src
	depth := 0
	for i := open; i < len(src); i++ {
		c := src[i]
		switch c {
		case '[', '{':
			depth++
		case ']', '}':
			depth--
			if depth == 0 {
				return i + 1
			}
		case '#':
			if i > 0 && (decYAMLBlank(src[i-1]) || d.isBreakEnd(i)) {
				i = d.lines.lineEnd(i) - 1
			}
		case '"', '\'':
			if i > 0 && (decYAMLBlank(src[i-1]) || d.isBreakEnd(i) || strings.IndexByte("[{,:", src[i-1]) >= 0) {
				i = d.quotedEnd(i, c) - 1
			}
		}
	}
	return len(src)
}
