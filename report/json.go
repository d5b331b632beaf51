package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// JSONSchemaVersion is the version of the JSON output's schema. Within one
// version fields are only ever added; a field is never removed, renamed or
// given another meaning or type without a new version.
const JSONSchemaVersion = 1

// JSONReport is the document WriteJSON writes. Its user documentation is
// docs/json-output.md. Shape, with every key always present but where
// marked:
//
//	{
//	  "schema_version": 1,
//	  "tool": {"name": "portcullis", "version": "1.2.3"},
//	  "findings": [
//	    {
//	      "rule_id": "PCS-AWS-001",           // stable, never reused
//	      "rule_name": "ingress-open-to-internet", // stable kebab-case slug; "" if the rule is unknown
//	      "title": "Network ingress open to the internet",
//	      "severity": "critical",             // critical | high | medium | low
//	      "message": "…",
//	      "resource": "aws_security_group.web",  // Terraform address or CloudFormation logical ID
//	      "resource_type": "aws_security_group",
//	      "attribute": "ingress.0.cidr_blocks",  // "" when the finding is about the whole resource
//	      "root": ".",                        // the root module, template or plan file scanned
//	      "location": {"file": "main.tf", "start_line": 9, "start_column": 19, "end_line": 9, "end_column": 32},
//	      "related": [{"description": "value from the default of var.cidr", "location": {…}}],
//	      "fingerprint": "bf80…",             // hex SHA-256 of Finding.Fingerprint
//	      "suppressed": {                     // only on a finding the triage stage took out
//	        "kind": "exception",              // inline | exception | baseline | excluded | unchanged | threshold
//	        "reason": "…",
//	        "owner": "web-team", "ticket": "SEC-123", "expires": "2027-03-31", // only when set
//	        "location": {…}                   // the ignore or exception entry; null when it has no place
//	      }
//	    }
//	  ],
//	  "diagnostics": [{"severity": "error", "summary": "…", "detail": "…", "location": {…}}],
//	  "summary": {
//	    "total": 6,                          // findings that count (not suppressed)
//	    "suppressed": 3,                     // findings that do not count: the sum of not_counted
//	    "not_counted": {"inline": 1, "exception": 1, "baseline": 1, "excluded": 0, "unchanged": 0, "threshold": 0},
//	    "by_severity": {"critical": 1, "high": 1, "medium": 3, "low": 1}, // of the total
//	    "resources": 12,                     // resources evaluated
//	    "not_created": 3,                    // switched off: count = 0, an empty for_each, a false Condition
//	    "diagnostics": 2
//	  },
//	  "controls": {                         // every control of the rules that ran
//	    "SOC2:CC6.1": [0, 2],                // indexes into findings (suppressed ones too)
//	    "SOC2:CC7.2": []                     // checked, nothing found
//	  }
//	}
//
// Lines and columns are 1-based; columns count Unicode code points; the end
// is exclusive (end_column is the column just after the last character). A
// location is null when it is not known. Arrays are [] when empty, never
// null. Findings are sorted by file, line, column, rule, resource,
// attribute and message; diagnostics by file and position.
type JSONReport struct {
	SchemaVersion int              `json:"schema_version"`
	Tool          JSONTool         `json:"tool"`
	Findings      []JSONFinding    `json:"findings"`
	Diagnostics   []JSONDiagnostic `json:"diagnostics"`
	Summary       JSONSummary      `json:"summary"`
	// Controls maps every control that the rules of the scan list to the
	// indexes in Findings of the findings of those rules (in order; [] when
	// none). Findings of rules that list no control are under no key.
	Controls map[string][]int `json:"controls"`
}

// JSONTool identifies the program that wrote the document.
type JSONTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// JSONFinding is one rule violation at one place.
type JSONFinding struct {
	RuleID       string        `json:"rule_id"`
	RuleName     string        `json:"rule_name"`
	Title        string        `json:"title"`
	Severity     string        `json:"severity"`
	Message      string        `json:"message"`
	Resource     string        `json:"resource"`
	ResourceType string        `json:"resource_type"`
	Attribute    string        `json:"attribute"`
	Root         string        `json:"root"`
	Location     *JSONLocation `json:"location"`
	Related      []JSONRelated `json:"related"`
	Fingerprint  string        `json:"fingerprint"`
	// Suppressed is set when the triage stage took the finding out of what
	// counts (an inline ignore, an exception, the baseline...); such a
	// finding does not fail the scan.
	Suppressed *JSONSuppression `json:"suppressed,omitempty"`
}

// JSONSuppression says why a finding does not count.
type JSONSuppression struct {
	// Kind is one of finding.SuppressionKinds: inline, exception,
	// baseline, excluded, unchanged, threshold.
	Kind    string `json:"kind"`
	Reason  string `json:"reason"`
	Owner   string `json:"owner,omitempty"`
	Ticket  string `json:"ticket,omitempty"`
	Expires string `json:"expires,omitempty"` // YYYY-MM-DD
	// Location is where the ignore or the exception is written; null for
	// kinds that have no place (baseline, threshold...).
	Location *JSONLocation `json:"location"`
}

// JSONLocation is a span of a source file. File is slash-separated and
// relative to the scan root. A line or column that is not known is 0.
type JSONLocation struct {
	File        string `json:"file"`
	StartLine   int    `json:"start_line"`
	StartColumn int    `json:"start_column"`
	EndLine     int    `json:"end_line"`
	EndColumn   int    `json:"end_column"`
}

// JSONRelated is one hop of the provenance of a finding's value: where the
// value was written before it reached the attribute.
type JSONRelated struct {
	Description string        `json:"description"`
	Location    *JSONLocation `json:"location"`
}

// JSONDiagnostic is a problem met while loading the input.
type JSONDiagnostic struct {
	Severity string        `json:"severity"` // error | warning | note
	Summary  string        `json:"summary"`
	Detail   string        `json:"detail"`
	Location *JSONLocation `json:"location"`
}

// JSONSummary counts the findings and diagnostics.
type JSONSummary struct {
	Total int `json:"total"` // findings not suppressed
	// Suppressed is the number of findings that do not count, whatever
	// the kind of their suppression: the sum of NotCounted.
	Suppressed int            `json:"suppressed"`
	NotCounted JSONNotCounted `json:"not_counted"`
	BySeverity JSONBySeverity `json:"by_severity"` // of the findings that count
	Resources  int            `json:"resources"`
	// NotCreated is the number of resources declared but switched off:
	// count = 0, an empty for_each, a false CloudFormation Condition.
	NotCreated  int `json:"not_created"`
	Diagnostics int `json:"diagnostics"`
}

// JSONNotCounted counts the suppressed findings by the kind of their
// suppression (every key always present).
type JSONNotCounted struct {
	Inline    int `json:"inline"`
	Exception int `json:"exception"`
	Baseline  int `json:"baseline"`
	Excluded  int `json:"excluded"`
	Unchanged int `json:"unchanged"`
	Threshold int `json:"threshold"`
}

// add counts one suppression of kind k (a kind that is not one of
// finding.SuppressionKinds counts only in JSONSummary.Suppressed).
func (n *JSONNotCounted) add(k string) {
	switch k {
	case finding.SuppressedInline:
		n.Inline++
	case finding.SuppressedException:
		n.Exception++
	case finding.SuppressedBaseline:
		n.Baseline++
	case finding.SuppressedExcluded:
		n.Excluded++
	case finding.SuppressedUnchanged:
		n.Unchanged++
	case finding.SuppressedThreshold:
		n.Threshold++
	}
}

// JSONBySeverity counts findings by severity. A finding whose severity is
// not one of these counts only in the total.
type JSONBySeverity struct {
	Critical int `json:"critical"`
	High     int `json:"high"`
	Medium   int `json:"medium"`
	Low      int `json:"low"`
}

// WriteJSON writes r as an indented JSONReport, followed by a newline.
func WriteJSON(w io.Writer, r *finding.Report) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(NewJSONReport(r)); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// NewJSONReport converts r to the JSON document, in canonical order. It
// does not modify r.
func NewJSONReport(r *finding.Report) JSONReport {
	rules := ruleIndex(r.Rules)
	findings, diags := sortedCopies(r)
	out := JSONReport{
		SchemaVersion: JSONSchemaVersion,
		Tool:          JSONTool{Name: r.Tool.Name, Version: r.Tool.Version},
		Findings:      make([]JSONFinding, 0, len(findings)),
		Diagnostics:   make([]JSONDiagnostic, 0, len(diags)),
		Summary: JSONSummary{
			Resources:   r.Resources,
			NotCreated:  r.NotCreated,
			Diagnostics: len(diags),
		},
	}
	for _, f := range findings {
		rule := rules[f.RuleID]
		jf := JSONFinding{
			RuleID:       f.RuleID,
			RuleName:     rule.Name,
			Title:        rule.Title,
			Severity:     string(f.Severity),
			Message:      f.Message,
			Resource:     f.Resource,
			ResourceType: f.Type,
			Attribute:    f.Attribute,
			Root:         f.Root,
			Location:     jsonLocation(f.Location.Range),
			Related:      make([]JSONRelated, 0, len(f.Location.Related)),
			Fingerprint:  f.FingerprintHash(),
		}
		for _, o := range f.Location.Related {
			jf.Related = append(jf.Related, JSONRelated{Description: o.Description, Location: jsonLocation(o.Range)})
		}
		out.Findings = append(out.Findings, jf)
		if f.Suppressed != nil {
			sup := f.Suppressed
			jf.Suppressed = &JSONSuppression{Kind: sup.Kind, Reason: sup.Reason, Owner: sup.Owner,
				Ticket: sup.Ticket, Expires: sup.Expires, Location: jsonLocation(sup.Range)}
			out.Findings[len(out.Findings)-1] = jf
			out.Summary.Suppressed++
			out.Summary.NotCounted.add(sup.Kind)
			continue
		}
		out.Summary.Total++
		switch f.Severity {
		case finding.Critical:
			out.Summary.BySeverity.Critical++
		case finding.High:
			out.Summary.BySeverity.High++
		case finding.Medium:
			out.Summary.BySeverity.Medium++
		case finding.Low:
			out.Summary.BySeverity.Low++
		}
	}
	out.Controls = map[string][]int{}
	for _, g := range byControl(rules, findings) {
		if g.control != noControl {
			out.Controls[g.control] = g.findings
		}
	}
	for _, d := range diags {
		out.Diagnostics = append(out.Diagnostics, JSONDiagnostic{
			Severity: string(d.Severity),
			Summary:  d.Summary,
			Detail:   d.Detail,
			Location: jsonLocation(d.Range),
		})
	}
	return out
}

// jsonLocation converts a range, or returns nil when it names no file. A
// missing end is the start.
func jsonLocation(rg graph.Range) *JSONLocation {
	if rg.File == "" {
		return nil
	}
	l := &JSONLocation{
		File:        rg.File,
		StartLine:   rg.Start.Line,
		StartColumn: rg.Start.Column,
		EndLine:     rg.End.Line,
		EndColumn:   rg.End.Column,
	}
	if l.EndLine == 0 {
		l.EndLine, l.EndColumn = l.StartLine, l.StartColumn
	}
	return l
}

// ruleIndex maps rule IDs to rules.
func ruleIndex(rules []finding.Rule) map[string]finding.Rule {
	m := make(map[string]finding.Rule, len(rules))
	for _, r := range rules {
		if _, dup := m[r.ID]; !dup {
			m[r.ID] = r
		}
	}
	return m
}

// sortedCopies returns r's findings and diagnostics in canonical order
// without reordering r itself.
func sortedCopies(r *finding.Report) ([]finding.Finding, []graph.Diagnostic) {
	c := finding.Report{
		Findings:    append([]finding.Finding(nil), r.Findings...),
		Diagnostics: append([]graph.Diagnostic(nil), r.Diagnostics...),
	}
	c.Sort()
	return c.Findings, c.Diagnostics
}
