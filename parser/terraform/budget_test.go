package terraform

import (
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Every case of the "Bounded" class ends with an exact error diagnostic
// (file, line, column, the limit) and keeps the rest of the scan: the open
// security group written beside it is still found, with its values. The
// deadline only guards against a hang; speed is measured by the
// benchmarks.

const openGroup = `
resource "aws_security_group" "open" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`

// loadBounded loads dir, failing the test if loading does not end within
// a generous deadline.
func loadBounded(t testing.TB, fsys fs.FS, dir string, opts Options) *graph.Graph {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	done := make(chan *graph.Graph, 1)
	go func() { done <- LoadModule(fsys, dir, opts) }()
	select {
	case g := <-done:
		return g
	case <-ctx.Done():
		t.Fatalf("loading %s did not end: %v", dir, ctx.Err())
		return nil
	}
}

func fullDiagnostics(g *graph.Graph) []string {
	var out []string
	for _, d := range g.Diagnostics {
		out = append(out, fmt.Sprintf("%s:%d:%d: %s: %s: %s", d.Range.File, d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Summary, d.Detail))
	}
	return out
}

// checkOpenGroupKept asserts that aws_security_group.open (in dir/open.tf)
// was evaluated with its literal values.
func checkOpenGroupKept(t *testing.T, g *graph.Graph, addr string) {
	t.Helper()
	for _, r := range g.Resources {
		if r.Address == addr {
			if got := jsonOf(r.Values); got != `{"ingress":[{"cidr_blocks":["0.0.0.0/0"],"from_port":22,"protocol":"tcp","to_port":22}]}` {
				t.Errorf("%s values = %s", addr, got)
			}
			return
		}
	}
	t.Errorf("%s is not in the graph: %v", addr, addresses(g))
}

func checkDiagnostics(t *testing.T, g *graph.Graph, want []string) {
	t.Helper()
	if diff := cmp.Diff(want, fullDiagnostics(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s\ngot: %q", diff, fullDiagnostics(g))
	}
}

const budgetDetail = "evaluating this module tree builds more than 268435456 bytes of values (loops, function calls, copies of large values); this value is unknown, and values evaluated after it may be unknown too"

func TestBoundDoublingLocals(t *testing.T) {
	var b strings.Builder
	b.WriteString("locals {\n  l0 = \"x\"\n")
	for i := 1; i <= 41; i++ {
		fmt.Fprintf(&b, "  l%d = [local.l%d, local.l%d]\n", i, i-1, i-1)
	}
	b.WriteString("}\nresource \"aws_s3_bucket\" \"b\" {\n  tags = { a = jsonencode(local.l41) }\n}\n")
	g := loadBounded(t, mapFS(map[string]string{"m/main.tf": b.String(), "m/open.tf": openGroup}), "m", Options{})
	checkDiagnostics(t, g, []string{
		"m/main.tf:22:9: error: evaluation budget exceeded: " + budgetDetail,
	})
	checkOpenGroupKept(t, g, "aws_security_group.open")
	if diff := cmp.Diff([]string{"aws_s3_bucket.b", "aws_security_group.open"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
}

func TestBoundNestedModuleInstances(t *testing.T) {
	files := map[string]string{
		"m/main.tf":   "module \"a\" {\n  source = \"./a\"\n  count  = 1000\n}\n",
		"m/open.tf":   openGroup,
		"m/a/main.tf": "module \"b\" {\n  source = \"../b\"\n  count  = 1000\n}\n",
		"m/b/main.tf": "module \"c\" {\n  source = \"../c\"\n  count  = 1000\n}\n",
		"m/c/main.tf": "variable \"x\" {\n  default = 1\n}\n",
	}
	g := loadBounded(t, mapFS(files), "m", Options{})
	detail := "the module tree expands to more than 100000 resource and module instances (count, for_each and module calls in every module together); past that an expansion is evaluated as one instance with an unknown key, and once none is left not at all"
	checkDiagnostics(t, g, []string{
		"m/a/main.tf:3:12: error: too many instances: " + detail,
		"m/b/main.tf:3:12: error: too many instances: " + detail,
	})
	checkOpenGroupKept(t, g, "aws_security_group.open")
}

func TestBoundNestedFor(t *testing.T) {
	files := map[string]string{
		"m/main.tf": `
locals {
  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]
}
resource "aws_s3_bucket" "b" {
  tags = { n = length(local.x) }
}
`,
		"m/open.tf": openGroup,
	}
	g := loadBounded(t, mapFS(files), "m", Options{})
	checkDiagnostics(t, g, []string{
		"m/main.tf:2:65: error: evaluation budget exceeded: " + budgetDetail,
	})
	checkOpenGroupKept(t, g, "aws_security_group.open")
}

func TestBoundCountTimesDynamic(t *testing.T) {
	files := map[string]string{
		"m/main.tf": `
locals {
  items = flatten([for i in range(100) : [for j in range(100) : i * 100 + j]])
}
resource "aws_security_group" "d" {
  count = 10000
  dynamic "ingress" {
    for_each = local.items
    content {
      from_port = ingress.value
    }
  }
}
`,
		"m/open.tf": openGroup,
	}
	g := loadBounded(t, mapFS(files), "m", Options{})
	checkDiagnostics(t, g, []string{
		"m/main.tf:7:16: error: evaluation budget exceeded: " + budgetDetail,
	})
	checkOpenGroupKept(t, g, "aws_security_group.open")
	if n := len(g.Resources); n != 10001 {
		t.Errorf("%d resources, want 10001", n)
	}
}

// deepTree is a fileset fixture: files at the end of a chain of depth
// directories, none named like the pattern's last component.
func deepTree(fsys fstest.MapFS, root string, depth, files int) {
	p := root
	for j := 0; j < depth; j++ {
		p += fmt.Sprintf("/d%d", j)
	}
	for i := 0; i < files; i++ {
		fsys[fmt.Sprintf("%s/f%d.txt", p, i)] = &fstest.MapFile{Data: []byte("x")}
	}
	fsys[p+"/match.tf.x"] = &fstest.MapFile{Data: []byte("x")}
}

func TestBoundFilesetDoubleStars(t *testing.T) {
	fsys := mapFS(map[string]string{
		"m/main.tf": `
resource "aws_s3_bucket" "b" {
  tags = { files = join(",", fileset(path.module, "**/**/**/**/**/**/**/**/**/*.x")) }
}
`,
		"m/open.tf": openGroup,
	})
	deepTree(fsys, "m/tree", 30, 20)
	g := loadBounded(t, fsys, "m", Options{})
	checkDiagnostics(t, g, nil)
	checkOpenGroupKept(t, g, "aws_security_group.open")
	if got := jsonOf(resource(t, g, "aws_s3_bucket.b").Values); got != `{"tags":{"files":"tree/d0/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/d13/d14/d15/d16/d17/d18/d19/d20/d21/d22/d23/d24/d25/d26/d27/d28/d29/match.tf.x"}}` {
		t.Errorf("values = %s", got)
	}
}

func TestBoundFilesetEntries(t *testing.T) {
	fsys := mapFS(map[string]string{
		"m/main.tf": `
resource "aws_s3_bucket" "b" {
  tags = { files = join(",", fileset(path.module, "**/*.x")) }
}
`,
		"m/open.tf": openGroup,
	})
	deepTree(fsys, "m/tree", 3, 200)
	g := loadBounded(t, fsys, "m", Options{Limits: Limits{FilesetEntries: 100}})
	checkDiagnostics(t, g, []string{
		`m/main.tf:2:10: error: fileset limit reached: more than 100 files and directories under "."; fileset visits at most that many; its result is unknown`,
	})
	checkOpenGroupKept(t, g, "aws_security_group.open")
}

// nested60000 is "[" nested 60,000 deep.
var nested60000 = strings.Repeat("[", 60000) + strings.Repeat("]", 60000)

const nestingDetail = "brackets, braces, parentheses, blocks, strings and template sequences are nested more than 256 levels deep here; it is not parsed"

func TestBoundNestingBeforeTheParser(t *testing.T) {
	jsonDeep := `{"locals": {"x": ` + strings.Repeat("[", 60000) + strings.Repeat("]", 60000) + `}}`
	for _, c := range []struct {
		name  string
		files map[string]string
		opts  Options
		want  []string
	}{
		{"native", map[string]string{"m/deep.tf": "locals {\n  x = " + nested60000 + "\n}\n"}, Options{},
			[]string{"m/deep.tf:2:262: error: nesting too deep: " + nestingDetail}},
		{"json", map[string]string{"m/deep.tf.json": jsonDeep}, Options{},
			[]string{"m/deep.tf.json:1:272: error: nesting too deep: arrays and objects are nested more than 256 levels deep here; it is not parsed"}},
		{"json template", map[string]string{"m/deep.tf.json": `{"locals": {"x": "${` + nested60000 + `}"}}`}, Options{},
			[]string{"m/deep.tf.json:1:18: error: nesting too deep: " + nestingDetail}},
		{"tfvars", map[string]string{"m/terraform.tfvars": "x = " + nested60000 + "\n", "m/vars.tf": "variable \"x\" {}\n"}, Options{},
			[]string{"m/terraform.tfvars:1:261: error: nesting too deep: " + nestingDetail}},
		{"tfvars.json", map[string]string{"m/terraform.tfvars.json": `{"x": ` + nested60000 + `}`, "m/vars.tf": "variable \"x\" {}\n"}, Options{},
			[]string{"m/terraform.tfvars.json:1:262: error: nesting too deep: arrays and objects are nested more than 256 levels deep here; it is not parsed"}},
		{"var-file", map[string]string{"m/vars.tf": "variable \"x\" {}\n"},
			Options{Vars: []VarInput{{File: "deep.tfvars", Content: []byte("x = " + nested60000 + "\n")}}},
			[]string{"deep.tfvars:1:261: error: nesting too deep: " + nestingDetail}},
		{"TF_VAR_", map[string]string{"m/vars.tf": "variable \"x\" {\n  type = list(any)\n}\n"},
			Options{Env: map[string]string{"TF_VAR_x": nested60000}},
			[]string{"m/vars.tf:1:1: error: nesting too deep: var.x: the value given by environment variable TF_VAR_x: " + nestingDetail}},
		{"-var", map[string]string{"m/vars.tf": "variable \"x\" {\n  type = list(any)\n}\n"},
			Options{Vars: []VarInput{{Name: "x", Value: nested60000}}},
			[]string{"m/vars.tf:1:1: error: nesting too deep: var.x: the value given by -var x: " + nestingDetail}},
		{"templatestring", map[string]string{"m/main.tf": "locals {\n  t = join(\"\", [for i in range(300) : \"%%{if true}\"])\n}\nresource \"x\" \"y\" {\n  v = templatestring(local.t, {})\n}\n"}, Options{},
			[]string{"m/main.tf:5:7: error: nesting too deep: in the template, at its line 1, column 2561: " + nestingDetail}},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.files["m/open.tf"] = openGroup
			g := loadBounded(t, mapFS(c.files), "m", c.opts)
			checkDiagnostics(t, g, c.want)
			checkOpenGroupKept(t, g, "aws_security_group.open")
		})
	}
}

func TestBoundOtherDepths(t *testing.T) {
	var chain strings.Builder
	chain.WriteString("locals {\n  c0 = 1\n")
	for i := 1; i <= 600; i++ {
		fmt.Fprintf(&chain, "  c%d = local.c%d\n", i, i-1)
	}
	chain.WriteString("}\nresource \"x\" \"y\" {\n  v = local.c600\n}\n")
	var wrap strings.Builder
	wrap.WriteString("locals {\n  w0 = 1\n")
	for i := 1; i <= 300; i++ {
		fmt.Fprintf(&wrap, "  w%d = [[[[local.w%d]]]]\n", i, i-1)
	}
	wrap.WriteString("}\nresource \"x\" \"y\" {\n")
	for i := 10; i <= 300; i += 10 {
		fmt.Fprintf(&wrap, "  v%d = local.w%d\n", i, i)
	}
	wrap.WriteString("}\n")
	for _, c := range []struct {
		name string
		src  string
		want []string
	}{
		{"operators", "locals {\n  x = 1" + strings.Repeat(" + 1", 5000) + "\n}\n",
			[]string{"m/main.tf:2:4101: error: expression too deep: operators, indexes and nested expressions here make an expression more than 1024 levels deep; it is not parsed"}},
		{"unary", "locals {\n  x = " + strings.Repeat("!", 5000) + "true\n}\n",
			[]string{"m/main.tf:2:1030: error: expression too deep: operators, indexes and nested expressions here make an expression more than 1024 levels deep; it is not parsed"}},
		{"tokens", "locals {\n  x = [" + strings.Repeat("1,", 1100000) + "]\n}\n",
			[]string{"m/main.tf:2:2000002: error: file too large to parse: more than 2000000 tokens; it is not parsed"}},
		{"reference chain", chain.String(),
			[]string{
				"m/main.tf:90:3: error: references nested too deep: evaluating this needs a chain of more than 512 values (locals, variables, outputs, resources) each waiting for the next; it is unknown",
				"m/main.tf:605:7: error: references nested too deep: the references of this value go through more than 512 locals, variables and outputs; edges past them are not recorded",
			}},
		{"value depth", wrap.String(),
			[]string{"m/main.tf:259:10: error: value nested too deep: this value is nested more than 1024 levels deep; it is unknown"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := loadBounded(t, mapFS(map[string]string{"m/main.tf": c.src, "m/open.tf": openGroup}), "m", Options{})
			checkDiagnostics(t, g, c.want)
			checkOpenGroupKept(t, g, "aws_security_group.open")
		})
	}
}

func TestBoundLoopsInJSONAndTemplates(t *testing.T) {
	for _, c := range []struct {
		name, file, src string
		want            []string
	}{
		{"template", "m/main.tf",
			"resource \"x\" \"y\" {\n  v = length(\"%{for a in range(1000)}%{for b in range(1000)}%{for c in range(1000)}x%{endfor}%{endfor}%{endfor}\")\n}\n",
			[]string{"m/main.tf:2:72: error: evaluation budget exceeded: " + budgetDetail}},
		{"json", "m/main.tf.json",
			`{"locals": {"x": "${[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]}"}, "resource": {"x": {"y": {"n": "${length(local.x)}"}}}}`,
			[]string{"m/main.tf.json:1:79: error: evaluation budget exceeded: " + budgetDetail}},
		{"templatestring", "m/main.tf",
			"resource \"x\" \"y\" {\n  v = length(templatestring(\"%%{for a in range(1000)}%%{for b in range(1000)}%%{for c in range(1000)}x%%{endfor}%%{endfor}%%{endfor}\", {}))\n}\n",
			[]string{"m/main.tf:2:7: error: evaluation budget exceeded: " + budgetDetail}},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := loadBounded(t, mapFS(map[string]string{c.file: c.src, "m/open.tf": openGroup}), "m", Options{})
			checkDiagnostics(t, g, c.want)
			checkOpenGroupKept(t, g, "aws_security_group.open")
		})
	}
}

func TestBoundDecoders(t *testing.T) {
	laughs := "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
	files := map[string]string{
		"m/main.tf": `
resource "x" "json" {
  v = jsondecode(file("${path.module}/deep.json"))
}
resource "x" "yaml" {
  v = yamldecode(file("${path.module}/laughs.yaml"))
}
resource "x" "flow" {
  v = yamldecode(file("${path.module}/flow.yaml"))
}
`,
		"m/open.tf":     openGroup,
		"m/deep.json":   nested60000,
		"m/laughs.yaml": laughs,
		"m/flow.yaml":   nested60000,
	}
	g := loadBounded(t, mapFS(files), "m", Options{})
	checkDiagnostics(t, g, []string{
		"m/main.tf:2:7: error: decoder input beyond the limits: the text given to jsondecode: the JSON is nested more than 256 levels deep; its result is unknown",
		"m/main.tf:5:7: error: decoder input beyond the limits: the text given to yamldecode: the YAML's aliases expand to more than 1000000 nodes; its result is unknown",
		"m/main.tf:8:7: error: decoder input beyond the limits: the text given to yamldecode: the YAML is nested more than 256 levels deep; its result is unknown",
	})
	checkOpenGroupKept(t, g, "aws_security_group.open")
}

func TestBoundRandomBytes(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	junk := make([]byte, 8<<20-1)
	r.Read(junk)
	fsys := mapFS(map[string]string{"m/open.tf": openGroup})
	fsys["m/junk.tf"] = &fstest.MapFile{Data: junk}
	g := loadBounded(t, fsys, "m", Options{})
	checkDiagnostics(t, g, []string{
		"m/junk.tf:1:230: error: too many invalid characters: more than 100 characters that are not valid here (not UTF-8 text, or not used by the language); it is not parsed",
	})
	checkOpenGroupKept(t, g, "aws_security_group.open")
}

func TestDiagnosticsPerFileAreCapped(t *testing.T) {
	var b strings.Builder
	for i := 0; i < 150; i++ {
		fmt.Fprintf(&b, "resource \"x\" \"r%d\" {\n  v = local.nope%d\n}\n", i, i)
	}
	g := loadBounded(t, mapFS(map[string]string{"m/bad.tf": b.String(), "m/open.tf": openGroup}), "m", Options{})
	got := fullDiagnostics(g)
	if len(got) != MaxDiagnosticsPerFile+1 {
		t.Fatalf("%d diagnostics, want %d", len(got), MaxDiagnosticsPerFile+1)
	}
	if want := "m/bad.tf:302:7: error: too many diagnostics: 50 more diagnostics for this file are not shown (at most 100 per file)"; got[len(got)-1] != want {
		t.Errorf("last diagnostic = %s\nwant %s", got[len(got)-1], want)
	}
	checkOpenGroupKept(t, g, "aws_security_group.open")
}

// securityGroups writes n security groups over files of 5,000 each.
func securityGroups(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	var b strings.Builder
	flush := func(i int) {
		fsys[fmt.Sprintf("m/sg%06d.tf", i)] = &fstest.MapFile{Data: []byte(b.String())}
		b.Reset()
	}
	for i := 0; i < n; i++ {
		if i%5000 == 0 && i > 0 {
			flush(i)
		}
		fmt.Fprintf(&b, "resource \"aws_security_group\" \"sg%d\" {\n  name = \"sg%d\"\n  ingress {\n    from_port   = 22\n    to_port     = 22\n    protocol    = \"tcp\"\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n", i, i)
	}
	flush(n)
	return fsys
}

func TestHundredThousandResources(t *testing.T) {
	if testing.Short() || raceEnabled {
		t.Skip("loads 100,000 resources (not in -short mode or under the race detector)")
	}
	g := loadBounded(t, securityGroups(MaxInstances), "m", Options{})
	checkDiagnostics(t, g, nil)
	if len(g.Resources) != MaxInstances {
		t.Fatalf("%d resources", len(g.Resources))
	}
	if got := jsonOf(resource(t, g, "aws_security_group.sg0").Values); got != `{"ingress":[{"cidr_blocks":["0.0.0.0/0"],"from_port":22,"protocol":"tcp","to_port":22}],"name":"sg0"}` {
		t.Errorf("sg0 values = %s", got)
	}
	r := g.Resources[len(g.Resources)-1]
	if r.Address != "aws_security_group.sg99999" || r.Range.File != "m/sg100000.tf" || r.Range.Start.Line != 4999*9+1 {
		t.Errorf("last resource %s at %s:%d", r.Address, r.Range.File, r.Range.Start.Line)
	}
}

// BenchmarkLoad100kSecurityGroups loads one root of 100,000 security
// groups (20 files); it reports the heap the graph and parsed files keep.
func BenchmarkLoad100kSecurityGroups(b *testing.B) {
	fsys := securityGroups(MaxInstances)
	for b.Loop() {
		cache := NewCache()
		g := LoadModule(fsys, "m", Options{Cache: cache})
		if len(g.Resources) != MaxInstances || len(g.Diagnostics) != 0 {
			b.Fatalf("%d resources, %d diagnostics", len(g.Resources), len(g.Diagnostics))
		}
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		b.ReportMetric(float64(m.HeapAlloc)/(1<<20), "heap-MiB")
		runtime.KeepAlive(cache)
	}
}

// BenchmarkLoadSecurityGroups shows loading is linear in the number of
// resources: ns/op per resource stays flat from 10,000 to 40,000.
func BenchmarkLoadSecurityGroups(b *testing.B) {
	for _, n := range []int{10_000, 20_000, 40_000} {
		fsys := securityGroups(n)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				if g := LoadModule(fsys, "m", Options{}); len(g.Resources) != n {
					b.Fatalf("%d resources", len(g.Resources))
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
		})
	}
}

// BenchmarkFilesetDoubleStars shows fileset's cost does not grow with the
// number of "**" in the pattern (it was exponential).
func BenchmarkFilesetDoubleStars(b *testing.B) {
	fsys := fstest.MapFS{}
	deepTree(fsys, "m/tree", 30, 20)
	for _, stars := range []int{1, 3, 9} {
		pattern := strings.Repeat("**/", stars) + "*.x"
		fn := functions(fsys, "m")["fileset"]
		b.Run(fmt.Sprint(stars), func(b *testing.B) {
			for b.Loop() {
				v, err := fn.Call([]cty.Value{cty.StringVal("."), cty.StringVal(pattern)})
				if err != nil || v.LengthInt() != 1 {
					b.Fatalf("%v %v", v, err)
				}
			}
		})
	}
}

// BenchmarkCheckSource is the scan every file goes through before it is
// parsed: linear in its size.
func BenchmarkCheckSource(b *testing.B) {
	for _, mb := range []int{1, 2} {
		var src strings.Builder
		for src.Len() < mb<<20 {
			src.WriteString(openGroup)
		}
		b.Run(fmt.Sprintf("%dMiB", mb), func(b *testing.B) {
			b.SetBytes(int64(src.Len()))
			for b.Loop() {
				if p, _ := checkConfig([]byte(src.String())); p != nil {
					b.Fatal(p.summary)
				}
			}
		})
	}
}

// BenchmarkColumnsOnOneLine converts a position per token of a one-line,
// non-ASCII file: linear in the file (it was quadratic).
func BenchmarkColumnsOnOneLine(b *testing.B) {
	for _, n := range []int{10_000, 40_000} {
		src := []byte(strings.Repeat(`"é",`, n))
		p := newPositions()
		p.add("f", src)
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			for b.Loop() {
				for i := 0; i < len(src); i += 5 {
					p.pos("f", hcl.Pos{Byte: i})
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/position")
		})
	}
}

// BenchmarkBoundedCases measures each bounded case of the tests, from
// source to graph.
func BenchmarkBoundedCases(b *testing.B) {
	var d strings.Builder
	d.WriteString("locals {\n  l0 = \"x\"\n")
	for i := 1; i <= 41; i++ {
		fmt.Fprintf(&d, "  l%d = [local.l%d, local.l%d]\n", i, i-1, i-1)
	}
	d.WriteString("}\nresource \"x\" \"b\" {\n  t = jsonencode(local.l41)\n}\n")
	for _, c := range []struct {
		name  string
		files map[string]string
	}{
		{"doubling locals", map[string]string{"m/main.tf": d.String()}},
		{"nested for", map[string]string{"m/main.tf": "locals {\n  x = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n}\nresource \"x\" \"y\" {\n  n = length(local.x)\n}\n"}},
		{"nested modules", map[string]string{
			"m/main.tf":   "module \"a\" {\n  source = \"./a\"\n  count  = 1000\n}\n",
			"m/a/main.tf": "module \"b\" {\n  source = \"../b\"\n  count  = 1000\n}\n",
			"m/b/main.tf": "module \"c\" {\n  source = \"../c\"\n  count  = 1000\n}\n",
			"m/c/main.tf": "variable \"x\" {\n  default = 1\n}\n",
		}},
		{"count x dynamic", map[string]string{"m/main.tf": "locals {\n  items = flatten([for i in range(100) : [for j in range(100) : i * 100 + j]])\n}\nresource \"x\" \"d\" {\n  count = 10000\n  dynamic \"b\" {\n    for_each = local.items\n    content {\n      v = b.value\n    }\n  }\n}\n"}},
		{"deep nesting", map[string]string{"m/main.tf": "locals {\n  x = " + nested60000 + "\n}\n"}},
	} {
		fsys := mapFS(c.files)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if g := LoadModule(fsys, "m", Options{}); len(g.Diagnostics) == 0 {
					b.Fatal("no limit reached")
				}
			}
		})
	}
}
