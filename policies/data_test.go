package policies

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/config"
	"github.com/portcullis-iac/portcullis/parser/graph"
)

// TestOptionsData: the port settings of a configuration file reach the
// policies through Options.Data: a public port is not reported and a port
// added to the catalogue is graded by its category, in every evaluation.
func TestOptionsData(t *testing.T) {
	cfg, err := config.Load(config.FileName, []byte(`version: 1
ports:
  catalogue:
    6380: {service: Redis (TLS), category: cache}
  public: [443]
`))
	if err != nil {
		t.Fatal(err)
	}
	ingress := func(port int) map[string]any {
		return map[string]any{"from_port": port, "to_port": port, "protocol": "tcp", "cidr_blocks": []any{"0.0.0.0/0"}, "description": "test"}
	}
	newGraph := func() *graph.Graph {
		g := &graph.Graph{Format: graph.FormatTerraform, Root: ".", Resources: []*graph.Resource{{
			Address: "aws_security_group.web", Type: "aws_security_group", Mode: "managed", Name: "web",
			Values: map[string]any{
				"name": "web", "description": "web", "vpc_id": "vpc-0123",
				"ingress": []any{ingress(443), ingress(6380)},
			},
		}}}
		g.Link()
		return g
	}
	open := func(data map[string]any) []string {
		t.Helper()
		eng, err := New(context.Background(), Options{Data: data})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for range 2 { // the second evaluation reuses the prepared queries
			out = nil
			fs, diags, err := eng.Evaluate(context.Background(), newGraph())
			if err != nil || len(diags) != 0 {
				t.Fatalf("err %v diags %v", err, diags)
			}
			for _, f := range ofRule(fs, "PCS-AWS-001") {
				out = append(out, string(f.Severity)+" "+f.Message)
			}
		}
		return out
	}
	want := []string{
		"high Security group rule aws_security_group.web ingress.0 allows 0.0.0.0/0 to TCP port 443 (HTTPS)",
		"high Security group rule aws_security_group.web ingress.1 allows 0.0.0.0/0 to TCP port 6380",
	}
	if d := cmp.Diff(want, open(nil)); d != "" {
		t.Errorf("without data (-want +got):\n%s", d)
	}
	want = []string{
		"critical Security group rule aws_security_group.web ingress.1 allows 0.0.0.0/0 to TCP port 6380 (Redis (TLS))",
	}
	if d := cmp.Diff(want, open(cfg.PortsData())); d != "" {
		t.Errorf("with the configuration's ports (-want +got):\n%s", d)
	}
}
