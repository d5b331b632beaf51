package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dedupeFindings scans paths under testdata/dedupe (the scan root) and
// lists the findings as "rule root file:line:col message".
func dedupeFindings(t *testing.T, paths ...string) []string {
	t.Helper()
	root := filepath.Join("testdata", "dedupe")
	args := []string{"scan", "--no-config", "--root", root, "--format", "json"}
	for _, p := range paths {
		args = append(args, filepath.Join(root, p))
	}
	code, out, stderr := runCLI(t, args...)
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Findings []struct {
			RuleID   string `json:"rule_id"`
			Root     string `json:"root"`
			Message  string `json:"message"`
			Location struct {
				File        string `json:"file"`
				StartLine   int    `json:"start_line"`
				StartColumn int    `json:"start_column"`
			} `json:"location"`
		} `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range doc.Findings {
		got = append(got, fmt.Sprintf("%s %s %s:%d:%d %s", f.RuleID, f.Root, f.Location.File, f.Location.StartLine, f.Location.StartColumn, f.Message))
	}
	return got
}

// Two roots (prod, dev) call a module by the same name with different
// arguments: its resources have one address in both, and the finding in
// the module's own code (no description) one place and one message; each
// root's is kept. The plan beside infra/main.tf gives the finding its
// configuration gives, reported once, as the configuration's.
func TestDedupeByRootAndFingerprint(t *testing.T) {
	const (
		noDesc = "Security group rule module.sg.aws_security_group_rule.this has no description; say what the rule allows and why"
		open   = "Security group rule module.sg.aws_security_group_rule.this allows 0.0.0.0/0 to TCP port "
		infra  = "Security group rule aws_security_group.open ingress.0 allows 0.0.0.0/0 to TCP port 22 (SSH)"
	)
	want := []string{
		"PCS-AWS-001 infra infra/main.tf:9:20 " + infra,
		"PCS-AWS-003 dev modules/sg/main.tf:5:1 " + noDesc,
		"PCS-AWS-003 prod modules/sg/main.tf:5:1 " + noDesc,
		"PCS-AWS-001 prod modules/sg/main.tf:10:24 " + open + "22 (SSH)",
		"PCS-AWS-001 dev modules/sg/main.tf:10:24 " + open + "443 (HTTPS)",
	}
	if diff := cmp.Diff(want, dedupeFindings(t, ".")); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	// The plan alone gives the finding the configuration took its place.
	want = []string{"PCS-AWS-001 infra/plan.json infra/main.tf:9:20 " + infra}
	if diff := cmp.Diff(want, dedupeFindings(t, "infra/plan.json")); diff != "" {
		t.Errorf("plan alone: findings (-want +got):\n%s", diff)
	}
}
