package report

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"html/template"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

//go:embed html.tmpl
var htmlTemplateText string

var htmlTemplate = template.Must(template.New("report").Parse(htmlTemplateText))

// Layout of the HTML snippets and chart.
const (
	htmlContext   = 2   // source lines shown before and after a finding's line
	htmlMaxCols   = 400 // longer source lines are cut (around the mark on the finding's line)
	htmlMarkCols  = 200 // characters of a marked range shown at most
	htmlLeftCols  = 100 // characters kept before the mark on a cut line
	htmlChartBar  = 240 // width in pixels of the longest bar
	htmlChartStep = 30  // vertical distance between bars
)

// FilesDigest is the digest of a scan's files that the HTML report shows:
// "sha256:" and the hex SHA-256 of the lines "path sha256\n" of every file,
// sorted by path. Anyone holding the same files gets the same digest
// (`sha256sum` of each file, sorted, in that format, hashed again).
func FilesDigest(files map[string]string) string {
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	h := sha256.New()
	for _, p := range paths {
		_, _ = io.WriteString(h, p+" "+files[p]+"\n")
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// WriteHTML writes r as one self-contained HTML page for auditors: no
// script, no external resource (inline CSS and SVG; a Content Security
// Policy forbids anything else), readable on screen and on paper.
//
// It shows the tool and its version, the policy set (r.PolicySet), the
// time of the scan (r.Time, in UTC), the number of files scanned and
// their digest (FilesDigest); the open findings by severity, with a bar
// chart, and by SOC 2 control; each open finding with its rule, location,
// resource, message, the source lines around it (the offending part
// marked) and the rule's remediation; the findings the triage stage took
// out, with the kind, reason, owner, ticket and expiry of each; the
// diagnostics; and the list of files scanned with their SHA-256.
//
// html/template escapes every text, so text from the scanned files or
// from policies cannot add markup.
func WriteHTML(w io.Writer, r *finding.Report) error {
	data := newHTMLData(r)
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, data); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

type htmlData struct {
	Tool, Version     string
	PolicySet         string
	ScanTime          string
	FilesDigest       string
	FileCount         int
	Resources         int
	Open, NotCounted  int
	NotCountedText    string
	Diagnostics       []htmlDiagnostic
	DiagnosticErrors  int
	Severities        []htmlSeverity
	ChartHeight       int
	Controls          []htmlControl
	Groups            []htmlGroup
	Suppressed        []htmlSuppressed
	Files             []htmlFile
	SuppressionCounts []htmlKindCount
}

type htmlSeverity struct {
	Name, Class string
	Count       int
	Y, TextY    int // of the bar and of its labels in the chart
	Width       int // of the bar
	LabelX      int // of the count after the bar
}

type htmlControl struct {
	Control                        string
	Critical, High, Medium, Low    int
	Open, NotCounted, RuleFindings int
}

type htmlGroup struct {
	Name, Class string
	Findings    []htmlFinding
}

type htmlFinding struct {
	Anchor      string
	RuleID      string
	Title       string
	Severity    string
	Class       string
	Location    string
	Resource    string
	Attribute   string
	Message     string
	Controls    []string
	Related     []string
	Snippet     []htmlLine
	Remediation []htmlSpan
}

// htmlSpan is a piece of prose: text, or code (between backticks in the
// rule's Markdown).
type htmlSpan struct {
	Text string
	Code bool
}

// htmlSpans splits prose at its backticks: the text between a pair is
// code. An unpaired backtick stays text.
// unwrap joins the lines of a prose paragraph that its source wrapped by
// hand (rule metadata is wrapped at 80 columns), so the browser wraps it to
// the page instead of at the source's line ends.
func unwrap(p string) string {
	lines := strings.Split(p, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return strings.Join(lines, " ")
}

func htmlSpans(s string) []htmlSpan {
	var out []htmlSpan
	for s != "" {
		i := strings.IndexByte(s, '`')
		j := -1
		if i >= 0 {
			j = strings.IndexByte(s[i+1:], '`')
		}
		if i < 0 || j < 0 {
			out = append(out, htmlSpan{Text: s})
			break
		}
		if i > 0 {
			out = append(out, htmlSpan{Text: s[:i]})
		}
		out = append(out, htmlSpan{Text: s[i+1 : i+1+j], Code: true})
		s = s[i+2+j:]
	}
	return out
}

type htmlLine struct {
	Number              int
	Hit                 bool
	Before, Mark, After string
}

type htmlSuppressed struct {
	Kind, RuleID, Severity, Location, Resource, Message string
	Reason, Owner, Ticket, Expires, Where               string
}

type htmlDiagnostic struct {
	Severity, Location, Summary, Detail string
}

type htmlFile struct{ Path, SHA string }

type htmlKindCount struct {
	Kind  string
	Count int
}

func severityClass(s finding.Severity) string {
	if s.Rank() == 0 {
		return "other"
	}
	return string(s)
}

func newHTMLData(r *finding.Report) htmlData {
	rules := ruleIndex(r.Rules)
	all, diags := sortedCopies(r)
	open, suppressed := splitSuppressed(all)
	d := htmlData{
		Tool:           nonEmpty(oneLine(r.Tool.Name), "portcullis"),
		Version:        nonEmpty(oneLine(r.Tool.Version), "unknown"),
		PolicySet:      nonEmpty(oneLine(r.PolicySet), "not recorded"),
		ScanTime:       "not recorded",
		FilesDigest:    FilesDigest(r.Files),
		FileCount:      len(r.Files),
		Resources:      r.Resources,
		Open:           len(open),
		NotCounted:     len(suppressed),
		NotCountedText: notCountedText(suppressed),
	}
	if !r.Time.IsZero() {
		d.ScanTime = r.Time.UTC().Format("2006-01-02 15:04:05 UTC")
	}
	counts := suppressionCounts(suppressed)
	for _, k := range finding.SuppressionKinds {
		if counts[k] > 0 {
			d.SuppressionCounts = append(d.SuppressionCounts, htmlKindCount{kindPhrases[k], counts[k]})
		}
	}
	if counts[""] > 0 {
		d.SuppressionCounts = append(d.SuppressionCounts, htmlKindCount{"suppressed", counts[""]})
	}

	// Severities and the chart.
	bySev := map[finding.Severity][]finding.Finding{}
	var other []finding.Finding
	for _, f := range open {
		if f.Severity.Rank() == 0 {
			other = append(other, f)
		} else {
			bySev[f.Severity] = append(bySev[f.Severity], f)
		}
	}
	most := 1
	for _, sev := range finding.Severities {
		most = max(most, len(bySev[sev]))
	}
	for i, sev := range finding.Severities {
		n := len(bySev[sev])
		width := n * htmlChartBar / most
		if n > 0 {
			width = max(width, 2)
		}
		d.Severities = append(d.Severities, htmlSeverity{
			Name: severityLabel(sev), Class: string(sev), Count: n,
			Y: 10 + i*htmlChartStep, TextY: 10 + i*htmlChartStep + 15, Width: width, LabelX: 90 + width + 8,
		})
	}
	d.ChartHeight = 10 + len(finding.Severities)*htmlChartStep

	// SOC 2 controls.
	d.Controls = htmlControls(rules, all)

	// Open findings by severity.
	src := &sourceCache{files: r.Sources}
	n := 0
	add := func(name, class string, fs []finding.Finding) {
		if len(fs) == 0 {
			return
		}
		g := htmlGroup{Name: name, Class: class}
		for _, f := range fs {
			n++
			g.Findings = append(g.Findings, htmlFindingOf(f, rules[f.RuleID], n, src))
		}
		d.Groups = append(d.Groups, g)
	}
	for _, sev := range finding.Severities {
		add(severityLabel(sev), string(sev), bySev[sev])
	}
	add("Other", "other", other)

	for _, f := range suppressed {
		s := f.Suppressed
		where := ""
		if s.Range.File != "" {
			where = position(s.Range)
		}
		d.Suppressed = append(d.Suppressed, htmlSuppressed{
			Kind: nonEmpty(oneLine(s.Kind), "suppressed"), RuleID: oneLine(f.RuleID), Severity: severityName(string(f.Severity)),
			Location: position(f.Location.Range), Resource: oneLine(f.Resource), Message: oneLine(f.Message),
			Reason: oneLine(s.Reason), Owner: oneLine(s.Owner), Ticket: oneLine(s.Ticket), Expires: oneLine(s.Expires), Where: where,
		})
	}
	for _, dg := range diags {
		loc := ""
		if dg.Range.File != "" {
			loc = position(dg.Range)
		}
		if dg.Severity == graph.SeverityError {
			d.DiagnosticErrors++
		}
		d.Diagnostics = append(d.Diagnostics, htmlDiagnostic{
			Severity: nonEmpty(oneLine(string(dg.Severity)), "warning"), Location: loc,
			Summary: oneLine(dg.Summary), Detail: clean(strings.TrimSpace(dg.Detail)),
		})
	}
	paths := make([]string, 0, len(r.Files))
	for p := range r.Files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		d.Files = append(d.Files, htmlFile{Path: oneLine(p), SHA: oneLine(r.Files[p])})
	}
	return d
}

// htmlControls counts the findings of each SOC 2 control of the rules
// (every control the rules list, so a control checked without findings
// shows 0), and a last row for the findings of rules without a SOC 2
// control, when there are any.
func htmlControls(rules map[string]finding.Rule, findings []finding.Finding) []htmlControl {
	var out []htmlControl
	covered := make([]bool, len(findings))
	for _, g := range byControl(rules, findings) {
		if !strings.HasPrefix(g.control, "SOC2:") {
			continue
		}
		c := htmlControl{Control: strings.TrimPrefix(g.control, "SOC2:")}
		for _, i := range g.findings {
			covered[i] = true
			c.count(findings[i])
		}
		out = append(out, c)
	}
	rest := htmlControl{Control: "No SOC 2 control"}
	for i, f := range findings {
		if !covered[i] {
			rest.count(f)
		}
	}
	if rest.RuleFindings > 0 {
		out = append(out, rest)
	}
	return out
}

func (c *htmlControl) count(f finding.Finding) {
	c.RuleFindings++
	if f.Suppressed != nil {
		c.NotCounted++
		return
	}
	c.Open++
	switch f.Severity {
	case finding.Critical:
		c.Critical++
	case finding.High:
		c.High++
	case finding.Medium:
		c.Medium++
	case finding.Low:
		c.Low++
	}
}

func htmlFindingOf(f finding.Finding, rule finding.Rule, n int, src *sourceCache) htmlFinding {
	h := htmlFinding{
		Anchor:      "finding-" + strconv.Itoa(n),
		RuleID:      oneLine(f.RuleID),
		Title:       oneLine(rule.Title),
		Severity:    severityName(string(f.Severity)),
		Class:       severityClass(f.Severity),
		Location:    position(f.Location.Range),
		Resource:    oneLine(f.Resource),
		Attribute:   oneLine(f.Attribute),
		Message:     clean(strings.TrimSpace(f.Message)),
		Remediation: htmlSpans(unwrap(firstParagraph(rule.Remediation))),
		Snippet:     htmlSnippet(src, f.Location.Range),
	}
	for _, c := range rule.Controls {
		if c = strings.TrimSpace(c); c != "" {
			h.Controls = append(h.Controls, oneLine(c))
		}
	}
	sort.SliceStable(h.Controls, func(i, j int) bool { return ControlLess(h.Controls[i], h.Controls[j]) })
	for _, o := range f.Location.Related {
		s := oneLine(nonEmpty(o.Description, "related location"))
		if o.Range.File != "" {
			s += " (" + position(o.Range) + ")"
		}
		h.Related = append(h.Related, s)
	}
	return h
}

// htmlSnippet is the source around rg's first line: htmlContext lines
// before and after, the first line split around the marked columns (to
// the end of the line when the range goes on), the following lines of the
// range marked whole. Long lines are cut; the work per line is bounded by
// what is shown (see quotedLine).
func htmlSnippet(src *sourceCache, rg graph.Range) []htmlLine {
	if rg.Start.Line < 1 {
		return nil
	}
	first, ok := src.quoted(rg.File, rg.Start.Line)
	if !ok {
		return nil
	}
	var out []htmlLine
	for n := max(1, rg.Start.Line-htmlContext); n <= rg.Start.Line+htmlContext; n++ {
		q := first
		if n != rg.Start.Line {
			if q, ok = src.quoted(rg.File, n); !ok {
				break
			}
		}
		switch {
		case n == rg.Start.Line:
			start, end := rg.Start.Column, rg.End.Column
			switch {
			case start < 1:
				start, end = 1+q.indent, -1
			case rg.End.Line > rg.Start.Line:
				end = -1
			case rg.End.Line < rg.Start.Line || end < start:
				end = start
			}
			out = append(out, htmlMarked(q, n, start, end))
		case n > rg.Start.Line && n <= rg.End.Line:
			out = append(out, htmlMarked(q, n, 1+q.indent, -1))
		default:
			out = append(out, htmlLine{Number: n, Before: htmlCut(q, 1, htmlMaxCols)})
		}
	}
	return out
}

// htmlMarked splits line n at the columns [start, end) (end -1: to the
// end of the line), cutting a long line around the mark.
func htmlMarked(q *quotedLine, n, start, end int) htmlLine {
	last := q.runes + 1 // the column after the line
	start = min(start, last)
	if end < 0 || end > last {
		end = last
	}
	end = max(end, start)
	markEnd := min(end, start+htmlMarkCols)
	lo := 1
	if q.runes > htmlMaxCols {
		lo = max(1, start-htmlLeftCols)
	}
	hi := min(last, max(markEnd, lo+htmlMaxCols))
	l := htmlLine{Number: n, Hit: true,
		Before: htmlSlice(q, lo, start), Mark: htmlSlice(q, start, markEnd), After: htmlSlice(q, markEnd, hi)}
	if lo > 1 {
		l.Before = "…" + l.Before
	}
	if markEnd < end {
		l.Mark += "…"
	}
	if hi < last {
		l.After += "…"
	}
	return l
}

// htmlCut is the line from column from, at most cols characters.
func htmlCut(q *quotedLine, from, cols int) string {
	to := min(q.runes+1, from+cols)
	s := htmlSlice(q, from, to)
	if to <= q.runes {
		s += "…"
	}
	return s
}

// htmlSlice is the text of columns [from, to) with control characters
// replaced (tabs are kept; CSS sets their width).
func htmlSlice(q *quotedLine, from, to int) string {
	if to <= from {
		return ""
	}
	a, b := q.atColumn(from).off, q.atColumn(to).off
	return strings.Map(func(r rune) rune {
		if r == '\t' {
			return r
		}
		return printable(r)
	}, q.text[a:b])
}
