package triage

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// clock is the fake clock of every test: 2026-12-01, late in the day UTC
// (already 2026-12-02 east of UTC+9, which must not matter).
func clock() time.Time { return time.Date(2026, 12, 1, 15, 30, 0, 0, time.UTC) }

func pos(line, col int) graph.Pos {
	return graph.Pos{Line: line, Column: col, Byte: (line-1)*100 + col - 1}
}

func rng(file string, line, col, endLine, endCol int) graph.Range {
	return graph.Range{File: file, Start: pos(line, col), End: pos(endLine, endCol)}
}

// at is a one-line range.
func at(file string, line, col int) graph.Range { return rng(file, line, col, line, col+10) }

var testRules = []finding.Rule{
	{ID: "PCS-AWS-001", Name: "open-ingress", Severity: finding.Critical},
	{ID: "PCS-AWS-002", Name: "s3-encryption", Severity: finding.High},
	{ID: "PCS-AWS-003", Name: "s3-versioning", Severity: finding.Medium},
}

func newReport(fs ...finding.Finding) *finding.Report {
	return &finding.Report{Rules: append([]finding.Rule(nil), testRules...), Findings: fs}
}

// sgFinding is PCS-AWS-001 on aws_security_group.web in main.tf, pointing
// at line 7 (the cidr_blocks argument) of the resource whose header is on
// line 3.
func sgFinding() finding.Finding {
	return finding.Finding{
		RuleID: "PCS-AWS-001", Severity: finding.Critical, Message: "open to the internet",
		Resource: "aws_security_group.web", Type: "aws_security_group", Attribute: "ingress.0.cidr_blocks",
		Root: ".", Location: finding.Location{Range: rng("main.tf", 7, 5, 7, 32)},
		Blocks: []graph.Range{at("main.tf", 3, 1)},
		Key:    "ingress[aaaaaaaaaaaa].cidr_blocks",
	}
}

// moduleFinding is PCS-AWS-002 in modules/bucket/main.tf (line 2, the
// resource header) produced by the module block on line 10 of main.tf,
// itself called from line 4 of root.tf: Blocks innermost first.
func moduleFinding() finding.Finding {
	return finding.Finding{
		RuleID: "PCS-AWS-002", Severity: finding.High, Message: "not encrypted",
		Resource: "module.data.module.logs.aws_s3_bucket.this", Type: "aws_s3_bucket",
		Root: ".", Location: finding.Location{Range: at("modules/bucket/main.tf", 2, 1)},
		Blocks: []graph.Range{at("modules/bucket/main.tf", 2, 1), at("main.tf", 10, 1), at("root.tf", 4, 1)},
	}
}

func ignore(file string, line, commentLine int, rules ...string) graph.Ignore {
	return graph.Ignore{Root: ".", Rules: rules, Reason: "accepted", Range: rng(file, commentLine, 3, commentLine, 60), Line: line}
}

func warning(r graph.Range, summary, detail string) graph.Diagnostic {
	return graph.Diagnostic{Severity: graph.SeverityWarning, Summary: summary, Detail: detail, Range: r}
}

func inlineSup(ig graph.Ignore) *finding.Suppression {
	return &finding.Suppression{Kind: finding.SuppressedInline, Reason: ig.Reason, Owner: ig.Owner, Ticket: ig.Ticket, Expires: ig.Expires, Range: ig.Range}
}

func suppressions(rep *finding.Report) []*finding.Suppression {
	out := make([]*finding.Suppression, len(rep.Findings))
	for i, f := range rep.Findings {
		out[i] = f.Suppressed
	}
	return out
}

func TestInlineIgnores(t *testing.T) {
	onLine := ignore("main.tf", 7, 7, "PCS-AWS-001")        // trailing comment on the finding's line
	above := ignore("main.tf", 7, 6, "PCS-AWS-001")         // comment on the line above
	aboveRes := ignore("main.tf", 3, 2, "PCS-AWS-001")      // above the resource header
	star := ignore("main.tf", 3, 2, "*")                    // every rule
	otherRule := ignore("main.tf", 7, 6, "PCS-AWS-003")     // a rule that ran, another finding
	otherLine := ignore("main.tf", 8, 8, "PCS-AWS-001")     // the line below the finding
	otherFile := ignore("other.tf", 7, 6, "PCS-AWS-001")    // same line number, other file
	aboveModule := ignore("main.tf", 10, 9, "PCS-AWS-002")  // above the module block that made the resource
	aboveOuter := ignore("root.tf", 4, 3, "PCS-AWS-002")    // above the outer module block
	inModule := ignore("modules/bucket/main.tf", 2, 1, "*") // above the resource inside the module
	blank := ignore("main.tf", 0, 5, "PCS-AWS-001")         // a blank line follows
	disabled := ignore("main.tf", 30, 29, "PCS-GCP-009")    // a rule that did not run
	owned := ignore("main.tf", 7, 6, "PCS-AWS-001")
	owned.Owner, owned.Ticket, owned.Expires = "team-net", "SEC-1", "2026-12-01"
	expired := ignore("main.tf", 7, 6, "PCS-AWS-001", "PCS-AWS-003")
	expired.Expires = "2026-11-30"
	malformed := ignore("main.tf", 7, 6)
	malformed.Problem = "no rule id: write portcullis:ignore RULE-ID reason=\"...\""
	otherRoot := ignore("main.tf", 7, 6, "PCS-AWS-001")
	otherRoot.Root = "envs/prod"
	cfn := graph.Ignore{Root: "stack.yaml", Rules: []string{"PCS-AWS-001"}, Reason: "public web tier", Range: rng("stack.yaml", 12, 11, 14, 30), Resource: "WebSG"}
	cfnFinding := finding.Finding{
		RuleID: "PCS-AWS-001", Severity: finding.Critical, Resource: "WebSG", Root: "stack.yaml",
		Location: finding.Location{Range: at("stack.yaml", 20, 9)}, Blocks: []graph.Range{at("stack.yaml", 8, 3)},
	}
	cfnOther := cfnFinding
	cfnOther.Resource = "DbSG"

	tests := []struct {
		name     string
		findings []finding.Finding
		ignores  []graph.Ignore
		opts     Options
		want     []*finding.Suppression
		diags    []graph.Diagnostic
	}{
		{name: "on the line", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{onLine},
			want: []*finding.Suppression{inlineSup(onLine)}},
		{name: "line above", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{above},
			want: []*finding.Suppression{inlineSup(above)}},
		{name: "above the resource", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{aboveRes},
			want: []*finding.Suppression{inlineSup(aboveRes)}},
		{name: "star", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{star},
			want: []*finding.Suppression{inlineSup(star)}},
		{name: "the most specific wins", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{star, above},
			want: []*finding.Suppression{inlineSup(above)}},
		{name: "above the module block", findings: []finding.Finding{moduleFinding()}, ignores: []graph.Ignore{aboveModule},
			want: []*finding.Suppression{inlineSup(aboveModule)}},
		{name: "above the outer module block", findings: []finding.Finding{moduleFinding()}, ignores: []graph.Ignore{aboveOuter},
			want: []*finding.Suppression{inlineSup(aboveOuter)}},
		{name: "innermost block wins", findings: []finding.Finding{moduleFinding()}, ignores: []graph.Ignore{aboveOuter, aboveModule, inModule},
			want: []*finding.Suppression{inlineSup(inModule)}},
		{name: "owner ticket expiry today still applies", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{owned},
			opts: Options{Require: []string{"owner", "ticket"}},
			want: []*finding.Suppression{inlineSup(owned)}},
		{name: "cloudformation metadata", findings: []finding.Finding{cfnFinding, cfnOther}, ignores: []graph.Ignore{cfn},
			want: []*finding.Suppression{inlineSup(cfn), nil}},
		{name: "other rule, other line, other file: unmatched", findings: []finding.Finding{sgFinding()},
			ignores: []graph.Ignore{otherRule, otherLine, otherFile},
			want:    []*finding.Suppression{nil},
			diags: []graph.Diagnostic{
				warning(otherRule.Range, "ignore matches no finding", "no finding of PCS-AWS-003 points at line 7, and no resource or module block that produced one starts there; remove the ignore if the problem is fixed"),
				warning(otherLine.Range, "ignore matches no finding", "no finding of PCS-AWS-001 points at line 8, and no resource or module block that produced one starts there; remove the ignore if the problem is fixed"),
				warning(otherFile.Range, "ignore matches no finding", "no finding of PCS-AWS-001 points at line 7, and no resource or module block that produced one starts there; remove the ignore if the problem is fixed"),
			}},
		{name: "blank line after the comment", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{blank},
			want: []*finding.Suppression{nil},
			diags: []graph.Diagnostic{warning(blank.Range, "ignore matches no finding",
				"it applies to no line: write it on the line a finding points at or directly above it, or above the resource or module block, with no blank line between")}},
		{name: "unmatched metadata ignore", findings: []finding.Finding{cfnOther}, ignores: []graph.Ignore{cfn},
			want:  []*finding.Suppression{nil},
			diags: []graph.Diagnostic{warning(cfn.Range, "ignore matches no finding", "no finding of PCS-AWS-001 on WebSG; remove the ignore if the problem is fixed")}},
		{name: "a rule that did not run is silent", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{disabled},
			want: []*finding.Suppression{nil}},
		{name: "expired", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{expired},
			want: []*finding.Suppression{nil},
			diags: []graph.Diagnostic{warning(expired.Range, "ignore of PCS-AWS-001, PCS-AWS-003 expired on 2026-11-30",
				"it no longer suppresses findings: fix them, or renew the date if the risk is still accepted")}},
		{name: "malformed", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{malformed},
			want:  []*finding.Suppression{nil},
			diags: []graph.Diagnostic{warning(malformed.Range, "malformed ignore, not applied", malformed.Problem)}},
		{name: "forbidden", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{above, aboveRes},
			opts: Options{Inline: false},
			want: []*finding.Suppression{nil},
			diags: []graph.Diagnostic{
				warning(aboveRes.Range, "inline ignores are forbidden by the configuration", "this ignore is not applied (ignores.inline is false); record the accepted risk in the exceptions register"),
				warning(above.Range, "inline ignores are forbidden by the configuration", "this ignore is not applied (ignores.inline is false); record the accepted risk in the exceptions register"),
			}},
		{name: "owner required", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{above},
			opts:  Options{Require: []string{"owner"}},
			want:  []*finding.Suppression{nil},
			diags: []graph.Diagnostic{warning(above.Range, "ignore without an owner, which the configuration requires", "this ignore is not applied; add owner=...")}},
		{name: "ticket required", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{above},
			opts:  Options{Require: []string{"ticket"}},
			want:  []*finding.Suppression{nil},
			diags: []graph.Diagnostic{warning(above.Range, "ignore without a ticket, which the configuration requires", "this ignore is not applied; add ticket=...")}},
		{name: "both required, and expired", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{expired},
			opts: Options{Require: []string{"ticket", "owner"}},
			want: []*finding.Suppression{nil},
			diags: []graph.Diagnostic{
				warning(expired.Range, "ignore of PCS-AWS-001, PCS-AWS-003 expired on 2026-11-30", "it no longer suppresses findings: fix them, or renew the date if the risk is still accepted"),
				warning(expired.Range, "ignore without an owner and a ticket, which the configuration requires", "this ignore is not applied; add owner=... ticket=..."),
			}},
		{name: "another root", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{otherRoot},
			want: []*finding.Suppression{nil},
			diags: []graph.Diagnostic{warning(otherRoot.Range, "ignore matches no finding",
				"no finding of PCS-AWS-001 points at line 7, and no resource or module block that produced one starts there; remove the ignore if the problem is fixed")}},
		{name: "copies per root: matched when any copy matched", findings: []finding.Finding{sgFinding()}, ignores: []graph.Ignore{otherRoot, above},
			want: []*finding.Suppression{inlineSup(above)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := newReport(tc.findings...)
			rep.Ignores = tc.ignores
			opts := tc.opts
			opts.Now = clock
			if tc.name != "forbidden" {
				opts.Inline = true
			}
			diags := Apply(rep, opts)
			if d := cmp.Diff(tc.want, suppressions(rep)); d != "" {
				t.Errorf("suppressions (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.diags, diags); d != "" {
				t.Errorf("diagnostics (-want +got):\n%s", d)
			}
		})
	}
}
