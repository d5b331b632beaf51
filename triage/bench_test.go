package triage

import (
	"fmt"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// BenchmarkApply triages 20,000 findings in 2,000 files with 2,000 inline
// ignores, a register of 200 entries, a baseline of half the findings,
// changed lines and a threshold.
func BenchmarkApply(b *testing.B) {
	var fs []finding.Finding
	var ignores []graph.Ignore
	for i := range 20000 {
		file := fmt.Sprintf("stacks/s%d/main.tf", i/10)
		f := finding.Finding{
			RuleID: testRules[i%3].ID, Severity: finding.Severities[i%4], Root: fmt.Sprintf("stacks/s%d", i/10),
			Resource: fmt.Sprintf("aws_security_group.g%d", i%10), Key: fmt.Sprintf("ingress[%012d].cidr_blocks", i),
			Location: finding.Location{Range: at(file, 10+i%10*5, 5)}, Blocks: []graph.Range{at(file, 8+i%10*5, 1)},
		}
		fs = append(fs, f)
		if i%10 == 0 {
			ignores = append(ignores, graph.Ignore{Root: f.Root, Rules: []string{f.RuleID}, Reason: "r", Range: at(file, 7, 1), Line: 8})
		}
	}
	var ex []Exception
	for i := range 200 {
		ex = append(ex, Exception{Rule: "*", Path: fmt.Sprintf("stacks/s%d/**", i*5), Resource: "aws_security_group.g*", Reason: "r", Owner: "o", Expires: "2027-01-01"})
	}
	base := &Baseline{Name: "b.json", Fingerprints: map[string]bool{}}
	for i := 0; i < len(fs); i += 2 {
		base.Fingerprints[fs[i].FingerprintHash()] = true
	}
	changed := &Changes{Files: map[string]*LineSet{}}
	for i := 0; i < 2000; i += 3 {
		ls := &LineSet{}
		ls.Add(10, 20)
		changed.Files[fmt.Sprintf("stacks/s%d/main.tf", i)] = ls
	}
	opts := Options{Now: clock, Inline: true, Exclude: []string{"examples/**", "**/test/**"}, Exceptions: ex, Baseline: base, Changed: changed, Threshold: finding.Medium}
	b.ResetTimer()
	for range b.N {
		rep := newReport(fs...)
		rep.Ignores = ignores
		Apply(rep, opts)
	}
}
