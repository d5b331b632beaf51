package report

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// WriteGitHub writes r as GitHub Actions workflow commands, which the
// runner turns into annotations on the files of a pull request or a
// commit: one per open finding, an error for critical and high, a warning
// for medium, a notice for low (and for a severity it does not know),
// titled "RULE-ID: Rule title", with the finding's message, at the
// finding's file and range; and one error per error diagnostic.
// Suppressed findings and other diagnostics are not annotated.
//
//	::error file=main.tf,line=9,col=19,endLine=9,endColumn=31,title=PCS-AWS-001: Network ingress…::Security group…
//
// Columns are 1-based code points and the end column is inclusive (the
// last character of the range); a range over several lines gives lines
// only, since GitHub accepts columns on one line only. Text is escaped as
// the Actions toolkit does (% CR LF in the message; also : and , in
// properties), after control characters are replaced, so hostile text
// cannot end a command early or start another.
func WriteGitHub(w io.Writer, r *finding.Report) error {
	bw := bufio.NewWriter(w)
	rules := ruleIndex(r.Rules)
	findings, diags := sortedCopies(r)
	for _, f := range findings {
		if f.Suppressed != nil {
			continue
		}
		title := f.RuleID
		if rule, ok := rules[f.RuleID]; ok && rule.Title != "" {
			title += ": " + rule.Title
		}
		githubCommand(bw, githubLevel(f.Severity), f.Location.Range, title, nonEmpty(strings.TrimSpace(f.Message), title))
	}
	for _, d := range diags {
		if d.Severity != graph.SeverityError {
			continue
		}
		msg := d.Summary
		if detail := strings.TrimSpace(d.Detail); detail != "" {
			msg += ": " + detail
		}
		githubCommand(bw, "error", d.Range, "portcullis: scan incomplete", msg)
	}
	return bw.Flush()
}

// githubLevel is the annotation command of a severity.
func githubLevel(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return "error"
	case finding.Medium:
		return "warning"
	}
	return "notice"
}

// githubCommand writes one annotation command.
func githubCommand(w *bufio.Writer, level string, rg graph.Range, title, msg string) {
	var props []string
	if rg.File != "" {
		props = append(props, "file="+githubProperty(rg.File))
		if rg.Start.Line > 0 {
			props = append(props, "line="+strconv.Itoa(rg.Start.Line))
			oneLineRange := rg.End.Line == 0 || rg.End.Line == rg.Start.Line
			if oneLineRange && rg.Start.Column > 0 {
				props = append(props, "col="+strconv.Itoa(rg.Start.Column))
			}
			if rg.End.Line > rg.Start.Line {
				props = append(props, "endLine="+strconv.Itoa(rg.End.Line))
			} else {
				props = append(props, "endLine="+strconv.Itoa(rg.Start.Line))
			}
			if oneLineRange && rg.Start.Column > 0 {
				// Our end is exclusive, GitHub's inclusive.
				props = append(props, "endColumn="+strconv.Itoa(max(rg.End.Column-1, rg.Start.Column)))
			}
		}
	}
	props = append(props, "title="+githubProperty(title))
	_, _ = w.WriteString("::" + level + " " + strings.Join(props, ",") + "::" + githubData(msg) + "\n")
}

// githubData escapes a command's message: control characters other than
// line breaks are replaced, then % CR LF are percent-encoded.
func githubData(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r':
			return r
		case '\t':
			return ' '
		}
		return printable(r)
	}, strings.TrimSpace(s))
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// githubProperty escapes a command property: as githubData, and : and ,
// too.
func githubProperty(s string) string {
	return strings.NewReplacer(":", "%3A", ",", "%2C").Replace(githubData(s))
}
