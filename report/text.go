// Package report writes a scan's findings for people and pipelines: text for
// a terminal (WriteText), a versioned JSON document (WriteJSON), GitHub
// workflow annotations (WriteGitHub), a Markdown job summary
// (WriteMarkdown), JUnit XML (WriteJUnit), a SOC 2 evidence CSV
// (WriteSOC2CSV) and a self-contained HTML audit report (WriteHTML). SARIF
// lives in package sarif. docs/output-formats.md describes them for users.
//
// Every writer is deterministic: the same report gives byte-identical
// output, whatever the order of its slices, the host, the time or the
// environment (colour is chosen by the caller, see ColorEnabled).
package report

import (
	"bufio"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mattn/go-isatty"
	"github.com/mattn/go-runewidth"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// TextOptions tunes WriteText.
type TextOptions struct {
	// Color adds ANSI colour and bold. Decide it with ColorEnabled.
	Color bool
	// ByControl lists the findings under each control their rules evidence
	// (see WriteText) instead of one after the other.
	ByControl bool
	// Style is how much is written: StyleFull ("" too), StyleCompact or
	// StyleQuiet.
	Style string
}

// The styles of the text output.
const (
	// StyleFull writes every finding with its resource, source line,
	// provenance and its rule's remediation.
	StyleFull = "full"
	// StyleCompact writes every finding as its first line, message and
	// source line, then each rule's remediation once, under "How to fix".
	StyleCompact = "compact"
	// StyleQuiet writes only the error diagnostics and the summary.
	StyleQuiet = "quiet"
)

// ColorEnabled reports whether output to f should be coloured: f is a
// terminal, NO_COLOR is unset or empty (https://no-color.org) and TERM is
// not "dumb".
func ColorEnabled(f *os.File) bool {
	if f == nil || os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fd := f.Fd()
	return isatty.IsTerminal(fd) || isatty.IsCygwinTerminal(fd)
}

// Layout constants of the text format.
const (
	tabWidth          = 4   // tab stops when quoting source lines
	wrapWidth         = 80  // remediation text is wrapped to this many cells
	remediationBudget = 240 // characters of remediation prose shown per finding
	maxLineCols       = 120 // longer source lines are cut around the marked part (see quotedLine)
	leftContext       = 30  // cells kept before the marked part of a cut line
)

// widths measures terminal cells independently of the host's locale (the
// package default reads LANG and friends): East Asian ambiguous characters
// count as one cell.
var widths = &runewidth.Condition{EastAsianWidth: false, StrictEmojiNeutral: true}

// WriteText writes r for a terminal: each finding with its location,
// severity, rule, message, the source line with the offending part marked,
// the provenance of its value and the rule's remediation; then the
// diagnostics; then a one-line summary.
//
// A finding reads:
//
//	main.tf:9:19: critical: PCL-AWS-001 Security group allows ingress from the internet
//	  Security group "aws_security_group.web" allows ingress from 0.0.0.0/0 on port 22
//	  resource aws_security_group.web, attribute ingress.0.cidr_blocks
//	  9 |     cidr_blocks = ["0.0.0.0/0"]
//	    |                   ^^^^^^^^^^^^^
//	  value from the default of var.cidr (variables.tf:2:13)
//	  Remediation: Restrict `cidr_blocks` to the networks that need access.
//	  See https://github.com/portcullis-iac/portcullis/blob/main/docs/rules/PCL-AWS-001.md
//
// With ByControl, the findings are listed under each control their rules
// list, SOC 2 first ("SOC2:CC6.1 (2 findings)"), each by its first line and
// message; a finding is under as many controls as its rule lists, and those
// of rules that list none under "(no control)". Controls without findings
// are left out (the JSON output lists them).
//
// Findings that the triage stage took out (Suppressed) are not listed in
// any style: the summary counts them by kind ("; not counted: 2 ignored
// inline, 1 excepted"), and the other formats list them with their reasons.
//
// StyleCompact writes each finding as its first line, message and source
// line, and after the findings, under "How to fix", each rule's
// remediation once, in rule ID order. StyleQuiet writes only the error
// diagnostics and the summary.
//
// Text that comes from the scanned files or from policies is stripped of
// control characters, so a hostile file cannot drive the terminal.
func WriteText(w io.Writer, r *finding.Report, opts TextOptions) error {
	switch opts.Style {
	case "", StyleFull, StyleCompact, StyleQuiet:
	default:
		return fmt.Errorf("unknown text style %q (want %s, %s or %s)", opts.Style, StyleFull, StyleCompact, StyleQuiet)
	}
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, color: opts.Color, report: r, rules: ruleIndex(r.Rules), src: sourceCache{files: r.Sources}}
	all, diags := sortedCopies(r)
	findings, suppressed := splitSuppressed(all)
	if opts.Style == StyleQuiet {
		var errs []graph.Diagnostic
		for _, d := range diags {
			if d.Severity == graph.SeverityError {
				errs = append(errs, d)
			}
		}
		for _, d := range errs {
			t.diagnostic(d)
		}
		if len(errs) > 0 {
			t.line("")
		}
		t.summary(findings, suppressed, diags, r.Resources, r.NotCreated)
		return bw.Flush()
	}
	compact := opts.Style == StyleCompact
	switch {
	case opts.ByControl:
		t.byControl(findings)
	case compact:
		for _, f := range findings {
			t.head(f, "")
			t.snippet(f.Location.Range, severityStyle(f.Severity))
		}
	default:
		for i, f := range findings {
			if i > 0 {
				t.line("")
			}
			t.finding(f)
		}
	}
	if compact && len(findings) > 0 {
		t.howToFix(findings)
	}
	if len(diags) > 0 {
		if len(findings) > 0 {
			t.line("")
		}
		for _, d := range diags {
			t.diagnostic(d)
		}
	}
	if len(findings) > 0 || len(diags) > 0 {
		t.line("")
	}
	t.summary(findings, suppressed, diags, r.Resources, r.NotCreated)
	return bw.Flush()
}

// splitSuppressed separates the open findings from the suppressed ones,
// keeping their order.
func splitSuppressed(all []finding.Finding) (open, suppressed []finding.Finding) {
	for _, f := range all {
		if f.Suppressed != nil {
			suppressed = append(suppressed, f)
		} else {
			open = append(open, f)
		}
	}
	return open, suppressed
}

// howToFix writes, under a "How to fix" heading, the remediation and page
// of each rule that has findings, once, in rule ID order.
func (t *textWriter) howToFix(findings []finding.Finding) {
	counts := map[string]int{}
	var ids []string
	for _, f := range findings {
		if _, known := t.rules[f.RuleID]; !known {
			continue // nothing to say about a rule that is not loaded
		}
		if counts[f.RuleID] == 0 {
			ids = append(ids, f.RuleID)
		}
		counts[f.RuleID]++
	}
	if len(ids) == 0 {
		return
	}
	sort.Strings(ids)
	t.line("")
	t.line(t.paint(styleBold, "How to fix"))
	for _, id := range ids {
		rule := t.rules[id]
		head := t.paint(styleBold, oneLine(id))
		if rule.Title != "" {
			head += " " + oneLine(rule.Title)
		}
		t.line(head + " (" + plural(counts[id], "finding") + ")")
		if para := firstParagraph(rule.Remediation); para != "" {
			t.remediation(para)
		}
		if u := docURL(t.report.Tool.RulesURI, rule); u != "" {
			t.line("  See " + u)
		}
	}
}

// ANSI styles.
const (
	styleReset  = "\x1b[0m"
	styleBold   = "\x1b[1m"
	styleRed    = "\x1b[31m"
	styleBoldRd = "\x1b[1;31m"
	styleYellow = "\x1b[33m"
	styleGreen  = "\x1b[32m"
	styleBlue   = "\x1b[34m"
	styleCyan   = "\x1b[36m"
	styleFaint  = "\x1b[2m"
)

func severityStyle(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return styleBoldRd
	case finding.High:
		return styleRed
	case finding.Medium:
		return styleYellow
	case finding.Low:
		return styleCyan
	}
	return styleBold
}

func diagnosticStyle(s graph.Severity) string {
	switch s {
	case graph.SeverityError:
		return styleRed
	case graph.SeverityNote:
		return styleCyan
	}
	return styleYellow
}

type textWriter struct {
	w      *bufio.Writer
	color  bool
	report *finding.Report
	rules  map[string]finding.Rule
	src    sourceCache
}

// paint wraps s in style when colour is on.
func (t *textWriter) paint(style, s string) string {
	if !t.color || s == "" {
		return s
	}
	return style + s + styleReset
}

func (t *textWriter) line(s string) {
	// bufio.Writer errors are sticky: WriteText returns them from Flush.
	_, _ = t.w.WriteString(s)
	_ = t.w.WriteByte('\n')
}

// byControl writes the findings under each control (see WriteText).
func (t *textWriter) byControl(findings []finding.Finding) {
	n := 0
	for _, g := range byControl(t.rules, findings) {
		if len(g.findings) == 0 {
			continue
		}
		if n > 0 {
			t.line("")
		}
		n++
		t.line(t.paint(styleBold, oneLine(g.control)) + " (" + plural(len(g.findings), "finding") + ")")
		for _, i := range g.findings {
			t.head(findings[i], "  ")
		}
	}
}

// head writes a finding's first line (position, severity, rule) and its
// message, indented.
func (t *textWriter) head(f finding.Finding, indent string) {
	rule, known := t.rules[f.RuleID]
	head := t.paint(styleBold, position(f.Location.Range)+":") + " " +
		t.paint(severityStyle(f.Severity), severityName(string(f.Severity))+":") + " " +
		t.paint(styleBold, clean(f.RuleID))
	if known && rule.Title != "" {
		head += " " + t.paint(styleBold, oneLine(rule.Title))
	}
	t.line(indent + head)

	if msg := strings.TrimSpace(f.Message); msg != "" {
		for _, l := range strings.Split(clean(msg), "\n") {
			t.line(strings.TrimRight(indent+"  "+l, " "))
		}
	}
}

func (t *textWriter) finding(f finding.Finding) {
	rule, known := t.rules[f.RuleID]
	rg := f.Location.Range
	t.head(f, "")
	if f.Resource != "" {
		s := "  resource " + oneLine(f.Resource)
		if f.Attribute != "" {
			s += ", attribute " + oneLine(f.Attribute)
		}
		t.line(t.paint(styleFaint, s))
	}

	t.snippet(rg, severityStyle(f.Severity))

	for _, o := range f.Location.Related {
		s := "  " + oneLine(nonEmpty(o.Description, "related location"))
		if o.Range.File != "" {
			s += " (" + position(o.Range) + ")"
		}
		t.line(t.paint(styleCyan, s))
	}

	if known {
		if para := firstParagraph(rule.Remediation); para != "" {
			t.remediation(para)
		}
		if u := docURL(t.report.Tool.RulesURI, rule); u != "" {
			t.line("  See " + u)
		}
	}
}

// remediation writes the first paragraph of a rule's remediation: prose is
// re-flowed to wrapWidth, a list or code block keeps its lines.
func (t *textWriter) remediation(para string) {
	label := t.paint(styleGreen, "Remediation:")
	lines := strings.Split(para, "\n")
	if verbatim(lines) {
		t.line("  " + label)
		for _, l := range lines {
			t.line(strings.TrimRight("    "+l, " "))
		}
		return
	}
	const indent = "    "
	wrapped := wrap(brief(strings.Join(lines, " ")), wrapWidth-len("  Remediation: "), wrapWidth-len(indent))
	t.line("  " + label + " " + wrapped[0])
	for _, l := range wrapped[1:] {
		t.line(indent + l)
	}
}

// wrap breaks text into lines of at most first cells for the first line
// and rest cells for the others, between words; a word longer than a line
// (a URL) gets a line of its own.
func wrap(text string, first, rest int) []string {
	var lines []string
	var cur strings.Builder
	curW, limit := 0, first
	for _, word := range strings.Fields(text) {
		ww := widths.StringWidth(word)
		if curW > 0 && curW+1+ww > limit {
			lines = append(lines, cur.String())
			cur.Reset()
			curW, limit = 0, rest
		}
		if curW > 0 {
			cur.WriteByte(' ')
			curW++
		}
		cur.WriteString(word)
		curW += ww
	}
	return append(lines, cur.String())
}

// brief shortens prose to its first sentences, as many as fit in
// remediationBudget characters (always the first), so that a finding stays
// a few lines long; the rule's page, linked below it, has the rest. A last
// sentence that ends with a colon introduces something left out, and goes
// too.
func brief(prose string) string {
	sentences := splitSentences(strings.Join(strings.Fields(prose), " "))
	n, size := 1, len(sentences[0])
	for n < len(sentences) && size+1+len(sentences[n]) <= remediationBudget {
		size += 1 + len(sentences[n])
		n++
	}
	if n > 1 && strings.HasSuffix(sentences[n-1], ":") {
		n--
	}
	return strings.Join(sentences[:n], " ")
}

// splitSentences splits s (with single spaces) after '.', '!' or '?' when
// a space and an upper-case letter, digit, quote or backtick follow.
func splitSentences(s string) []string {
	var out []string
	start := 0
	for i := 0; i+2 < len(s); i++ {
		switch s[i] {
		case '.', '!', '?':
		default:
			continue
		}
		if s[i+1] != ' ' {
			continue
		}
		next, _ := utf8.DecodeRuneInString(s[i+2:])
		if unicode.IsUpper(next) || unicode.IsDigit(next) || next == '`' || next == '"' {
			out = append(out, s[start:i+1])
			start = i + 2
		}
	}
	return append(out, s[start:])
}

// verbatim reports whether a paragraph is a list or code and must keep its
// line breaks.
func verbatim(lines []string) bool {
	for _, l := range lines {
		tl := strings.TrimLeft(l, " \t")
		if strings.HasPrefix(l, "    ") ||
			strings.HasPrefix(tl, "```") || strings.HasPrefix(tl, "- ") ||
			strings.HasPrefix(tl, "* ") || isOrdered(tl) {
			return true
		}
	}
	return false
}

func isOrdered(s string) bool {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return i > 0 && i+1 < len(s) && (s[i] == '.' || s[i] == ')') && s[i+1] == ' '
}

// firstParagraph is the first non-blank paragraph of s, cleaned of control
// characters.
func firstParagraph(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	for _, p := range strings.Split(s, "\n\n") {
		if strings.TrimSpace(p) != "" {
			return clean(strings.Trim(p, "\n"))
		}
	}
	return ""
}

// snippet quotes the first line of rg from the report's sources and marks
// the range under it with carets: to the end of the line when the range
// goes on, with a note of the line it ends on.
//
// Its cost does not depend on the length of the file or of the line: each
// file is indexed once (where its lines start) and each quoted line once
// (see quotedLine), so any number of findings on one long line is linear.
func (t *textWriter) snippet(rg graph.Range, style string) {
	if rg.Start.Line < 1 {
		return
	}
	q, ok := t.src.quoted(rg.File, rg.Start.Line)
	if !ok {
		return
	}
	start, end := rg.Start.Column, rg.End.Column
	multi := rg.End.Line > rg.Start.Line
	switch {
	case start < 1:
		// No column: mark the line from its first non-blank character.
		start = 1 + q.indent
		end = -1
	case multi:
		end = -1
	case rg.End.Line < rg.Start.Line || end < start:
		end = start // unknown or inverted end: one caret at the start
	}
	shown, pad, n := q.mark(start, end)

	num := strconv.Itoa(rg.Start.Line)
	t.line("  " + t.paint(styleBlue, num+" |") + strings.TrimRight(" "+shown, " "))
	marks := " " + strings.Repeat(" ", pad) + t.paint(style, strings.Repeat("^", n))
	if multi {
		marks += " " + t.paint(styleFaint, fmt.Sprintf("(continues to line %d)", rg.End.Line))
	}
	t.line("  " + t.paint(styleBlue, strings.Repeat(" ", len(num))+" |") + marks)
}

// sourceCache indexes a report's sources for quoting, each file and each
// line on first use.
type sourceCache struct {
	files   map[string][]byte       // the report's sources
	indexed map[string]*sourceLines // the files indexed so far
}

// quoted returns line n of file, indexed for quoting, from the report's
// sources; the file and the line are indexed on first use and kept.
func (c *sourceCache) quoted(file string, n int) (*quotedLine, bool) {
	src, ok := c.indexed[file]
	if !ok {
		b, known := c.files[file]
		if !known {
			return nil, false
		}
		src = newSourceLines(b)
		if c.indexed == nil {
			c.indexed = map[string]*sourceLines{}
		}
		c.indexed[file] = src
	}
	if q, ok := src.quoted[n]; ok {
		return q, true
	}
	text, ok := src.line(n)
	if !ok {
		return nil, false
	}
	q := newQuotedLine(text)
	src.quoted[n] = q
	return q, true
}

// sourceLines is a source file split into lines once: where each starts.
type sourceLines struct {
	text   string
	starts []int               // starts[i] is the byte offset of line i+1
	quoted map[int]*quotedLine // lines already indexed for quoting
}

func newSourceLines(src []byte) *sourceLines {
	s := &sourceLines{text: string(src), starts: []int{0}, quoted: map[int]*quotedLine{}}
	for i := 0; i < len(s.text); i++ {
		// The empty text after a final newline is not a line.
		if s.text[i] == '\n' && i+1 < len(s.text) {
			s.starts = append(s.starts, i+1)
		}
	}
	return s
}

// line returns line n (1-based) without its line ending.
func (s *sourceLines) line(n int) (string, bool) {
	if n < 1 || n > len(s.starts) {
		return "", false
	}
	start, end := s.starts[n-1], len(s.text)
	if n < len(s.starts) {
		end = s.starts[n] - 1
	} else if end > start && s.text[end-1] == '\n' {
		end--
	}
	return strings.TrimSuffix(s.text[start:end], "\r"), true
}

// checkpointEvery is the distance, in code points, between two checkpoints
// of a quoted line: the most a look-up has to step through.
const checkpointEvery = 64

// quotedLine is one source line indexed for quoting: how wide it is on the
// terminal, and checkpoints from which any column or layout position is
// reached in at most checkpointEvery steps.
//
// The excerpt of a long line is chosen by "cost": a character costs its
// width in cells, and a zero-width character (a combining mark, a joiner)
// costs one, so that the excerpt is bounded in characters as well as in
// cells. For text without zero-width characters cost and width agree.
type quotedLine struct {
	text        string
	indent      int       // leading spaces and tabs
	runes       int       // code points
	width, cost int       // of the whole line
	checkpoints []linePos // at code points 0, checkpointEvery, 2*checkpointEvery, ...
	end         linePos   // just past the last code point
}

// linePos is a position in a quoted line, before the character at byte
// offset off: its column (1-based, code points), the terminal cell where
// it is drawn (0-based, tabs expanded from the start of the line) and the
// cost of the text before it.
type linePos struct {
	off, col, x, cost int
}

func newQuotedLine(text string) *quotedLine {
	q := &quotedLine{text: text}
	for q.indent < len(text) && (text[q.indent] == ' ' || text[q.indent] == '\t') {
		q.indent++
	}
	p := linePos{col: 1}
	for p.off < len(text) {
		if (p.col-1)%checkpointEvery == 0 {
			q.checkpoints = append(q.checkpoints, p)
		}
		p, _, _ = q.next(p)
	}
	q.end = p
	q.runes, q.width, q.cost = p.col-1, p.x, p.cost
	return q
}

// next steps over the character at p: it returns the position after it,
// the character as shown (a control character is replaced, an invalid byte
// is one U+FFFD; a tab stays a tab) and its width in cells (a tab reaches
// the next tab stop).
func (q *quotedLine) next(p linePos) (linePos, rune, int) {
	r, size := utf8.DecodeRuneInString(q.text[p.off:])
	var w int
	if r == '\t' {
		w = tabWidth - p.x%tabWidth
	} else {
		r = printable(r)
		w = widths.RuneWidth(r)
	}
	return linePos{off: p.off + size, col: p.col + 1, x: p.x + w, cost: p.cost + max(w, 1)}, r, w
}

// atColumn is the position of column col, or the end of the line for a
// column past it.
func (q *quotedLine) atColumn(col int) linePos {
	if col > q.runes {
		return q.end
	}
	p := q.checkpoints[(col-1)/checkpointEvery]
	for p.col < col {
		p, _, _ = q.next(p)
	}
	return p
}

// atCost is the first position whose cost is at least cost (at most the
// end of the line).
func (q *quotedLine) atCost(cost int) linePos {
	i := sort.Search(len(q.checkpoints), func(i int) bool { return q.checkpoints[i].cost > cost }) - 1
	if i < 0 {
		return q.end
	}
	p := q.checkpoints[i]
	for p.cost < cost && p.off < len(q.text) {
		p, _, _ = q.next(p)
	}
	return p
}

// markLine renders a source line for the terminal and says where to put
// the carets under it; see quotedLine.mark.
func markLine(text string, start, end int) (shown string, pad, n int) {
	return newQuotedLine(text).mark(start, end)
}

// mark renders the line for the terminal and says where to put the carets
// under it: after pad cells, n carets. start is the 1-based code point
// column where the mark begins; end is the exclusive column where it
// stops, or -1 for the end of the line. Tabs are expanded; control
// characters are replaced; a wide character gets as many carets as cells.
// A line that costs more than maxLineCols is cut around the mark, keeping
// leftContext before it, with "..." where text was left out; a character
// cut in two by the window is left out whole. There is always at least one
// caret. The work is bounded by the excerpt, not by the line.
func (q *quotedLine) mark(start, end int) (shown string, pad, n int) {
	start = max(start, 1)
	marked := func(col int) bool { return col >= start && (end < 0 || col < end) }

	lo, hi := 0, q.cost
	if q.cost > maxLineCols {
		lo = max(0, q.atColumn(start).cost-leftContext)
		hi = lo + maxLineCols
		if hi > q.cost {
			hi, lo = q.cost, q.cost-maxLineCols
		}
	}
	var sb strings.Builder
	if lo > 0 {
		sb.WriteString("...")
		pad = 3
	}
	for p := q.atCost(lo); p.off < len(q.text); {
		next, r, w := q.next(p)
		if next.cost > hi {
			break
		}
		if r == '\t' {
			sb.WriteString(strings.Repeat(" ", w)) // tabs are expanded
		} else {
			sb.WriteRune(r)
		}
		switch {
		case p.col < start:
			pad += w
		case marked(p.col):
			n += w
		}
		p = next
	}
	if hi < q.cost {
		sb.WriteString("...")
	}
	return sb.String(), pad, max(n, 1)
}

func (t *textWriter) diagnostic(d graph.Diagnostic) {
	var s string
	if d.Range.File != "" {
		s = t.paint(styleBold, position(d.Range)+":") + " "
	}
	s += t.paint(diagnosticStyle(d.Severity), nonEmpty(oneLine(string(d.Severity)), "warning")+":") + " " + oneLine(d.Summary)
	if detail := strings.TrimSpace(d.Detail); detail != "" {
		lines := strings.Split(clean(detail), "\n")
		s += ": " + strings.TrimSpace(lines[0])
		t.line(s)
		for _, l := range lines[1:] {
			t.line(strings.TrimRight("  "+l, " "))
		}
		return
	}
	t.line(s)
}

// summary writes the closing line, for example
// "6 findings (1 critical, 1 high, 3 medium, 1 low) in 12 resources,
// 2 diagnostics (1 error, 1 warning); not counted: 2 ignored inline,
// 4 in the baseline"; notes are counted apart. Resources switched off
// are counted after the diagnostics, when there are any: "No findings in
// 0 resources, 0 diagnostics; 12 resources not created (count = 0, empty
// for_each or a false CloudFormation Condition)".
func (t *textWriter) summary(findings, suppressed []finding.Finding, diags []graph.Diagnostic, resources, notCreated int) {
	counts := map[finding.Severity]int{}
	other := 0
	for _, f := range findings {
		if f.Severity.Rank() == 0 {
			other++
		}
		counts[f.Severity]++
	}
	var parts []string
	for _, sev := range finding.Severities {
		if n := counts[sev]; n > 0 {
			parts = append(parts, t.paint(severityStyle(sev), fmt.Sprintf("%d %s", n, sev)))
		}
	}
	if other > 0 {
		parts = append(parts, fmt.Sprintf("%d other", other))
	}
	s := "No findings"
	if len(findings) > 0 {
		s = t.paint(styleBold, plural(len(findings), "finding")) + " (" + strings.Join(parts, ", ") + ")"
	}
	s += " in " + plural(resources, "resource") + ", " + plural(len(diags), "diagnostic")

	errs, warns, notes := 0, 0, 0
	for _, d := range diags {
		switch d.Severity {
		case graph.SeverityError:
			errs++
		case graph.SeverityNote:
			notes++
		default:
			warns++
		}
	}
	var dparts []string
	if errs > 0 {
		dparts = append(dparts, t.paint(styleRed, plural(errs, "error")))
	}
	if warns > 0 {
		dparts = append(dparts, t.paint(styleYellow, plural(warns, "warning")))
	}
	if notes > 0 {
		dparts = append(dparts, t.paint(styleCyan, plural(notes, "note")))
	}
	if len(dparts) > 0 {
		s += " (" + strings.Join(dparts, ", ") + ")"
	}
	if notCreated > 0 {
		s += "; " + plural(notCreated, "resource") + " not created (count = 0, empty for_each or a false CloudFormation Condition)"
	}
	if nc := notCountedText(suppressed); nc != "" {
		s += "; not counted: " + nc
	}
	t.line(s)
}

// kindPhrases says, for each suppression kind, why a finding is not
// counted, after its number ("2 ignored inline").
var kindPhrases = map[string]string{
	finding.SuppressedInline:    "ignored inline",
	finding.SuppressedException: "excepted",
	finding.SuppressedBaseline:  "in the baseline",
	finding.SuppressedExcluded:  "in excluded paths",
	finding.SuppressedUnchanged: "not on changed lines",
	finding.SuppressedThreshold: "below the threshold",
}

// suppressionCounts counts suppressed findings by kind; kinds that are
// not one of finding.SuppressionKinds count under "".
func suppressionCounts(suppressed []finding.Finding) map[string]int {
	counts := map[string]int{}
	for _, f := range suppressed {
		if f.Suppressed == nil {
			continue
		}
		k := f.Suppressed.Kind
		if _, known := kindPhrases[k]; !known {
			k = ""
		}
		counts[k]++
	}
	return counts
}

// notCountedText lists the suppressed findings by kind, in triage order:
// "2 ignored inline, 1 excepted"; "" when there are none.
func notCountedText(suppressed []finding.Finding) string {
	counts := suppressionCounts(suppressed)
	var parts []string
	for _, k := range finding.SuppressionKinds {
		if n := counts[k]; n > 0 {
			parts = append(parts, strconv.Itoa(n)+" "+kindPhrases[k])
		}
	}
	if n := counts[""]; n > 0 {
		parts = append(parts, strconv.Itoa(n)+" suppressed")
	}
	return strings.Join(parts, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}

// position formats a range's start as file:line:column, leaving out what is
// not known.
func position(rg graph.Range) string {
	if rg.File == "" && rg.Start.Line == 0 {
		return "<unknown>"
	}
	s := oneLine(nonEmpty(rg.File, "<unknown>"))
	if rg.Start.Line > 0 {
		s += ":" + strconv.Itoa(rg.Start.Line)
		if rg.Start.Column > 0 {
			s += ":" + strconv.Itoa(rg.Start.Column)
		}
	}
	return s
}

func severityName(s string) string {
	return nonEmpty(oneLine(s), "unknown")
}

func docURL(rulesURI string, rule finding.Rule) string {
	if !rule.Builtin {
		// A user rule has no page in the catalogue: only the page its
		// METADATA declares (related_resources), when https.
		if u, err := url.Parse(rule.HelpURI); err == nil && u.Scheme == "https" && u.Host != "" {
			return oneLine(rule.HelpURI)
		}
		return ""
	}
	if rulesURI == "" {
		return ""
	}
	if !strings.HasSuffix(rulesURI, "/") {
		rulesURI += "/"
	}
	return oneLine(rulesURI + rule.DocPath())
}

// printable replaces characters that would control the terminal (C0 and C1
// controls, DEL, and the bidirectional overrides used to disguise code)
// with U+FFFD.
func printable(r rune) rune {
	switch {
	case r == utf8.RuneError, r < 0x20, r >= 0x7f && r < 0xa0,
		r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		return utf8.RuneError
	}
	return r
}

// WriteDiagnosticLines writes the warnings and errors of ds one per line,
// "prefix: file:line:col: severity: summary: detail", made safe to print:
// for a terminal when the outputs carry no diagnostics (soc2-csv, junit).
func WriteDiagnosticLines(w io.Writer, prefix string, ds []graph.Diagnostic) error {
	for _, d := range ds {
		if d.Severity != graph.SeverityError && d.Severity != graph.SeverityWarning {
			continue
		}
		line := position(d.Range) + ": " + string(d.Severity) + ": " + oneLine(d.Summary)
		if d.Detail != "" {
			line += ": " + oneLine(d.Detail)
		}
		if _, err := fmt.Fprintf(w, "%s: %s\n", prefix, line); err != nil {
			return err
		}
	}
	return nil
}

// clean makes untrusted text safe to print: CRLF becomes LF, tabs become
// spaces, other control characters become U+FFFD; newlines are kept.
func clean(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch r {
		case '\n':
			return r
		case '\t':
			return ' '
		}
		return printable(r)
	}, s)
}

// oneLine is clean with line breaks folded into spaces.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(clean(s), func(r rune) bool { return r == '\n' }), " ")
}

func nonEmpty(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
