package report

import (
	"fmt"
	"io"
	"net/url"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// Bounds of the Markdown output: GitHub keeps at most 1 MiB of a step's
// job summary, and a pull-request comment at most 65,536 characters.
const (
	markdownMaxRows  = 1000    // rows of the findings tables together
	markdownMaxBytes = 900_000 // the tables stop growing past this size
	markdownMaxCell  = 300     // characters of a message or a reason
	markdownMaxShort = 160     // characters of a rule title, a resource or a path
)

// WriteMarkdown writes r as GitHub-flavoured Markdown for a job summary
// ($GITHUB_STEP_SUMMARY) or a pull-request comment: a heading with the
// totals, a table of open findings by severity, a table of the open
// findings (severity, rule, location, resource, message), the suppressed
// findings in a collapsed <details> block with their kind, reason, owner,
// ticket and expiry, and the diagnostics.
//
// The output is bounded: at most 1,000 finding rows and about 900 kB (a
// line says how many rows were left out), and long cells are cut. Text
// from the scanned files and from policies is escaped so that it cannot
// make links, images, HTML, mentions, math or emoji: the characters that
// mean something inline (! $ & ( ) * . < > [ \ ] _ ` | ~ and @ # :) are
// backslash-escaped, and a word joiner (U+2060) follows each '@', '#' and
// ':'.
func WriteMarkdown(w io.Writer, r *finding.Report) error {
	rules := ruleIndex(r.Rules)
	all, diags := sortedCopies(r)
	open, suppressed := splitSuppressed(all)
	m := &mdWriter{rulesURI: r.Tool.RulesURI, rules: rules}

	counts := map[finding.Severity]int{}
	for _, f := range open {
		counts[f.Severity]++
	}
	tool := nonEmpty(mdText(r.Tool.Name, markdownMaxShort), "portcullis")
	m.line("## " + tool + ": " + plural(len(open), "finding"))
	m.line("")
	sum := plural(len(open), "finding") + " in " + plural(r.Resources, "resource") + ", " + plural(len(diags), "diagnostic")
	if nc := notCountedText(suppressed); nc != "" {
		sum += "; not counted: " + nc
	}
	m.line(sum + ".")
	m.line("")
	m.line("| Severity | Open findings |")
	m.line("| --- | ---: |")
	other := len(open)
	for _, sev := range finding.Severities {
		m.line("| " + severityLabel(sev) + " | " + strconv.Itoa(counts[sev]) + " |")
		other -= counts[sev]
	}
	if other > 0 {
		m.line("| Other | " + strconv.Itoa(other) + " |")
	}
	m.line("")

	if len(open) > 0 {
		m.line("### Findings")
		m.line("")
		m.table([]string{"Severity", "Rule", "Location", "Resource", "Message"}, len(open), func(i int) []string {
			f := open[i]
			return []string{severityLabel(f.Severity), m.rule(f.RuleID), mdText(position(f.Location.Range), markdownMaxShort),
				mdText(f.Resource, markdownMaxShort), mdText(f.Message, markdownMaxCell)}
		})
	}

	if len(suppressed) > 0 {
		m.line("<details>")
		m.line("<summary>" + plural(len(suppressed), "finding") + " not counted</summary>")
		m.line("")
		m.table([]string{"Status", "Severity", "Rule", "Location", "Resource", "Reason", "Owner", "Ticket", "Expires"}, len(suppressed), func(i int) []string {
			f := suppressed[i]
			s := f.Suppressed
			return []string{mdText(nonEmpty(s.Kind, "suppressed"), markdownMaxShort), severityLabel(f.Severity), m.rule(f.RuleID),
				mdText(position(f.Location.Range), markdownMaxShort), mdText(f.Resource, markdownMaxShort),
				mdText(s.Reason, markdownMaxCell), mdText(s.Owner, markdownMaxShort), mdText(s.Ticket, markdownMaxShort),
				mdText(s.Expires, markdownMaxShort)}
		})
		m.line("</details>")
		m.line("")
	}

	if len(diags) > 0 {
		m.line("### Diagnostics")
		m.line("")
		m.table([]string{"Severity", "Location", "Problem"}, len(diags), func(i int) []string {
			d := diags[i]
			loc := ""
			if d.Range.File != "" {
				loc = mdText(position(d.Range), markdownMaxShort)
			}
			problem := d.Summary
			if detail := strings.TrimSpace(d.Detail); detail != "" {
				problem += ": " + detail
			}
			return []string{diagnosticLabel(d.Severity), loc, mdText(problem, markdownMaxCell)}
		})
	}
	_, err := io.WriteString(w, m.sb.String())
	return err
}

type mdWriter struct {
	sb       strings.Builder
	rows     int // finding and diagnostic rows written
	rulesURI string
	rules    map[string]finding.Rule
}

func (m *mdWriter) line(s string) {
	m.sb.WriteString(s)
	m.sb.WriteByte('\n')
}

// table writes a table of n rows, as many as the bounds allow, and a line
// saying how many were left out.
func (m *mdWriter) table(head []string, n int, row func(int) []string) {
	m.line("| " + strings.Join(head, " | ") + " |")
	m.line(strings.TrimSuffix(strings.Repeat("| --- ", len(head)), " ") + " |")
	written := 0
	for ; written < n; written++ {
		line := "| " + strings.Join(row(written), " | ") + " |"
		if m.rows >= markdownMaxRows || m.sb.Len()+len(line) > markdownMaxBytes {
			break
		}
		m.rows++
		m.line(line)
	}
	m.line("")
	if left := n - written; left > 0 {
		m.line(fmt.Sprintf("%s not shown: the summary is limited to %d rows and about %d kB. The other output formats list them all.",
			plural(left, "more row"), markdownMaxRows, markdownMaxBytes/1000))
		m.line("")
	}
}

// rule is a rule's cell: its ID, linked to its page when the rules have a
// home, and its title.
func (m *mdWriter) rule(id string) string {
	s := mdText(id, markdownMaxShort)
	rule, known := m.rules[id]
	if !known {
		return s
	}
	if u := docURL(m.rulesURI, rule); u != "" {
		if parsed, err := url.Parse(u); err == nil && (parsed.Scheme == "https" || parsed.Scheme == "http") {
			// The URL is the tool's own (not from scanned text);
			// parentheses and spaces are percent-encoded so that it
			// cannot end the link early.
			s = "[" + s + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(u) + ")"
		}
	}
	if rule.Title != "" {
		s += " " + mdText(rule.Title, markdownMaxShort)
	}
	return s
}

func severityLabel(s finding.Severity) string {
	switch s {
	case finding.Critical:
		return "Critical"
	case finding.High:
		return "High"
	case finding.Medium:
		return "Medium"
	case finding.Low:
		return "Low"
	}
	return mdText(severityName(string(s)), markdownMaxShort)
}

func diagnosticLabel(s graph.Severity) string {
	switch s {
	case graph.SeverityError:
		return "Error"
	case graph.SeverityNote:
		return "Note"
	}
	return "Warning"
}

// mdText makes untrusted text one inert line of Markdown table cell, cut
// to max characters: control characters are replaced, line breaks become
// spaces, the punctuation that means something inside a paragraph is
// backslash-escaped (so no emphasis, code, link, image, HTML, entity,
// www or URL autolink, math or table pipe; block syntax cannot start
// inside a table cell), and a word joiner follows '@', '#' and ':' (so
// no mention, email autolink, issue reference or emoji shortcode).
func mdText(s string, maxRunes int) string {
	s = oneLine(s)
	if n := 0; len(s) > maxRunes {
		for i := range s {
			if n == maxRunes {
				s = s[:i] + "…"
				break
			}
			n++
		}
	}
	var sb strings.Builder
	for _, r := range s {
		switch {
		case r == '@' || r == '#' || r == ':':
			sb.WriteByte('\\')
			sb.WriteRune(r)
			sb.WriteRune('\u2060')
		case r < 0x80 && strings.ContainsRune("!$&()*.<>[\\]_`|~", r):
			sb.WriteByte('\\')
			sb.WriteRune(r)
		default:
			sb.WriteRune(r)
		}
	}
	return sb.String()
}
