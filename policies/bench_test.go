//go:build unix

package policies

import (
	"context"
	"fmt"
	"io/fs"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
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

// syntheticBuiltin is the built-in policy set grown to n rules (at least
// its own): the library and the rules as they are, plus copies of the rules
// each with its own package, id and name that read (and declare in
// resource_types) types of their own ("awsx12_s3_bucket",
// "AWSX12::S3::Bucket"). So it measures a rule library of n rules of which a
// small scan needs the same few as with the real set.
func syntheticBuiltin(tb testing.TB, n int) fs.FS {
	tb.Helper()
	out := fstest.MapFS{}
	var rules []string
	err := fs.WalkDir(Builtin, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasSuffix(p, "_test.rego") {
			return err
		}
		b, err := fs.ReadFile(Builtin, p)
		if err != nil {
			return err
		}
		out[p] = &fstest.MapFile{Data: b}
		if lineStart(string(b), entrypoint) >= 0 {
			rules = append(rules, string(b))
		}
		return nil
	})
	if err != nil || len(rules) == 0 {
		tb.Fatal(err, len(rules))
	}
	pkg := regexp.MustCompile(`(?m)^package portcullis\.`)
	id := regexp.MustCompile(`(?m)^(#\s+id:\s*)(\S+)`)
	name := regexp.MustCompile(`(?m)^(#\s+name:\s*)(\S+)`)
	listed := regexp.MustCompile(`(?m)^(#\s+-\s+)aws_`)
	for k := range n - len(rules) {
		s, c := rules[k%len(rules)], fmt.Sprint(k+1)
		s = pkg.ReplaceAllString(s, "package synth.s"+c+".")
		s = id.ReplaceAllString(s, "${1}SYN-"+c+"-${2}")
		s = name.ReplaceAllString(s, "${1}${2}-"+c)
		s = listed.ReplaceAllString(s, "${1}awsx"+c+"_")
		s = strings.ReplaceAll(s, `"aws_`, `"awsx`+c+`_`)
		s = strings.ReplaceAll(s, "AWS::", "AWSX"+c+"::")
		out[fmt.Sprintf("synth/r%d.rego", k+1)] = &fstest.MapFile{Data: []byte(s)}
	}
	return out
}

// withBuiltin runs f with fsys as the built-in policy set.
func withBuiltin(tb testing.TB, fsys fs.FS, f func()) {
	tb.Helper()
	saved := builtinFS
	builtinFS = fsys
	defer func() { builtinFS = saved }()
	f()
}

// smallGraph is a pre-commit scan: one file, a security group, a rule, an
// instance and a bucket.
func smallGraph() *graph.Graph {
	return syntheticGraph(4)
}

// benchmarkOneFile is what a one-file scan pays in this package: compiling
// the rules and evaluating them over one small graph.
func benchmarkOneFile(b *testing.B, fsys fs.FS) {
	g := smallGraph()
	withBuiltin(b, fsys, func() {
		b.ReportAllocs()
		for b.Loop() {
			eng, err := New(context.Background(), Options{})
			if err != nil {
				b.Fatal(err)
			}
			if _, _, err := eng.Evaluate(context.Background(), g); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkOneFileBuiltin is a one-file scan with the built-in rules.
func BenchmarkOneFileBuiltin(b *testing.B) { benchmarkOneFile(b, Builtin) }

// BenchmarkOneFile40Rules is a one-file scan with a 40-rule built-in set.
func BenchmarkOneFile40Rules(b *testing.B) { benchmarkOneFile(b, syntheticBuiltin(b, 40)) }

// BenchmarkOneFile40UserRules is a one-file scan with the same 40 rules
// given as a policy directory: user rules are compiled whole by New.
func BenchmarkOneFile40UserRules(b *testing.B) {
	fsys := syntheticBuiltin(b, 40)
	user := fstest.MapFS{}
	_ = fs.WalkDir(fsys, "synth", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			user[p] = fsys.(fstest.MapFS)[p]
		}
		return err
	})
	g := smallGraph()
	b.ReportAllocs()
	for b.Loop() {
		eng, err := New(context.Background(), Options{Sources: []Source{{Name: "user", FS: user}}})
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := eng.Evaluate(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}
