package plan

import (
	"os"
	"testing"
)

// Terraform writes set-typed blocks (a security group's ingress) in its own
// order, not the source's: the plan's ingress.0 is the source's second
// block, and its locations must say so.
func TestSetTypedBlocksAreMatchedByContent(t *testing.T) {
	g := Load(os.DirFS("testdata"), "setorder/plan.json", Options{})
	r := g.Resource("aws_security_group.web")
	if r == nil {
		t.Fatalf("no resource; diagnostics %v", g.Diagnostics)
	}
	for path, want := range map[string]string{
		"ingress.0.cidr_blocks.0": "setorder/main.tf:19:20", // 443 from 0.0.0.0/0
		"ingress.1.cidr_blocks.0": "setorder/main.tf:11:20", // 22 from 10.0.0.0/8
		"ingress.0":               "setorder/main.tf:14:3",
	} {
		if got := r.Ranges[path].String(); got != want {
			t.Errorf("%s at %s, want %s", path, got, want)
		}
	}
}
