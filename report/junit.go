package report

import (
	"encoding/xml"
	"io"
	"sort"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// junitTestSuites is the root of the JUnit XML document.
type junitTestSuites struct {
	XMLName  xml.Name         `xml:"testsuites"`
	Name     string           `xml:"name,attr"`
	Tests    int              `xml:"tests,attr"`
	Failures int              `xml:"failures,attr"`
	Errors   int              `xml:"errors,attr"`
	Skipped  int              `xml:"skipped,attr"`
	Suites   []junitTestSuite `xml:"testsuite"`
}

type junitTestSuite struct {
	Name     string          `xml:"name,attr"`
	Tests    int             `xml:"tests,attr"`
	Failures int             `xml:"failures,attr"`
	Errors   int             `xml:"errors,attr"`
	Skipped  int             `xml:"skipped,attr"`
	Cases    []junitTestCase `xml:"testcase"`
}

type junitTestCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Failure   *junitProblem `xml:"failure,omitempty"`
	Error     *junitProblem `xml:"error,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
}

type junitProblem struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes r as JUnit XML, which CI servers (GitLab, Jenkins,
// Azure Pipelines) show as test results: one test suite per rule that ran
// (or that has findings), named "RULE-ID Title", with one test case per
// finding, a failure for an open finding (its type the severity) and
// skipped, with the reason, for a suppressed one; a rule without findings
// has one passing test case, "no findings". Error diagnostics are errors
// of a last suite, "portcullis diagnostics": the scan was incomplete.
//
// A test case is named by its location and resource ("main.tf:9:19
// aws_security_group.web ingress.0.cidr_blocks") and carries file and line
// attributes. Suites are in rule ID order, test cases in the findings'
// canonical order. encoding/xml escapes the text and replaces characters
// XML cannot hold.
func WriteJUnit(w io.Writer, r *finding.Report) error {
	rules := ruleIndex(r.Rules)
	findings, diags := sortedCopies(r)
	byRule := map[string][]finding.Finding{}
	for _, f := range findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
	ids := make([]string, 0, len(rules)+len(byRule))
	for id := range rules {
		ids = append(ids, id)
	}
	for id := range byRule {
		if _, ok := rules[id]; !ok {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)

	doc := junitTestSuites{Name: nonEmpty(r.Tool.Name, "portcullis")}
	for _, id := range ids {
		rule := rules[id]
		suite := junitTestSuite{Name: strings.TrimSpace(id + " " + oneLine(rule.Title))}
		for _, f := range byRule[id] {
			suite.Cases = append(suite.Cases, junitCase(f, rule))
		}
		if len(suite.Cases) == 0 {
			suite.Cases = append(suite.Cases, junitTestCase{Name: "no findings", ClassName: id})
		}
		doc.add(suite)
	}
	var diagCases []junitTestCase
	for _, d := range diags {
		if d.Severity != graph.SeverityError {
			continue
		}
		text := d.Summary
		if detail := strings.TrimSpace(d.Detail); detail != "" {
			text += "\n" + detail
		}
		diagCases = append(diagCases, junitTestCase{
			Name: strings.TrimSpace(position(d.Range) + " " + oneLine(d.Summary)), ClassName: "portcullis.diagnostics",
			File: d.Range.File, Line: d.Range.Start.Line,
			Error: &junitProblem{Message: oneLine(d.Summary), Type: "error", Text: text},
		})
	}
	if len(diagCases) > 0 {
		doc.add(junitTestSuite{Name: "portcullis diagnostics", Cases: diagCases})
	}

	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// add counts a suite's cases and appends it.
func (d *junitTestSuites) add(s junitTestSuite) {
	for _, c := range s.Cases {
		s.Tests++
		switch {
		case c.Failure != nil:
			s.Failures++
		case c.Error != nil:
			s.Errors++
		case c.Skipped != nil:
			s.Skipped++
		}
	}
	d.Tests += s.Tests
	d.Failures += s.Failures
	d.Errors += s.Errors
	d.Skipped += s.Skipped
	d.Suites = append(d.Suites, s)
}

// junitCase is the test case of one finding.
func junitCase(f finding.Finding, rule finding.Rule) junitTestCase {
	rg := f.Location.Range
	name := position(rg)
	for _, part := range []string{f.Resource, f.Attribute} {
		if part != "" {
			name += " " + oneLine(part)
		}
	}
	c := junitTestCase{Name: name, ClassName: f.RuleID, File: rg.File, Line: rg.Start.Line}
	if s := f.Suppressed; s != nil {
		msg := nonEmpty(s.Kind, "suppressed")
		if s.Reason != "" {
			msg += ": " + oneLine(s.Reason)
		}
		for _, kv := range [][2]string{{"owner", s.Owner}, {"ticket", s.Ticket}, {"expires", s.Expires}} {
			if kv[1] != "" {
				msg += "; " + kv[0] + " " + oneLine(kv[1])
			}
		}
		c.Skipped = &junitSkipped{Message: msg}
		return c
	}
	var text strings.Builder
	text.WriteString(position(rg) + ": " + severityName(string(f.Severity)) + ": " + f.RuleID)
	if rule.Title != "" {
		text.WriteString(" " + rule.Title)
	}
	text.WriteString("\n" + f.Message + "\n")
	if f.Resource != "" {
		text.WriteString("resource " + f.Resource)
		if f.Attribute != "" {
			text.WriteString(", attribute " + f.Attribute)
		}
		text.WriteString("\n")
	}
	if para := firstParagraph(rule.Remediation); para != "" {
		text.WriteString("Remediation: " + para + "\n")
	}
	c.Failure = &junitProblem{Message: oneLine(f.Message), Type: severityName(string(f.Severity)), Text: clean(text.String())}
	return c
}
