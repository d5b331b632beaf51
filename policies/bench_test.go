//go:build unix

package policies

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// syntheticGraph builds one root with n resources: security groups with an
// open and a closed inline ingress block, standalone rules on them,
// instances placed in subnets and a few that name none.
func syntheticGraph(n int) *graph.Graph {
	g := &graph.Graph{Format: graph.FormatTerraform, Root: "big"}
	for i := 0; len(g.Resources) < n; i++ {
		sg := fmt.Sprintf("aws_security_group.g%d", i)
		r := graph.Range{File: "main.tf", Start: graph.Pos{Line: i + 1, Column: 1}, End: graph.Pos{Line: i + 1, Column: 10}}
		g.Resources = append(g.Resources,
			&graph.Resource{Address: sg, Mode: "managed", Type: "aws_security_group", Name: fmt.Sprintf("g%d", i), Format: graph.FormatTerraform, Range: r,
				Values: map[string]any{"description": "web", "vpc_id": "vpc-1", "ingress": []any{
					map[string]any{"description": "https", "protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": []any{"0.0.0.0/0"}},
					map[string]any{"description": "ssh", "protocol": "tcp", "from_port": 22, "to_port": 22, "cidr_blocks": []any{"10.0.0.0/8"}},
				}},
				Ranges: map[string]graph.Range{"": r}},
			&graph.Resource{Address: fmt.Sprintf("aws_security_group_rule.r%d", i), Mode: "managed", Type: "aws_security_group_rule", Name: fmt.Sprintf("r%d", i), Format: graph.FormatTerraform, Range: r,
				Values:  map[string]any{"type": "ingress", "protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": []any{"10.0.0.0/0"}},
				Unknown: map[string]any{"security_group_id": true},
				Refs:    []graph.Ref{{Attribute: "security_group_id", Target: sg, TargetAttribute: "id"}},
				Ranges:  map[string]graph.Range{"": r}},
			&graph.Resource{Address: fmt.Sprintf("aws_instance.i%d", i), Mode: "managed", Type: "aws_instance", Name: fmt.Sprintf("i%d", i), Format: graph.FormatTerraform, Range: r,
				Values: map[string]any{"ami": "ami-1", "instance_type": "t3.micro", "vpc_security_group_ids": []any{}},
				Refs:   []graph.Ref{{Attribute: "vpc_security_group_ids.0", Target: sg, TargetAttribute: "id"}},
				Ranges: map[string]graph.Range{"": r}},
			&graph.Resource{Address: fmt.Sprintf("aws_s3_bucket.b%d", i), Mode: "managed", Type: "aws_s3_bucket", Name: fmt.Sprintf("b%d", i), Format: graph.FormatTerraform, Range: r,
				Values: map[string]any{"bucket": fmt.Sprintf("b%d", i), "tags": map[string]any{"Owner": "team"}},
				Ranges: map[string]graph.Range{"": r}},
		)
	}
	g.Resources = g.Resources[:n]
	g.Link()
	return g
}

func benchmarkEvaluate(b *testing.B, n int, sensitive bool) {
	eng, err := New(context.Background(), Options{Sources: []Source{userSource(map[string]string{"bucket.rego": userRule})}})
	if err != nil {
		b.Fatal(err)
	}
	g := syntheticGraph(n)
	if sensitive {
		// One sensitive CIDR: every rule that returns something runs again
		// over the masked document.
		g.Resource("aws_security_group.g0").Sensitive = map[string]any{"ingress": []any{map[string]any{"cidr_blocks": true}}}
	}
	start := cpuTime()
	for b.Loop() {
		fs, ds, err := eng.Evaluate(context.Background(), g)
		if err != nil || len(ds) != 0 || len(fs) == 0 {
			b.Fatalf("err %v, %d diagnostics, %d findings", err, len(ds), len(fs))
		}
	}
	// The process's CPU time (every thread: the garbage collector too) per
	// evaluation: wall time means little on a shared machine.
	b.ReportMetric((cpuTime()-start).Seconds()/float64(b.N), "cpu-s/op")
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func BenchmarkEvaluate1kResources(b *testing.B)   { benchmarkEvaluate(b, 1000, false) }
func BenchmarkEvaluate10kResources(b *testing.B)  { benchmarkEvaluate(b, 10000, false) }
func BenchmarkEvaluate100kResources(b *testing.B) { benchmarkEvaluate(b, 100000, false) }

func BenchmarkEvaluate10kResourcesSensitive(b *testing.B)  { benchmarkEvaluate(b, 10000, true) }
func BenchmarkEvaluate100kResourcesSensitive(b *testing.B) { benchmarkEvaluate(b, 100000, true) }
