package triage

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

const register = `# accepted risks, reviewed quarterly
version: 1
exceptions:
  - rule: PCS-AWS-001
    resource: "module.edge.aws_security_group.*"
    reason: "the edge proxies are public by design"
    owner: team-net
    ticket: SEC-123
    expires: 2027-03-31
  - rule: "*"
    path: legacy/**
    reason: "légacy stack, being retired"
    owner: "team-platform"
    ticket: 4711
    expires: "2026-11-30"
`

func TestLoadExceptions(t *testing.T) {
	got, err := LoadExceptions(".portcullis/exceptions.yaml", []byte(register))
	if err != nil {
		t.Fatal(err)
	}
	want := []Exception{
		{Rule: "PCS-AWS-001", Resource: "module.edge.aws_security_group.*", Reason: "the edge proxies are public by design",
			Owner: "team-net", Ticket: "SEC-123", Expires: "2027-03-31",
			Range: graph.Range{File: ".portcullis/exceptions.yaml", Start: graph.Pos{Line: 4, Column: 5, Byte: 64}, End: graph.Pos{Line: 4, Column: 5, Byte: 64}}},
		{Rule: "*", Path: "legacy/**", Reason: "légacy stack, being retired", Owner: "team-platform", Ticket: "4711", Expires: "2026-11-30",
			Range: graph.Range{File: ".portcullis/exceptions.yaml", Start: graph.Pos{Line: 10, Column: 5, Byte: 251}, End: graph.Pos{Line: 10, Column: 5, Byte: 251}}},
	}
	if d := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Exception{})); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !strings.HasPrefix(register[64:], "rule: PCS-AWS-001") || !strings.HasPrefix(register[251:], `rule: "*"`) {
		t.Errorf("byte offsets do not point at the entries")
	}
}

func TestLoadExceptionsErrors(t *testing.T) {
	entry := func(lines ...string) string {
		return "version: 1\nexceptions:\n  - " + strings.Join(lines, "\n    ") + "\n"
	}
	full := []string{"rule: PCS-AWS-001", "resource: aws_s3_bucket.logs", "reason: r", "owner: o", "expires: 2027-01-31"}
	without := func(key string) string {
		var ls []string
		for _, l := range full {
			if !strings.HasPrefix(l, key+":") {
				ls = append(ls, l)
			}
		}
		return entry(ls...)
	}
	with := func(extra ...string) string { return entry(append(append([]string(nil), full...), extra...)...) }
	tests := []struct{ name, in, want string }{
		{"empty", "", "x.yaml:1:1: empty exceptions register, want version: 1"},
		{"comments only", "# nothing\n", "x.yaml:1:1: empty exceptions register, want version: 1"},
		{"syntax", "version: 1\nexceptions: [\n", "x.yaml:2: did not find expected node content"},
		{"not a mapping", "- a\n", "x.yaml:1:1: want a mapping with version and exceptions"},
		{"no version", "exceptions: []\n", "x.yaml:1:1: missing key version (want version: 1)"},
		{"version 2", "version: 2\n", `x.yaml:1:10: version: unsupported version "2" (want 1)`},
		{"version string", "version: \"1\"\n", `x.yaml:1:10: version: unsupported version "1" (want 1)`},
		{"unknown top key", "version: 1\nexception: []\n", `x.yaml:2:1: unknown key "exception" (did you mean "exceptions"?)`},
		{"repeated top key", "version: 1\nversion: 1\n", `x.yaml:2:1: version: repeated key`},
		{"exceptions not a list", "version: 1\nexceptions: {}\n", "x.yaml:2:13: exceptions: want a list of entries"},
		{"entry not a mapping", "version: 1\nexceptions:\n  - PCS-AWS-001\n", "x.yaml:3:5: exceptions[0]: want a mapping with rule, resource or path, reason, owner and expires"},
		{"unknown key", with("reson: x"), `x.yaml:8:5: exceptions[0]: unknown key "reson" (did you mean "reason"?)`},
		{"unknown key, no suggestion", with("severity: low"), `x.yaml:8:5: exceptions[0]: unknown key "severity"`},
		{"repeated key", with("owner: p"), "x.yaml:8:5: exceptions[0].owner: repeated key"},
		{"missing rule", without("rule"), "x.yaml:3:5: exceptions[0]: missing rule"},
		{"missing reason", without("reason"), "x.yaml:3:5: exceptions[0]: missing reason"},
		{"missing owner", without("owner"), "x.yaml:3:5: exceptions[0]: missing owner"},
		{"missing expires", without("expires"), "x.yaml:3:5: exceptions[0]: missing expires"},
		{"missing resource and path", without("resource"), `x.yaml:3:5: exceptions[0]: missing resource or path (an exception names what it covers; use resource: "*" for every resource)`},
		{"bad date", entry("rule: PCS-AWS-001", "path: a", "reason: r", "owner: o", "expires: 2027-02-30"), `x.yaml:7:14: exceptions[0].expires: bad date "2027-02-30" (want YYYY-MM-DD, a real day)`},
		{"short date", entry("rule: PCS-AWS-001", "path: a", "reason: r", "owner: o", "expires: \"2027-2-3\""), `x.yaml:7:14: exceptions[0].expires: bad date "2027-2-3" (want YYYY-MM-DD, a real day)`},
		{"empty reason", entry("rule: PCS-AWS-001", "path: a", "reason: \"  \"", "owner: o", "expires: 2027-01-01"), "x.yaml:5:13: exceptions[0].reason: empty value"},
		{"null owner", entry("rule: PCS-AWS-001", "path: a", "reason: r", "owner:", "expires: 2027-01-01"), "x.yaml:6:11: exceptions[0].owner: want a string"},
		{"list reason", entry("rule: PCS-AWS-001", "path: a", "reason: [a]", "owner: o", "expires: 2027-01-01"), "x.yaml:5:13: exceptions[0].reason: want a string"},
		{"bool owner", entry("rule: PCS-AWS-001", "path: a", "reason: r", "owner: true", "expires: 2027-01-01"), "x.yaml:6:12: exceptions[0].owner: want a string, not true (quote it)"},
		{"number rule", entry("rule: 12", "path: a", "reason: r", "owner: o", "expires: 2027-01-01"), "x.yaml:3:11: exceptions[0].rule: want a string, not the number 12 (quote it)"},
		{"date reason", entry("rule: PCS-AWS-001", "path: a", "reason: 2027-01-01", "owner: o", "expires: 2027-01-01"), "x.yaml:5:13: exceptions[0].reason: want a string, not the date 2027-01-01 (quote it)"},
		{"bad rule id", entry("rule: PCS AWS", "path: a", "reason: r", "owner: o", "expires: 2027-01-01"), `x.yaml:3:11: exceptions[0].rule: bad rule id "PCS AWS" (want a rule id such as PCS-AWS-001, or *)`},
		{"bad path glob", entry("rule: PCS-AWS-001", "path: \"a/[b\"", "reason: r", "owner: o", "expires: 2027-01-01"), `x.yaml:4:11: exceptions[0].path: bad path pattern "a/[b" (unclosed [ or {)`},
		{"absolute path", entry("rule: PCS-AWS-001", "path: /etc", "reason: r", "owner: o", "expires: 2027-01-01"), `x.yaml:4:11: exceptions[0].path: path pattern "/etc" is absolute; patterns are relative to the scan root`},
		{"dotdot path", entry("rule: PCS-AWS-001", "path: ../x", "reason: r", "owner: o", "expires: 2027-01-01"), `x.yaml:4:11: exceptions[0].path: path pattern "../x" holds ".."; patterns are relative to the scan root`},
		{"second entry", register + "  - rule: PCS-AWS-002\n", "x.yaml:16:5: exceptions[2]: missing reason"},
		{"anchor", "version: 1\nexceptions:\n  - &e {rule: A, path: a, reason: r, owner: o, expires: 2027-01-01}\n  - *e\n", "x.yaml:3:5: YAML anchors and aliases are not allowed in the exceptions register"},
		{"two documents", "version: 1\n---\nversion: 1\n", "x.yaml:2:1: a second YAML document; the register is one document"},
		{"too large", "version: 1\n" + strings.Repeat("#", maxRegisterSize), "x.yaml: the exceptions register is 4194315 bytes, more than the 4194304 allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := LoadExceptions("x.yaml", []byte(tc.in))
			if err == nil {
				t.Fatalf("no error, got %+v", got)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

func TestLoadExceptionsEmptyList(t *testing.T) {
	for _, in := range []string{"version: 1\n", "version: 1\nexceptions:\n", "version: 1\nexceptions: []\n"} {
		got, err := LoadExceptions("x.yaml", []byte(in))
		if err != nil || len(got) != 0 {
			t.Errorf("%q: got %v, %v; want no entries and no error", in, got, err)
		}
	}
}

func TestApplyExceptions(t *testing.T) {
	reg, err := LoadExceptions(".portcullis/exceptions.yaml", []byte(register+`  - rule: PCS-AWS-003
    resource: aws_s3_bucket.gone
    reason: "to be fixed"
    owner: team-data
    expires: 2027-01-01
  - rule: PCS-GCP-009
    resource: "*"
    reason: "rule disabled here"
    owner: team-data
    expires: 2027-01-01
  - rule: PCS-AWS-001
    resource: "module.edge.aws_security_group.proxy[\"a\"]"
    reason: "the same group, listed twice"
    owner: team-net
    expires: 2027-01-01
`))
	if err != nil {
		t.Fatal(err)
	}
	edge := sgFinding()
	edge.Resource = `module.edge.aws_security_group.proxy["a"]`
	edgeElsewhere := sgFinding()
	edgeElsewhere.Resource = "module.core.aws_security_group.proxy"
	legacy := moduleFinding()
	legacy.Location.Range.File = "legacy/old/main.tf"

	rep := newReport(edge, edgeElsewhere, legacy)
	diags := Apply(rep, Options{Now: clock, Inline: true, Exceptions: reg})
	want := []*finding.Suppression{
		{Kind: finding.SuppressedException, Reason: "the edge proxies are public by design", Owner: "team-net", Ticket: "SEC-123", Expires: "2027-03-31", Range: reg[0].Range},
		nil,
		nil, // the legacy entry expired yesterday
	}
	if d := cmp.Diff(want, suppressions(rep)); d != "" {
		t.Errorf("suppressions (-want +got):\n%s", d)
	}
	wantDiags := []graph.Diagnostic{
		warning(reg[1].Range, "exception for every rule in legacy/** expired on 2026-11-30",
			"it no longer suppresses findings: fix them, or renew the entry if the risk is still accepted (owner team-platform)"),
		warning(reg[2].Range, "exception matches no finding", "no finding of PCS-AWS-003 on aws_s3_bucket.gone; remove the entry if the problem is fixed"),
	}
	if d := cmp.Diff(wantDiags, diags); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

func TestExceptionByPathAndResource(t *testing.T) {
	ex := []Exception{{Rule: "PCS-AWS-002", Resource: "module.data.*", Path: "modules/bucket/*.tf", Reason: "r", Owner: "o", Expires: "2026-12-01",
		Range: at("exceptions.yaml", 3, 5)}}
	f := moduleFinding()
	rep := newReport(f)
	if diags := Apply(rep, Options{Now: clock, Exceptions: ex}); len(diags) != 0 {
		t.Errorf("diagnostics: %v", diags)
	}
	if s := rep.Findings[0].Suppressed; s == nil || s.Kind != finding.SuppressedException {
		t.Errorf("suppressed = %+v, want an exception", s)
	}
	ex[0].Path = "modules/other/*.tf"
	diags := Apply(rep, Options{Now: clock, Exceptions: ex})
	if rep.Findings[0].Suppressed != nil {
		t.Errorf("suppressed = %+v, want nil (path does not match)", rep.Findings[0].Suppressed)
	}
	want := []graph.Diagnostic{warning(ex[0].Range, "exception matches no finding",
		"no finding of PCS-AWS-002 on module.data.* in modules/other/*.tf; remove the entry if the problem is fixed")}
	if d := cmp.Diff(want, diags); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
	// The scan read modules/other/main.tf: the entry is in scope, unused.
	rep.Files = map[string]string{"modules/bucket/main.tf": "x", "modules/other/main.tf": "y"}
	if d := cmp.Diff(want, Apply(rep, Options{Now: clock, Exceptions: ex})); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
	// A partial scan that read no file under modules/other: nothing to say.
	rep.Files = map[string]string{"modules/bucket/main.tf": "x"}
	if diags := Apply(rep, Options{Now: clock, Exceptions: ex}); len(diags) != 0 {
		t.Errorf("an entry for files the scan did not read: %v", diags)
	}
}

// FuzzLoadExceptions: any input gives entries or an error naming the
// file, never a panic.
func FuzzLoadExceptions(f *testing.F) {
	f.Add(register)
	f.Add("version: 1\nexceptions:\n  - {rule: A, path: '[', reason: r, owner: o, expires: 2027-01-01}\n")
	f.Fuzz(func(t *testing.T, in string) {
		ex, err := LoadExceptions("x.yaml", []byte(in))
		if err != nil {
			if !strings.HasPrefix(err.Error(), "x.yaml") {
				t.Fatalf("error without the file name: %v", err)
			}
			return
		}
		for _, e := range ex {
			if e.Rule == "" || e.Reason == "" || e.Owner == "" || e.Expires == "" || (e.Resource == "" && e.Path == "") {
				t.Fatalf("an incomplete entry was accepted: %+v", e)
			}
		}
	})
}
