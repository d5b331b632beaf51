package policies

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// header is the METADATA of a test rule.
func header(id, pkg string) string {
	return fmt.Sprintf("# METADATA\n# title: Rule %s\n# custom:\n#   id: %s\n#   severity: high\npackage %s\n\n", id, id, pkg)
}

// openGroup is a security group open to the internet on SSH (PCS-AWS-001)
// and a bucket with a tag, with ranges for every attribute path. The bucket
// is of a type no built-in rule reads (x_bucket), so only the rules of each
// test report it.
func openGroup() *graph.Graph {
	rg := func(line int) graph.Range {
		return graph.Range{File: "main.tf", Start: graph.Pos{Line: line, Column: 3}, End: graph.Pos{Line: line, Column: 20}}
	}
	g := &graph.Graph{Format: graph.FormatTerraform, Root: "net", Resources: []*graph.Resource{
		{Address: "aws_security_group.a", Mode: "managed", Type: "aws_security_group", Name: "a", Format: graph.FormatTerraform, Range: rg(1),
			Values: map[string]any{"description": "ssh", "vpc_id": "vpc-1", "ingress": []any{map[string]any{
				"description": "ssh", "protocol": "TCP", "from_port": 22, "to_port": 22, "cidr_blocks": []any{"0.0.0.0/0"},
			}}},
			Ranges: map[string]graph.Range{"": rg(1), "ingress.0": rg(4), "ingress.0.protocol": rg(5), "ingress.0.cidr_blocks": rg(6), "ingress.0.cidr_blocks.0": rg(7)}},
		{Address: "x_bucket.b", Mode: "managed", Type: "x_bucket", Name: "b", Format: graph.FormatTerraform, Range: rg(10),
			Values: map[string]any{"bucket": "abc", "tags": map[string]any{"Owner": "shared"}},
			Ranges: map[string]graph.Range{"": rg(10), "bucket": rg(11), "tags": rg(12), "tags.Owner": rg(12)}},
	}}
	g.Link()
	return g
}

// sshFinding is PCS-AWS-001's finding on openGroup.
var sshFinding = finding.Finding{
	RuleID: "PCS-AWS-001", Severity: finding.Critical,
	Message:  "Security group rule aws_security_group.a ingress.0 allows 0.0.0.0/0 to TCP port 22 (SSH)",
	Resource: "aws_security_group.a", Type: "aws_security_group", Attribute: "ingress.0.cidr_blocks.0", Root: "net",
	Location: finding.Location{Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 7, Column: 3}, End: graph.Pos{Line: 7, Column: 20}}},
	Blocks:   []graph.Range{{File: "main.tf", Start: graph.Pos{Line: 1, Column: 3}, End: graph.Pos{Line: 1, Column: 20}}},
	Key: "ingress[" + sum(`{"cidr_blocks":["0.0.0.0/0"],"description":"ssh","from_port":22,"protocol":"TCP","to_port":22}`) +
		"].cidr_blocks[" + sum(`"0.0.0.0/0"`) + "]",
}

// ownerFinding is ACME-002's finding on openGroup.
var ownerFinding = finding.Finding{
	RuleID: "ACME-002", Severity: finding.High, Message: "x_bucket.b is owned by shared",
	Resource: "x_bucket.b", Type: "x_bucket", Attribute: "tags.Owner", Root: "net",
	Location: finding.Location{Range: graph.Range{File: "main.tf", Start: graph.Pos{Line: 12, Column: 3}, End: graph.Pos{Line: 12, Column: 20}}},
	Blocks:   []graph.Range{{File: "main.tf", Start: graph.Pos{Line: 10, Column: 3}, End: graph.Pos{Line: 10, Column: 20}}},
	Key:      "tags.Owner",
}

// ownerRule (ACME-002) works: its findings must survive the failure of
// another rule.
var ownerRule = header("ACME-002", "acme.owner") + `deny contains {"resource": r.address, "attribute": "tags.Owner", "message": sprintf("%s is owned by %s", [r.address, r.values.tags.Owner])} if {
	some r in input.resources
	r.values.tags.Owner
}
`

func evaluate(t *testing.T, opts Options, g *graph.Graph, files map[string]string) ([]finding.Finding, []string) {
	t.Helper()
	opts.Sources = []Source{userSource(files)}
	eng, err := New(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	fs, diags, err := eng.Evaluate(ctx, g)
	if err != nil {
		t.Fatalf("Evaluate: %v", err)
	}
	var ds []string
	for _, d := range diags {
		if d.Severity != graph.SeverityError {
			t.Errorf("diagnostic %q is a %s, want an error (it fails the gate)", d.Summary, d.Severity)
		}
		ds = append(ds, d.Range.File+": "+d.Summary+": "+d.Detail)
	}
	return fs, ds
}

func TestRuntimeConflictCostsOnlyThatRule(t *testing.T) {
	// kind has one value per resource type: two types, two values.
	conflict := header("ACME-001", "acme.conflict") + `kind := r.type if {
	some r in input.resources
}

deny contains {"resource": r.address, "attribute": "", "message": kind} if {
	some r in input.resources
}
`
	fs, ds := evaluate(t, Options{}, openGroup(), map[string]string{"conflict.rego": conflict, "owner.rego": ownerRule})
	if diff := cmp.Diff([]finding.Finding{sshFinding, ownerFinding}, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	want := []string{
		`net: rule ACME-001 failed on net: acme/conflict.rego:8:1: eval_conflict_error: rule data.acme.conflict.kind produced conflicting values: "aws_security_group" at acme/conflict.rego:8; "x_bucket" at acme/conflict.rego:8 (rule acme/conflict.rego); its findings for this root are not reported`,
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestConflictingFunctionFailsEveryRuleThatCallsIt(t *testing.T) {
	// f conflicts for every argument. A failed query leaves f's first output
	// in OPA's cache: the next rule must not be served it.
	lib := "package acme.lib\n\nf(x) := 1 if x\n\nf(x) := 2 if x\n"
	user := func(id, pkg string) string {
		return header(id, pkg) + `import data.acme.lib

deny contains {"resource": r.address, "attribute": "", "message": sprintf("%v", [lib.f(true)])} if {
	some r in input.resources
}
`
	}
	fs, ds := evaluate(t, Options{}, openGroup(), map[string]string{"lib.rego": lib, "a.rego": user("ACME-001", "acme.a"), "c.rego": user("ACME-003", "acme.c"), "owner.rego": ownerRule})
	if diff := cmp.Diff([]finding.Finding{sshFinding, ownerFinding}, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	want := []string{
		"net: rule ACME-001 failed on net: acme/lib.rego:5:1: eval_conflict_error: function data.acme.lib.f produced conflicting values for the same inputs: 1 at acme/lib.rego:3; 2 at acme/lib.rego:5 (rule acme/a.rego); its findings for this root are not reported",
		"net: rule ACME-003 failed on net: acme/lib.rego:5:1: eval_conflict_error: function data.acme.lib.f produced conflicting values for the same inputs: 1 at acme/lib.rego:3; 2 at acme/lib.rego:5 (rule acme/c.rego); its findings for this root are not reported",
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestBuiltinErrorsAreReported(t *testing.T) {
	direct := header("ACME-001", "acme.number") + `deny contains {"resource": r.address, "attribute": "bucket", "message": sprintf("bucket number %v", [to_number(r.values.bucket)])} if {
	some r in input.resources
	r.type == "x_bucket"
}
`
	// The error is met in a helper of another file: the location is the
	// helper's, the rule is named.
	helper := "package acme.helper\n\nhalf(s) := to_number(s) / 2\n"
	indirect := header("ACME-003", "acme.indirect") + `import data.acme.helper

deny contains {"resource": r.address, "attribute": "", "message": sprintf("half %v", [helper.half(r.values.bucket)])} if {
	some r in input.resources
	r.type == "x_bucket"
}
`
	fs, ds := evaluate(t, Options{}, openGroup(), map[string]string{"number.rego": direct, "helper.rego": helper, "indirect.rego": indirect, "owner.rego": ownerRule})
	if diff := cmp.Diff([]finding.Finding{sshFinding, ownerFinding}, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	want := []string{
		`net: rule ACME-001 failed on net: acme/number.rego:8:102: eval_builtin_error: to_number: strconv.ParseFloat: parsing "abc": invalid syntax (rule acme/number.rego); its findings for this root are not reported`,
		`net: rule ACME-003 failed on net: acme/helper.rego:3:12: eval_builtin_error: to_number: strconv.ParseFloat: parsing "abc": invalid syntax (rule acme/indirect.rego); its findings for this root are not reported`,
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestTimeoutCostsOnlyThatRule(t *testing.T) {
	// 10^12 iterations: it never ends within any limit.
	slow := header("ACME-001", "acme.slow") + `deny contains {"resource": r.address, "attribute": "", "message": "never"} if {
	some r in input.resources
	some i in numbers.range(1, 1000000)
	some j in numbers.range(1, 1000000)
	i * j < 0
}
`
	fs, ds := evaluate(t, Options{Timeout: 2 * time.Second, PerResource: 5 * time.Millisecond}, openGroup(),
		map[string]string{"slow.rego": slow, "owner.rego": ownerRule})
	if diff := cmp.Diff([]finding.Finding{sshFinding, ownerFinding}, fs); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	want := []string{
		"net: rule ACME-001 timed out on net: the evaluation exceeded its time limit of 2.01s (2s plus 5ms per resource, 2 resources) (acme/slow.rego); its findings for this root are not reported",
	}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestCancelledEvaluationNamesTheRulesNotEvaluated(t *testing.T) {
	eng, err := New(context.Background(), Options{Sources: []Source{userSource(map[string]string{"owner.rego": ownerRule})}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	fs, diags, err := eng.Evaluate(ctx, openGroup())
	if err != nil || len(fs) != 0 {
		t.Fatalf("err %v, findings %v", err, fs)
	}
	// The rules that would have run: the user rule and the built-in rules
	// of the graph's types, PCS-AWS-001 among them.
	var ids []string
	for _, i := range eng.selectFor(typesOf(openGroup())) {
		ids = append(ids, eng.all[i].ID)
	}
	if len(ids) < 2 || ids[0] != "ACME-002" || ids[1] != "PCS-AWS-001" {
		t.Fatalf("rules selected: %v", ids)
	}
	want := []graph.Diagnostic{{
		Severity: graph.SeverityError, Summary: "policy evaluation of net stopped: context canceled",
		Detail: "rules not evaluated: " + strings.Join(ids, ", "), Range: graph.Range{File: "net"},
	}}
	if diff := cmp.Diff(want, diags); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestClip(t *testing.T) {
	long := strings.Repeat("é", 3000) // 6,000 bytes
	got := clip(long, 1024)
	if len(got) > 1024 || !strings.HasSuffix(got, "... (5040 more bytes)") || !utf8.ValidString(got) {
		t.Errorf("clip: %d bytes, %q", len(got), got[len(got)-40:])
	}
	if clip("short", 1024) != "short" {
		t.Error("a short text is changed")
	}
}
