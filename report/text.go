// Package report writes a scan's findings for people and pipelines: text for
// a terminal (WriteText) and a versioned JSON document (WriteJSON). SARIF
// lives in package sarif.
//
// Every writer is deterministic: the same report gives byte-identical
// output, whatever the order of its slices, the host, the time or the
// environment (colour is chosen by the caller, see ColorEnabled).
package report

import (
	"bufio"
	"fmt"
	"io"
	"os"
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
}

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
	maxLineCols       = 120 // longer source lines are cut around the marked part
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
// Text that comes from the scanned files or from policies is stripped of
// control characters, so a hostile file cannot drive the terminal.
func WriteText(w io.Writer, r *finding.Report, opts TextOptions) error {
	bw := bufio.NewWriter(w)
	t := &textWriter{w: bw, color: opts.Color, report: r, rules: ruleIndex(r.Rules)}
	all, diags := sortedCopies(r)
	// Suppressed findings are counted in the summary, not listed: they were
	// reviewed, and their reasons are in the JSON and SARIF outputs.
	var findings []finding.Finding
	suppressed := 0
	for _, f := range all {
		if f.Suppressed != nil {
			suppressed++
			continue
		}
		findings = append(findings, f)
	}
	for i, f := range findings {
		if i > 0 {
			t.line("")
		}
		t.finding(f)
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
	t.summary(findings, suppressed, diags, r.Resources)
	return bw.Flush()
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
	if s == graph.SeverityError {
		return styleRed
	}
	return styleYellow
}

type textWriter struct {
	w      *bufio.Writer
	color  bool
	report *finding.Report
	rules  map[string]finding.Rule
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

func (t *textWriter) finding(f finding.Finding) {
	rule, known := t.rules[f.RuleID]
	rg := f.Location.Range

	head := t.paint(styleBold, position(rg)+":") + " " +
		t.paint(severityStyle(f.Severity), severityName(string(f.Severity))+":") + " " +
		t.paint(styleBold, clean(f.RuleID))
	if known && rule.Title != "" {
		head += " " + t.paint(styleBold, oneLine(rule.Title))
	}
	t.line(head)

	if msg := strings.TrimSpace(f.Message); msg != "" {
		for _, l := range strings.Split(clean(msg), "\n") {
			t.line(strings.TrimRight("  "+l, " "))
		}
	}
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
func (t *textWriter) snippet(rg graph.Range, style string) {
	src, ok := t.report.Sources[rg.File]
	if !ok || rg.Start.Line < 1 {
		return
	}
	text, ok := sourceLine(src, rg.Start.Line)
	if !ok {
		return
	}
	start, end := rg.Start.Column, rg.End.Column
	multi := rg.End.Line > rg.Start.Line
	switch {
	case start < 1:
		// No column: mark the line from its first non-blank character.
		start = 1 + utf8.RuneCountInString(text) - utf8.RuneCountInString(strings.TrimLeft(text, " \t"))
		end = -1
	case multi:
		end = -1
	case rg.End.Line < rg.Start.Line || end < start:
		end = start // unknown or inverted end: one caret at the start
	}
	shown, pad, n := markLine(text, start, end)

	num := strconv.Itoa(rg.Start.Line)
	t.line("  " + t.paint(styleBlue, num+" |") + strings.TrimRight(" "+shown, " "))
	marks := " " + strings.Repeat(" ", pad) + t.paint(style, strings.Repeat("^", n))
	if multi {
		marks += " " + t.paint(styleFaint, fmt.Sprintf("(continues to line %d)", rg.End.Line))
	}
	t.line("  " + t.paint(styleBlue, strings.Repeat(" ", len(num))+" |") + marks)
}

// sourceLine returns line n (1-based) of src without its line ending.
func sourceLine(src []byte, n int) (string, bool) {
	line := 1
	start := 0
	for i := 0; i < len(src) && line < n; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	if line < n || (start >= len(src) && n > 1) {
		return "", false
	}
	end := start
	for end < len(src) && src[end] != '\n' {
		end++
	}
	return strings.TrimSuffix(string(src[start:end]), "\r"), true
}

// cell is one character of a quoted source line as shown on the terminal.
type cell struct {
	text  string
	width int
	mark  bool
}

// markLine renders a source line for the terminal and says where to put
// the carets under it: after pad cells, n carets. start is the 1-based code
// point column where the mark begins; end is the exclusive column where it
// stops, or -1 for the end of the line. Tabs are expanded; control
// characters are replaced; a wide character gets as many carets as cells.
// A line wider than maxLineCols is cut around the mark, with "..." where
// text was left out. There is always at least one caret.
func markLine(text string, start, end int) (shown string, pad, n int) {
	var cells []cell
	col, x := 1, 0
	markX, markW := -1, 0
	for _, r := range text {
		c := cell{mark: col >= start && (end < 0 || col < end)}
		if r == '\t' {
			c.width = tabWidth - x%tabWidth
			c.text = strings.Repeat(" ", c.width)
		} else {
			r = printable(r)
			c.text, c.width = string(r), widths.RuneWidth(r)
		}
		if col == start {
			markX = x
		}
		if c.mark {
			markW += c.width
		}
		cells = append(cells, c)
		x += c.width
		col++
	}
	total := x
	if markX < 0 { // the mark starts past the end of the line
		markX = total
	}
	markW = max(markW, 1)

	lo, hi := 0, total
	if total > maxLineCols {
		lo = max(0, markX-leftContext)
		hi = lo + maxLineCols
		if hi > total {
			hi, lo = total, max(0, total-maxLineCols)
		}
	}
	var sb strings.Builder
	if lo > 0 {
		sb.WriteString("...")
		pad = 3
	}
	x = 0
	for _, c := range cells {
		if x >= lo && x+c.width <= hi {
			sb.WriteString(c.text)
		}
		x += c.width
	}
	if hi < total {
		sb.WriteString("...")
	}
	pad += markX - lo
	n = markW
	if total > maxLineCols && markX+n > hi {
		n = max(1, hi-markX)
	}
	return sb.String(), pad, n
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
// 2 diagnostics (1 error, 1 warning)".
func (t *textWriter) summary(findings []finding.Finding, suppressed int, diags []graph.Diagnostic, resources int) {
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
	if suppressed > 0 {
		s += ", " + strconv.Itoa(suppressed) + " suppressed"
	}
	s += " in " + plural(resources, "resource") + ", " + plural(len(diags), "diagnostic")

	errs, warns := 0, 0
	for _, d := range diags {
		if d.Severity == graph.SeverityError {
			errs++
		} else {
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
	if len(dparts) > 0 {
		s += " (" + strings.Join(dparts, ", ") + ")"
	}
	t.line(s)
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
