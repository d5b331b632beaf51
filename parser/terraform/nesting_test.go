package terraform

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
)

// depthWalker measures the depth of a syntax tree.
type depthWalker struct{ depth, max int }

func (w *depthWalker) Enter(hclsyntax.Node) hcl.Diagnostics {
	w.depth++
	w.max = max(w.max, w.depth)
	return nil
}

func (w *depthWalker) Exit(hclsyntax.Node) hcl.Diagnostics {
	w.depth--
	return nil
}

// maxTreeDepth bounds the syntax tree of a file the scan lets through:
// each level the scan counts is a few nodes of the tree.
const maxTreeDepth = 4 * MaxExpressionDepth

// FuzzNestingScan checks the scan against the parser: a source the scan
// lets through parses (without overflowing the stack) into a tree no
// deeper than maxTreeDepth, and every template in it too.
func FuzzNestingScan(f *testing.F) {
	for _, s := range []string{
		openGroup,
		"locals {\n  x = [[[{a = \"${\"${1}\"}\"}]]]\n  h = <<EOT\n%{ for i in [1] }${i}%{ endfor }\nEOT\n}\n",
		"a = " + strings.Repeat("(", 200) + "1" + strings.Repeat(")", 200),
		"a = 1" + strings.Repeat(" + 1", 1000),
		"a = " + strings.Repeat("!", 1000) + "true",
		"a = \"" + strings.Repeat("%{if true}", 200) + strings.Repeat("%{endif}", 200) + "\"",
		"a = b" + strings.Repeat("[x]", 1000),
		"a = b" + strings.Repeat("[*].c", 500),
		"a = " + strings.Repeat("true ? 1 : ", 1000) + "2",
		"a = <<EOT\n" + strings.Repeat("${<<EOU\n", 100) + "x\n" + strings.Repeat("EOU\n}\n", 100) + "EOT\n",
		"a = \"${\"" + strings.Repeat("${\"", 100) + "\"}\"}\"",
		"/* unterminated " + strings.Repeat("[", 300),
		"a = \"\\\"" + strings.Repeat("[", 300) + "\"",
	} {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(`{"a": "${`+strings.Repeat("(", 200)+"1"+strings.Repeat(")", 200)+`}"}`), true)
	f.Fuzz(func(t *testing.T, src []byte, asJSON bool) {
		if asJSON {
			if p, _ := checkJSON(src); p != nil {
				return
			}
			f, _ := hcljson.Parse(src, "f.tf.json")
			if f == nil {
				return
			}
			attrs, _ := f.Body.JustAttributes()
			for _, a := range attrs {
				walkJSON(t, a.Expr)
			}
			return
		}
		if p, _ := checkConfig(src); p != nil {
			return
		}
		f, _ := hclsyntax.ParseConfig(src, "f.tf", hcl.InitialPos)
		w := &depthWalker{}
		hclsyntax.Walk(f.Body.(*hclsyntax.Body), w)
		if w.max > maxTreeDepth {
			t.Fatalf("the scan let through a tree %d deep", w.max)
		}
	})
}

// walkJSON parses every string of a JSON expression as a template and as
// an expression, as the evaluator and hcl do.
func walkJSON(t *testing.T, e hcl.Expression) {
	if items, d := hcl.ExprList(e); !d.HasErrors() {
		for _, it := range items {
			walkJSON(t, it)
		}
		return
	}
	if pairs, d := hcl.ExprMap(e); !d.HasErrors() {
		for _, kv := range pairs {
			walkJSON(t, kv.Key)
			walkJSON(t, kv.Value)
		}
		return
	}
	v, d := e.Value(nil)
	if d.HasErrors() || v.IsNull() || !v.IsKnown() || v.Type().FriendlyName() != "string" {
		return
	}
	for _, parse := range []func() (hclsyntax.Expression, hcl.Diagnostics){
		func() (hclsyntax.Expression, hcl.Diagnostics) {
			return hclsyntax.ParseTemplate([]byte(v.AsString()), "s", hcl.InitialPos)
		},
		func() (hclsyntax.Expression, hcl.Diagnostics) {
			return hclsyntax.ParseExpression([]byte(v.AsString()), "s", hcl.InitialPos)
		},
	} {
		x, _ := parse()
		if x == nil {
			continue
		}
		w := &depthWalker{}
		hclsyntax.Walk(x, w)
		if w.max > maxTreeDepth {
			t.Fatalf("the scan let through a string whose tree is %d deep", w.max)
		}
	}
}

func TestScanMatchesTheParserOnValidFiles(t *testing.T) {
	for _, src := range []string{
		openGroup,
		"a = \"${x}%%{y}$${z}\\\"\"\nb = <<-EOT\n  ${[for i in [1] : i]}\n  EOT\nc = {for k, v in {a = 1} : k => v... if v != 0}\n",
		"a = " + strings.Repeat("[", MaxNesting) + strings.Repeat("]", MaxNesting),
		"a = 1" + strings.Repeat(" + 1", MaxExpressionDepth),
	} {
		if p, _ := checkConfig([]byte(src)); p != nil {
			t.Errorf("%.40q: %s: %s", src, p.summary, p.detail)
		}
		if _, d := hclsyntax.ParseConfig([]byte(src), "f.tf", hcl.InitialPos); d.HasErrors() {
			t.Errorf("%.40q does not parse: %s", src, d.Error())
		}
	}
	for _, src := range []string{
		"a = " + strings.Repeat("[", MaxNesting+1) + strings.Repeat("]", MaxNesting+1),
		"a = 1" + strings.Repeat(" + 1", MaxExpressionDepth+1),
	} {
		if p, _ := checkConfig([]byte(src)); p == nil {
			t.Errorf("%.40q: passes the scan", src)
		}
	}
}

// The columns of positions are the runes from the line start, however
// they are found.
func TestColumnsMatchRuneCounts(t *testing.T) {
	line := strings.Repeat("aé€😀\xff", 300)
	src := []byte("x\n" + line + "\n\xef\xbb\xbfy" + line)
	p := newPositions()
	p.add("f", src)
	start := 0
	for i := 0; i <= len(src); i++ {
		if i > 0 && src[i-1] == '\n' {
			start = i
		}
		got := p.pos("f", hcl.Pos{Byte: i})
		if want := utf8.RuneCount(src[start:i]) + 1; got.Column != want {
			t.Fatalf("byte %d: column %d, want %d", i, got.Column, want)
		}
	}
	bom := []byte("\xef\xbb\xbf" + line)
	p.add("b", bom)
	for i := 3; i <= len(bom); i++ {
		if got, want := p.pos("b", hcl.Pos{Byte: i}).Column, utf8.RuneCount(bom[3:i])+1; got != want {
			t.Fatalf("BOM file, byte %d: column %d, want %d", i, got, want)
		}
	}
}
