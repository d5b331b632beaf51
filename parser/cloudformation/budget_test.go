package cloudformation

import (
	"fmt"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// budgetDetail is the detail of the diagnostic of the first value the
// budget refuses, followed by more.
func budgetDetail(more string) string {
	return fmt.Sprintf("evaluating the template builds more values than its budget allows: %d bytes for each resource, and %d more shared by the whole template "+
		"(Fn::Join or Fn::Sub over large strings, copies of very large lists, nested Fn::ForEach, YAML aliases?); what was being built here is unknown%s",
		ResourceValueBytes, MaxValueBytes, more)
}

// A small template that repeats Fn::Join over a large string stops at the
// byte budget with one error diagnostic, instead of building gigabytes.
func TestValueBudgetCountsBytes(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "Parameters:\n  Big: {Type: String, Default: %s}\nResources:\n", strings.Repeat("x", 1<<20))
	for i := range 100 {
		fmt.Fprintf(&b, "  R%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: !Join [\"\", [!Ref Big, !Ref Big, !Ref Big, !Ref Big]]\n", i)
	}
	g := loadYAML(t, "join.yaml", b.String(), Options{})
	// R7's join is the first value refused; R8 to R99 cannot pay for
	// theirs either (each needs 8 MiB, 16 KiB of its own).
	want := "35:10 error template too complex: " + budgetDetail("; the budget leaves values of 92 more resources unknown")
	if d := diagList(g); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if len(g.Resources) != 100 {
		t.Fatalf("%d resources", len(g.Resources))
	}
	// Before the budget: known; after it: unknown, never dropped.
	for i := range 7 {
		if s, _ := g.Resource(fmt.Sprint("R", i)).Values["P"].(string); len(s) != 4<<20 {
			t.Errorf("R%d P has %d bytes", i, len(s))
		}
	}
	for _, id := range []string{"R7", "R8", "R99"} {
		if r := g.Resource(id); jsonOrEmpty(r.Unknown) != `{"P":true}` || r.Meta["properties_unknown"] != true {
			t.Errorf("%s unknown = %s, meta %v", id, jsonOrEmpty(r.Unknown), r.Meta)
		}
	}
}

// YAML aliases of a long text are literals that the budget counts.
func TestValueBudgetCountsAliases(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "Metadata: {Big: &big %s}\nResources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P:\n", strings.Repeat("y", 1<<20))
	for range 200 {
		b.WriteString("        - *big\n")
	}
	g := loadYAML(t, "alias.yaml", b.String(), Options{})
	// 64 copies (1 MiB and 128 bytes each) fit in the resource's 16 KiB
	// and the shared 64 MiB; the 65th, on line 71, does not.
	if d, want := diagList(g), "71:11 error template too complex: "+budgetDetail(""); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if r := g.Resource("R"); jsonOrEmpty(r.Unknown) != `{"P":true}` {
		t.Errorf("R unknown = %s", jsonOrEmpty(r.Unknown))
	}
}

func TestResourceCapIsAnError(t *testing.T) {
	src := fmt.Sprintf("Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::B:\n    - N\n    - [%s]\n    - B${N}: {Type: AWS::S3::Bucket}\n",
		strings.Repeat("a,", 2*MaxResources)+"a")
	g := loadYAML(t, "cap.yaml", src, Options{})
	if d := diagList(g); d != fmt.Sprintf("5:7 error invalid Fn::ForEach: the collection of Fn::ForEach::B has more than %d items", maxForEachItems) {
		t.Errorf("diagnostics:\n%s", d)
	}
	// Two resources per iteration: the cap is reached at the last one.
	src = fmt.Sprintf("Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::B:\n    - N\n    - [%s]\n    - B${N}: {Type: AWS::S3::Bucket}\n      C${N}: {Type: AWS::S3::Bucket}\n",
		func() string {
			var items []string
			for i := range MaxResources/2 + 1 {
				items = append(items, fmt.Sprint(i))
			}
			return strings.Join(items, ",")
		}())
	g = loadYAML(t, "cap.yaml", src, Options{})
	want := fmt.Sprintf("6:7 error too many resources: the template declares more than %d resources (the limit, Fn::ForEach expansions included); "+
		"this one and the rest are not evaluated", MaxResources)
	if d := diagList(g); d != want || len(g.Resources) != MaxResources {
		t.Errorf("%d resources, diagnostics:\n%s\nwant\n%s", len(g.Resources), d, want)
	}
}

// Nesting 60,000 deep is an error at the bracket past the bound, in JSON
// and in YAML, never a stack overflow.
func TestDeepNestingThroughLoadSource(t *testing.T) {
	deep := strings.Repeat("[", 60000)
	for _, c := range []struct{ file, src, want string }{
		{"t.json", `{"Resources": {"R": {"Type": "AWS::S3::Bucket", "Properties": {"P": ` + deep,
			"1:1068 error nested too deeply: values are nested more than 1000 levels deep; deeper values are unknown\n" +
				"1:10065 error JSON syntax error: invalid character '[' exceeded max depth"},
		{"t.yaml", "Resources:\n  R:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: " + deep,
			"5:10010 error YAML syntax error: exceeded max depth of 10000"},
		{"t.yaml", "Resources: {R: {Type: AWS::S3::Bucket, Properties: {P: " + deep,
			"1:10053 error YAML syntax error: exceeded max depth of 10000"},
	} {
		g := LoadSource(c.file, []byte(c.src), false, Options{})
		if g == nil {
			t.Errorf("%s: passed over", c.file)
			continue
		}
		if d := diagList(g); !strings.HasPrefix(d, c.want) {
			t.Errorf("%s: diagnostics\n%s\nwant\n%s", c.file, d, c.want)
		}
	}
}

// joinRepeated is the hostile join-repeated template: a 4 KiB parameter,
// buckets buckets each joining 1,024 references to it (4 MiB each), then
// a security group open to the world.
func joinRepeated(buckets int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  P:\n    Type: String\n    Default: %q\n", strings.Repeat("x", 4096))
	b.WriteString("Metadata:\n  Refs: &refs [" + strings.TrimSuffix(strings.Repeat("!Ref P, ", 1024), ", ") + "]\nResources:\n")
	for i := range buckets {
		fmt.Fprintf(&b, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Join [\"\", *refs]\n", i)
	}
	b.WriteString("  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n      VpcId: vpc-1\n" +
		"      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: d}\n")
	return b.String()
}

// peakHeap runs f while sampling the heap's live objects, and returns the
// largest sample above the heap before f.
func peakHeap(f func()) uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() uint64 { metrics.Read(sample); return sample[0].Value.Uint64() }
	runtime.GC()
	base := read()
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			if h := read(); h > peak.Load() {
				peak.Store(h)
			}
			select {
			case <-done:
				return
			case <-time.After(100 * time.Microsecond):
			}
		}
	}()
	f()
	close(done)
	<-stopped
	if p := peak.Load(); p > base {
		return p - base
	}
	return 0
}

// BenchmarkLoadJoinRepeated loads the join-repeated template; peak-MiB is
// the largest live heap seen while loading, above the heap before.
func BenchmarkLoadJoinRepeated(b *testing.B) {
	src := []byte(joinRepeated(100))
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p := peakHeap(func() {
			g := LoadSource("template.yaml", src, false, Options{})
			runtime.KeepAlive(g)
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}

// The hostile join-repeated template: the buckets spend the shared budget,
// one error diagnostic says where, and the security group after them is
// still evaluated, from its own allowance: its open ingress is known.
func TestBudgetKeepsLaterResources(t *testing.T) {
	g := LoadSource("template.yaml", []byte(joinRepeated(100)), false, Options{})
	// 7 buckets (4 MiB of references and 4 MiB joined each) fit; the
	// 8th bucket's join, on line 40, is refused; no bucket after it can
	// pay for its references either.
	if d, want := diagList(g), "40:19 error template too complex: "+budgetDetail("; the budget leaves values of 92 more resources unknown"); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if len(g.Resources) != 101 {
		t.Fatalf("%d resources", len(g.Resources))
	}
	if s, _ := g.Resource("B6").Values["BucketName"].(string); len(s) != 4<<20 {
		t.Errorf("B6 BucketName has %d bytes", len(s))
	}
	for _, id := range []string{"B7", "B8", "B99"} {
		if r := g.Resource(id); jsonOrEmpty(r.Unknown) != `{"BucketName":true}` {
			t.Errorf("%s unknown = %s", id, jsonOrEmpty(r.Unknown))
		}
	}
	sg := g.Resource("G")
	if v := jsonOrEmpty(sg.Values); v != `{"GroupDescription":"g","SecurityGroupIngress":[{"CidrIp":"0.0.0.0/0","Description":"d","FromPort":22,"IpProtocol":"tcp","ToPort":22}],"VpcId":"vpc-1"}` {
		t.Errorf("G values = %s", v)
	}
	if len(sg.Unknown) != 0 || sg.Ranges["SecurityGroupIngress.0.CidrIp"].Start.Line != 415 {
		t.Errorf("G unknown = %s, CidrIp at %v", jsonOrEmpty(sg.Unknown), sg.Ranges["SecurityGroupIngress.0.CidrIp"])
	}
}

// A condition whose evaluation the budget refuses in one resource is not
// remembered as unknown: the next resource evaluates it from its own
// allowance, and the Fn::If it decides is known there.
func TestRefusedConditionIsEvaluatedAgain(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "Parameters:\n  P: {Type: String, Default: %s}\n", strings.Repeat("x", 4096))
	b.WriteString("Conditions:\n  C: !Equals [!Ref P, !Join [\"\", [!Ref P]]]\n") // 12,928 bytes
	b.WriteString("Metadata:\n  Refs: &refs [" + strings.TrimSuffix(strings.Repeat("!Ref P, ", 1024), ", ") + "]\nResources:\n")
	// The 8th bucket's join is refused (see TestBudgetKeepsLaterResources),
	// the 9th spends what is left of the shared budget.
	for i := range 9 {
		fmt.Fprintf(&b, "  B%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      BucketName: !Join [\"\", *refs]\n", i)
	}
	// A spends 8 KiB of its 16 KiB on references, and C needs 12.6 KiB:
	// more than A's own and the 4 KiB at most left of the shared budget.
	b.WriteString("  A:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: [!Ref P, !Ref P]\n      BucketName: !If [C, a, b]\n")
	b.WriteString("  G:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      CidrIp: !If [C, 0.0.0.0/0, 10.0.0.0/8]\n")
	src := b.String()
	g := LoadSource("t.yaml", []byte(src), false, Options{})
	if d, want := diagList(g), "39:19 error template too complex: "+budgetDetail("; the budget leaves values of 2 more resources unknown"); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if a := g.Resource("A"); jsonOrEmpty(a.Unknown) != `{"BucketName":true,"Tags":true}` {
		t.Errorf("A unknown = %s", jsonOrEmpty(a.Unknown))
	}
	if r := g.Resource("G"); jsonOrEmpty(r.Values) != `{"CidrIp":"0.0.0.0/0"}` || len(r.Unknown) != 0 {
		t.Errorf("G values = %s, unknown = %s", jsonOrEmpty(r.Values), jsonOrEmpty(r.Unknown))
	}
}

// Steps have the same shape of budget as bytes: resources made by an
// Fn::ForEach that each evaluate 2,000 nested Fn::If spend the shared
// steps; the first step refused is one error diagnostic, and the security
// group after them is evaluated from its own allowance.
func TestStepBudgetKeepsLaterResources(t *testing.T) {
	var b strings.Builder
	b.WriteString("Transform: AWS::LanguageExtensions\nConditions:\n  C: !Equals [a, a]\nMetadata:\n  Deep: &deep ")
	for range 49 {
		b.WriteString("!If [C, ")
	}
	b.WriteString("x" + strings.Repeat(", y]", 49) + "\nResources:\n  Fn::ForEach::L:\n    - N\n    - [")
	for i := range 5000 {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprint(&b, i)
	}
	b.WriteString("]\n    - B${N}:\n        Type: AWS::S3::Bucket\n        Properties:\n          Tags: [" + strings.TrimSuffix(strings.Repeat("*deep, ", 40), ", ") + "]\n")
	b.WriteString("  G:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      CidrIp: 0.0.0.0/0\n")
	g := LoadSource("t.yaml", []byte(b.String()), false, Options{})
	// About 4,000 resources fit (each takes 2,002 steps, 1,024 of its
	// own); the first refused is in the aliased Fn::If chain, located where
	// it is written; 914 more resources are refused.
	want := fmt.Sprintf("5:119 error template too complex: evaluating the template takes more steps than its budget allows: %d for each resource, and %d more shared by the whole template "+
		"(YAML aliases expanding to a very large tree?); what was being evaluated here is unknown; the budget leaves values of 914 more resources unknown", resourceSteps, maxSteps)
	if d := diagList(g); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if len(g.Resources) != 5001 {
		t.Fatalf("%d resources", len(g.Resources))
	}
	if r := g.Resource("B0"); len(r.Unknown) != 0 {
		t.Errorf("B0 unknown = %s", jsonOrEmpty(r.Unknown))
	}
	if r := g.Resource("B4999"); jsonOrEmpty(r.Unknown) != `{"Tags":true}` {
		t.Errorf("B4999 unknown = %s", jsonOrEmpty(r.Unknown))
	}
	if r := g.Resource("G"); jsonOrEmpty(r.Values) != `{"CidrIp":"0.0.0.0/0"}` || len(r.Unknown) != 0 {
		t.Errorf("G values = %s, unknown = %s", jsonOrEmpty(r.Values), jsonOrEmpty(r.Unknown))
	}
}

// A list parameter is counted when it is bound, before it is made: 4 MiB
// of commas would be 4 million values (about 1.7 GiB before); it is
// unknown, and what uses it too.
func TestLargeListParameterIsRefused(t *testing.T) {
	src := "Parameters:\n  L:\n    Type: CommaDelimitedList\n    Default: \"" + strings.Repeat(",", 4<<20) + "\"\n" +
		"Resources:\n  B:\n    Type: AWS::S3::Bucket\n    Properties:\n      Tags: !Ref L\n" +
		"  G:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n      CidrIp: 0.0.0.0/0\n"
	var g *graph.Graph
	peak := peakHeap(func() { g = LoadSource("t.yaml", []byte(src), false, Options{}) })
	t.Logf("peak heap while loading: %.1f MiB", float64(peak)/(1<<20))
	if d, want := diagList(g), "4:14 error template too complex: "+budgetDetail(""); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if r := g.Resource("B"); jsonOrEmpty(r.Unknown) != `{"Tags":true}` {
		t.Errorf("B unknown = %s", jsonOrEmpty(r.Unknown))
	}
	if r := g.Resource("G"); jsonOrEmpty(r.Values) != `{"CidrIp":"0.0.0.0/0"}` {
		t.Errorf("G values = %s", jsonOrEmpty(r.Values))
	}
}

// An Fn::ForEach after a parameter that spends the shared budget is still
// expanded: its collection, refused, is unknown, and the loop gives its
// one representative resource, evaluated from its own allowance.
func TestForEachAfterTheBudgetIsSpent(t *testing.T) {
	// 516,000 items count 67,080,127 bytes: 45 KiB short of the template's
	// 16 KiB and the shared 64 MiB; 2,000 more are refused.
	items := strings.TrimSuffix(strings.Repeat("a,", 516000), ",")
	var b strings.Builder
	fmt.Fprintf(&b, "Transform: AWS::LanguageExtensions\nParameters:\n  L: {Type: CommaDelimitedList, Default: %q}\nResources:\n", items)
	var coll []string
	for i := range 2000 {
		coll = append(coll, fmt.Sprint(i))
	}
	b.WriteString("  Fn::ForEach::SGs:\n    - N\n    - [" + strings.Join(coll, ", ") + "]\n" +
		"    - SG${N}:\n        Type: AWS::EC2::SecurityGroupIngress\n        Properties:\n          CidrIp: 0.0.0.0/0\n")
	g := LoadSource("t.yaml", []byte(b.String()), false, Options{})
	if d, want := diagList(g), "7:1618 error template too complex: "+budgetDetail(""); d != want { // at the item of the collection refused
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if len(g.Resources) != 1 {
		t.Fatalf("%d resources", len(g.Resources))
	}
	r := g.Resource("SG${N}")
	if r == nil || jsonOrEmpty(r.Values) != `{"CidrIp":"0.0.0.0/0"}` || r.Meta["expansion"] != "unknown" {
		t.Errorf("resources: %v", g.Resources)
	}
}

// A logical ID that an Fn::ForEach repeats is one diagnostic, however
// many iterations repeat it.
func TestForEachDuplicateReportedOnce(t *testing.T) {
	src := "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::B:\n    - N\n    - [a, b, c, d]\n    - Same:\n        Type: AWS::S3::Bucket\n"
	g := loadYAML(t, "dup.yaml", src, Options{})
	if d := diagList(g); d != "6:7 error duplicate resource: logical ID Same is declared more than once; the first declaration is used" {
		t.Errorf("diagnostics:\n%s", d)
	}
	if len(g.Resources) != 1 {
		t.Errorf("%d resources", len(g.Resources))
	}
}

// BenchmarkLoadBudgetCeiling loads a template that spends the whole shared
// budget on a list parameter and then 10,000 resources that each build
// their whole allowance (16 KiB): about the most evaluation may build.
func BenchmarkLoadBudgetCeiling(b *testing.B) {
	var s strings.Builder
	s.WriteString("Transform: AWS::LanguageExtensions\nParameters:\n  L: {Type: CommaDelimitedList, Default: \"" + strings.Repeat("a,", 500000) + "a\"}\n" +
		"Metadata:\n  V: &v [" + strings.TrimSuffix(strings.Repeat("ab, ", 120), ", ") + "]\nResources:\n")
	for k := range 2 {
		fmt.Fprintf(&s, "  Fn::ForEach::L%d:\n    - N\n    - [", k)
		for i := range 5000 {
			if i > 0 {
				s.WriteString(",")
			}
			fmt.Fprint(&s, i)
		}
		fmt.Fprintf(&s, "]\n    - B%d${N}:\n        Type: AWS::S3::Bucket\n        Properties:\n          Tags: *v\n", k)
	}
	src := []byte(s.String())
	b.ReportAllocs()
	var peak uint64
	for b.Loop() {
		p := peakHeap(func() {
			g := LoadSource("template.yaml", src, false, Options{})
			if len(g.Resources) != MaxResources || len(g.Diagnostics) != 0 {
				b.Fatalf("%d resources, diagnostics %v", len(g.Resources), g.Diagnostics)
			}
			runtime.KeepAlive(g)
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-MiB")
}
