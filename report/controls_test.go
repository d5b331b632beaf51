package report

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/internal/golden"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report/reporttest"
)

func TestControlOrder(t *testing.T) {
	got := []string{noControl, "CIS-AWS-3.0:2.10", "SOC2:CC6.10", "AWS-FSBP:S3.5", "SOC2:CC6.6", "CIS-AWS-3.0:2.1.1",
		"SOC2:CC6.1", "CIS-AWS-3.0:2.9", "SOC2:A1.2", "CC6.1", "SOC2:CC06.1"}
	sort.Slice(got, func(i, j int) bool { return ControlLess(got[i], got[j]) })
	want := []string{"SOC2:A1.2", "SOC2:CC06.1", "SOC2:CC6.1", "SOC2:CC6.6", "SOC2:CC6.10",
		"AWS-FSBP:S3.5", "CC6.1", "CIS-AWS-3.0:2.1.1", "CIS-AWS-3.0:2.9", "CIS-AWS-3.0:2.10", noControl}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

func TestTextByControl(t *testing.T) {
	r := reporttest.Report()
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{ByControl: true}); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "testdata/text_report_by_control.golden", b.Bytes())
	out := b.String()
	// Each finding is listed under every control of its rule, by its first
	// line and message; a rule without controls is under (no control); a
	// control without findings is not listed.
	for _, want := range []string{
		"CC1.3 (2 findings)\n", "CC6.1 (2 findings)\n", "CC6.6 (1 finding)\n", "CC6.7 (1 finding)\n",
		"CIS-AWS-5.2 (1 finding)\n", "(no control) (2 findings)\n",
		"\n  main.tf:9:19: critical: PCL-AWS-001 Security group allows ingress from the internet\n" +
			`    Security group "aws_security_group.web" allows ingress from 0.0.0.0/0 on port 22` + "\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %q in:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Remediation:") || strings.Contains(out, "^^^") {
		t.Errorf("the grouped view has the details of each finding:\n%s", out)
	}
	// Diagnostics and the summary are those of the plain view.
	var plain bytes.Buffer
	if err := WriteText(&plain, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	tail := func(s string) string {
		_, after, _ := strings.Cut(s, "\nwarning")
		return after
	}
	if !strings.Contains(out, "\nwarning") || tail(out) != tail(plain.String()) {
		t.Errorf("diagnostics and summary differ:\n%s\n---\n%s", out, plain.String())
	}
}

func TestJSONControls(t *testing.T) {
	r := reporttest.Report()
	var doc JSONReport
	if err := json.Unmarshal(jsonOut(t, r), &doc); err != nil {
		t.Fatal(err)
	}
	rules := map[string]finding.Rule{}
	every := map[string]bool{}
	for _, rule := range r.Rules {
		rules[rule.ID] = rule
		for _, c := range rule.Controls {
			every[c] = true
		}
	}
	// Every control of every rule is a key, with or without findings.
	for c := range every {
		if _, ok := doc.Controls[c]; !ok {
			t.Errorf("control %s is not a key", c)
		}
	}
	// Each index is a finding of a rule listing the control, and each
	// finding is under every control of its rule.
	listed := map[[2]string]bool{}
	for c, idx := range doc.Controls {
		if !every[c] {
			t.Errorf("key %s is no rule's control", c)
		}
		for _, i := range idx {
			f := doc.Findings[i]
			if !contains(rules[f.RuleID].Controls, c) {
				t.Errorf("finding %d (%s) under %s", i, f.RuleID, c)
			}
			listed[[2]string{c, f.Fingerprint}] = true
		}
	}
	for _, f := range doc.Findings {
		for _, c := range rules[f.RuleID].Controls {
			if !listed[[2]string{c, f.Fingerprint}] {
				t.Errorf("finding %s of %s is not under %s", f.Fingerprint, f.RuleID, c)
			}
		}
	}
	if doc.Controls["CC6.6"] == nil || len(doc.Controls["CC6.6"]) != 1 {
		t.Errorf("CC6.6 = %v", doc.Controls["CC6.6"])
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
