package cloudformation

import (
	"fmt"
	"strings"
	"testing"
)

// A small template that repeats Fn::Join over a large string stops at the
// byte budget with one error diagnostic, instead of building gigabytes.
func TestValueBudgetCountsBytes(t *testing.T) {
	var b strings.Builder
	fmt.Fprintf(&b, "Parameters:\n  Big: {Type: String, Default: %s}\nResources:\n", strings.Repeat("x", 1<<20))
	for i := range 100 {
		fmt.Fprintf(&b, "  R%d:\n    Type: AWS::S3::Bucket\n    Properties:\n      P: !Join [\"\", [!Ref Big, !Ref Big, !Ref Big, !Ref Big]]\n", i)
	}
	g := loadYAML(t, "join.yaml", b.String(), Options{})
	want := fmt.Sprintf("35:10 error template too complex: evaluating the template builds more than %d bytes of values "+
		"(the limit; Fn::Join or Fn::Sub over large strings, copies of very large lists, nested Fn::ForEach, YAML aliases?); the rest is unknown", MaxValueBytes)
	if d := diagList(g); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	if len(g.Resources) != 100 {
		t.Fatalf("%d resources", len(g.Resources))
	}
	// Before the budget: known; after it: unknown, never dropped.
	if s, _ := g.Resource("R0").Values["P"].(string); len(s) != 4<<20 {
		t.Errorf("R0 P has %d bytes", len(s))
	}
	if r := g.Resource("R99"); jsonOrEmpty(r.Unknown) != `{"P":true}` {
		t.Errorf("R99 unknown = %s", jsonOrEmpty(r.Unknown))
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
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Summary != "template too complex" || g.Diagnostics[0].Range.Start.Line != 70 {
		t.Errorf("diagnostics:\n%s", diagList(g))
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
