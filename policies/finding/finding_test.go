package finding

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

func at(file string, line, col int) Location {
	return Location{Range: graph.Range{File: file, Start: graph.Pos{Line: line, Column: col}, End: graph.Pos{Line: line, Column: col + 9}}}
}

// brief lists findings as "root rule resource file:line:col severity message".
func brief(fs []Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s %s %s %s", f.Root, f.RuleID, f.Resource, f.Location.Range, f.Severity, f.Message))
	}
	return out
}

// Two roots call a module by the same name with different arguments: the
// findings in the module's code have one address, one place and one
// message, but two roots, so two fingerprints: both are kept.
func TestDedupeKeepsEveryRoot(t *testing.T) {
	sg := "module.sg.aws_security_group.this"
	rep := &Report{Findings: []Finding{
		{Root: "prod", RuleID: "PCS-AWS-010", Severity: Low, Resource: sg, Attribute: "description", Message: "no description", Location: at("modules/sg/main.tf", 1, 1)},
		{Root: "dev", RuleID: "PCS-AWS-010", Severity: Low, Resource: sg, Attribute: "description", Message: "no description", Location: at("modules/sg/main.tf", 1, 1)},
	}}
	rep.Dedupe(nil)
	want := []string{
		"dev PCS-AWS-010 " + sg + " modules/sg/main.tf:1:1 low no description",
		"prod PCS-AWS-010 " + sg + " modules/sg/main.tf:1:1 low no description",
	}
	if diff := cmp.Diff(want, brief(rep.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// In one root, findings with one fingerprint are one finding: the one of
// the highest severity is kept, wherever it sorts.
func TestDedupeOneFindingPerFingerprint(t *testing.T) {
	r := "aws_security_group.web"
	rep := &Report{Findings: []Finding{
		{Root: ".", RuleID: "PCS-AWS-001", Severity: High, Resource: r, Attribute: "ingress.0.cidr_blocks", Key: "ingress[aa].cidr_blocks", Message: "port 443", Location: at("main.tf", 4, 3)},
		{Root: ".", RuleID: "PCS-AWS-001", Severity: Critical, Resource: r, Attribute: "ingress.0.cidr_blocks", Key: "ingress[aa].cidr_blocks", Message: "port 22", Location: at("main.tf", 9, 3)},
		{Root: ".", RuleID: "PCS-AWS-001", Severity: High, Resource: r, Attribute: "ingress.1.cidr_blocks", Key: "ingress[bb].cidr_blocks", Message: "port 80", Location: at("main.tf", 6, 3)},
		{Root: ".", RuleID: "PCS-AWS-001", Severity: High, Resource: r, Attribute: "ingress.1.cidr_blocks", Key: "ingress[bb].cidr_blocks", Message: "port 8080", Location: at("main.tf", 7, 3)},
	}}
	rep.Dedupe(nil)
	want := []string{
		". PCS-AWS-001 " + r + " main.tf:6:3 high port 80",
		". PCS-AWS-001 " + r + " main.tf:9:3 critical port 22",
	}
	if diff := cmp.Diff(want, brief(rep.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

// A plan beside its configuration: a finding of the plan at the place,
// with the message, of a finding of the configuration is dropped; one
// with another message (the plan was made with other variables), or one
// of a plan whose configuration was not scanned, is kept.
func TestDedupePlanBesideConfiguration(t *testing.T) {
	r := "aws_security_group.web"
	f := func(root, msg string, line int) Finding {
		attr := fmt.Sprintf("ingress.%d.cidr_blocks", line)
		return Finding{Root: root, RuleID: "PCS-AWS-001", Severity: High, Resource: r, Attribute: attr, Message: msg, Location: at("infra/main.tf", line, 5)}
	}
	rep := &Report{Findings: []Finding{
		f("infra/plan.json", "allows 0.0.0.0/0", 9),
		f("infra", "allows 0.0.0.0/0", 9),
		f("infra/plan.json", "allows ::/0", 12),
		f("infra", "allows 10.0.0.0/8 and 0.0.0.0/0", 12),
		f("other/plan.json", "allows 0.0.0.0/0", 9),
	}}
	rep.Dedupe(map[string]string{"infra/plan.json": "infra", "other/plan.json": "other"})
	want := []string{
		"infra PCS-AWS-001 " + r + " infra/main.tf:9:5 high allows 0.0.0.0/0",
		"other/plan.json PCS-AWS-001 " + r + " infra/main.tf:9:5 high allows 0.0.0.0/0",
		"infra PCS-AWS-001 " + r + " infra/main.tf:12:5 high allows 10.0.0.0/8 and 0.0.0.0/0",
		"infra/plan.json PCS-AWS-001 " + r + " infra/main.tf:12:5 high allows ::/0",
	}
	if diff := cmp.Diff(want, brief(rep.Findings)); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestDedupeDiagnostics(t *testing.T) {
	d := graph.Diagnostic{Severity: graph.SeverityError, Summary: "invalid JSON", Range: graph.Range{File: "a.json", Start: graph.Pos{Line: 2, Column: 1, Byte: 9}}}
	e := d
	e.Range.File = "b.json"
	rep := &Report{Diagnostics: []graph.Diagnostic{e, d, d}}
	rep.Dedupe(nil)
	if diff := cmp.Diff([]graph.Diagnostic{d, e}, rep.Diagnostics); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestSummariseNotCreated(t *testing.T) {
	rep := &Report{Resources: 3, NotCreated: 12, Findings: []Finding{{Severity: High}, {Severity: Low, Suppressed: &Suppression{Kind: SuppressedBaseline}}}}
	want := Summary{Total: 1, Suppressed: 1, Resources: 3, NotCreated: 12,
		BySeverity: map[Severity]int{Critical: 0, High: 1, Medium: 0, Low: 0}}
	if diff := cmp.Diff(want, rep.Summarise()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
}
