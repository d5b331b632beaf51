package terraform

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The text after "portcullis:ignore": rule ids, then key=value pairs or
// the earlier free-text reason; every malformed form is a problem.
func TestParseIgnoreText(t *testing.T) {
	for _, tc := range []struct {
		text string
		want ignoreFields
	}{
		{` PCS-AWS-001 reason="public HTTPS endpoint" owner=alice ticket=SEC-12 expires=2027-01-31`,
			ignoreFields{rules: []string{"PCS-AWS-001"}, reason: "public HTTPS endpoint", owner: "alice", ticket: "SEC-12", expires: "2027-01-31"}},
		{` PCS-AWS-001,PCS-AWS-003 reason=bare`, ignoreFields{rules: []string{"PCS-AWS-001", "PCS-AWS-003"}, reason: "bare"}},
		{`	*	reason="a \"quoted\" word, a \\ and \n"	`, ignoreFields{rules: []string{"*"}, reason: `a "quoted" word, a \ and \n`}},
		{` R ticket="SEC 1" reason="x"`, ignoreFields{rules: []string{"R"}, reason: "x", ticket: "SEC 1"}},
		// The earlier form: the rest of the line is the reason.
		{` PCS-AWS-001 public HTTPS endpoint, approved in SEC-123  `, ignoreFields{rules: []string{"PCS-AWS-001"}, reason: "public HTTPS endpoint, approved in SEC-123"}},
		{` R because a=b`, ignoreFields{rules: []string{"R"}, reason: "because a=b"}},
		{" R a \x1b[31mred\x1b[0m reason", ignoreFields{rules: []string{"R"}, reason: "a \uFFFD[31mred\uFFFD[0m reason"}},
		// Problems.
		{``, ignoreFields{problem: `portcullis:ignore needs a rule id (or *) and a reason: portcullis:ignore RULE-ID reason="why"`}},
		{`   `, ignoreFields{problem: `portcullis:ignore needs a rule id (or *) and a reason: portcullis:ignore RULE-ID reason="why"`}},
		{` PCS-AWS-001`, ignoreFields{rules: []string{"PCS-AWS-001"}, problem: `portcullis:ignore PCS-AWS-001 needs a reason: reason="why" after the rule id`}},
		{` R owner=alice`, ignoreFields{rules: []string{"R"}, owner: "alice", problem: `portcullis:ignore R needs a reason: reason="why" after the rule id`}},
		{` R reason=""`, ignoreFields{rules: []string{"R"}, problem: `portcullis:ignore R needs a reason: reason="why" after the rule id`}},
		{` R, reason=x`, ignoreFields{rules: []string{"R"}, problem: `portcullis:ignore: "" is not a rule id (letters, digits and _ . -, or * alone; several are separated by commas without spaces)`}},
		{` A,B/C reason=x`, ignoreFields{rules: []string{"A"}, problem: `portcullis:ignore: "B/C" is not a rule id (letters, digits and _ . -, or * alone; several are separated by commas without spaces)`}},
		{` reason="x"`, ignoreFields{problem: `portcullis:ignore: "reason=\"x\"" is not a rule id (letters, digits and _ . -, or * alone; several are separated by commas without spaces)`}},
		{` R reason=x color=red`, ignoreFields{rules: []string{"R"}, reason: "x", problem: `portcullis:ignore: unknown key "color" (the keys are reason, owner, ticket and expires)`}},
		{` R reason=x and more`, ignoreFields{rules: []string{"R"}, reason: "x", problem: `portcullis:ignore: "and" is not key=value (the keys are reason, owner, ticket and expires)`}},
		{` R reason="not closed`, ignoreFields{rules: []string{"R"}, problem: `portcullis:ignore: the quoted value of reason is not closed, or text follows its closing quote`}},
		{` R reason="x"y`, ignoreFields{rules: []string{"R"}, problem: `portcullis:ignore: the quoted value of reason is not closed, or text follows its closing quote`}},
		{` R reason=x reason=y`, ignoreFields{rules: []string{"R"}, reason: "x", problem: `portcullis:ignore: reason is given twice`}},
		{` R reason=x owner=`, ignoreFields{rules: []string{"R"}, reason: "x", problem: `portcullis:ignore: owner is empty`}},
		{` R reason=x expires=2027-02-30`, ignoreFields{rules: []string{"R"}, reason: "x", expires: "2027-02-30", problem: `portcullis:ignore R: expires=2027-02-30 is not a date YYYY-MM-DD`}},
		{` R reason=x expires=2027-1-31`, ignoreFields{rules: []string{"R"}, reason: "x", expires: "2027-1-31", problem: `portcullis:ignore R: expires=2027-1-31 is not a date YYYY-MM-DD`}},
		{` R reason=x expires=31/01/2027`, ignoreFields{rules: []string{"R"}, reason: "x", expires: "31/01/2027", problem: `portcullis:ignore R: expires=31/01/2027 is not a date YYYY-MM-DD`}},
		{` R reason=x expires=2028-02-29`, ignoreFields{rules: []string{"R"}, reason: "x", expires: "2028-02-29"}},
	} {
		got := parseIgnoreText(tc.text)
		if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(ignoreFields{})); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.text, diff)
		}
	}
}

// ignoreLine is a graph ignore on one line, for comparisons.
func ignoreLine(ig graph.Ignore) string {
	s := fmt.Sprintf("%s:%d:%d-%d:%d line=%d rules=%s reason=%q", ig.Range.File, ig.Range.Start.Line, ig.Range.Start.Column,
		ig.Range.End.Line, ig.Range.End.Column, ig.Line, strings.Join(ig.Rules, ","), ig.Reason)
	for _, kv := range [][2]string{{"owner", ig.Owner}, {"ticket", ig.Ticket}, {"expires", ig.Expires}, {"problem", ig.Problem}} {
		if kv[1] != "" {
			s += fmt.Sprintf(" %s=%q", kv[0], kv[1])
		}
	}
	return s
}

func ignoreLines(g *graph.Graph) []string {
	var out []string
	for _, ig := range g.Ignores {
		out = append(out, ignoreLine(ig))
	}
	return out
}

// Where each ignore applies: the code line below a comment on lines of its
// own (comment lines between are fine; a blank line or the end of the
// file detaches it), its own line after code. Comments are found by the
// lexer: never text in strings or heredocs, never in JSON files.
func TestInlineIgnorePlacement(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
# portcullis:ignore R0 reason="detached by a blank line"

/* portcullis:ignore R1 reason="a block comment" */
// portcullis:ignore R2 reason="a line comment, with another comment below"
# just a comment
resource "x" "a" {
  s = "# portcullis:ignore * not a comment"
  h = <<EOT
# portcullis:ignore * in a heredoc
EOT
  /* portcullis:ignore R3 reason="above a nested block"
     on two lines */
  ingress {
    cidr = "0.0.0.0/0" # portcullis:ignore R4 reason=trailing owner=net
    # portcullis:ignore R5 reason="above an argument"
    port = 22
  }
}
resource "x" "b" {} # portcullis:ignore R6 reason="on b's header line"
/* portcullis:ignore R7 reason="before code" */ resource "x" "c" {
  #portcullis:ignore
}
// portcullis:ignore R8 reason="at the end of the file"
`,
		"m/j.tf.json": `{"resource": {"x": {"j": {"//": "portcullis:ignore * JSON has no comments", "v": "# portcullis:ignore * a string"}}}}`,
	}), "m", Options{})
	want := []string{
		`m/main.tf:1:3-1:57 line=0 rules=R0 reason="detached by a blank line"`,
		`m/main.tf:3:4-3:52 line=6 rules=R1 reason="a block comment"`,
		`m/main.tf:4:4-4:76 line=6 rules=R2 reason="a line comment, with another comment below"`,
		`m/main.tf:11:6-11:56 line=13 rules=R3 reason="above a nested block"`,
		`m/main.tf:14:26-14:72 line=14 rules=R4 reason="trailing" owner="net"`,
		`m/main.tf:15:7-15:54 line=16 rules=R5 reason="above an argument"`,
		`m/main.tf:19:23-19:71 line=19 rules=R6 reason="on b's header line"`,
		`m/main.tf:20:4-20:48 line=20 rules=R7 reason="before code"`,
		`m/main.tf:21:4-21:21 line=22 rules= reason="" problem="portcullis:ignore needs a rule id (or *) and a reason: portcullis:ignore RULE-ID reason=\"why\""`,
		`m/main.tf:23:4-23:56 line=0 rules=R8 reason="at the end of the file"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	for _, ig := range g.Ignores {
		if ig.Root != "m" || ig.Resource != "" {
			t.Errorf("ignore %+v: root or resource", ig)
		}
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", diagLines(g))
	}
}

// CRLF line ends: ranges end before the \r, lines are the same as with LF.
func TestInlineIgnoreCRLF(t *testing.T) {
	src := "# portcullis:ignore PCS-AWS-001 reason=\"crlf\" expires=2027-01-31\r\n" +
		"resource \"x\" \"a\" {\r\n" +
		"  v = 1 // portcullis:ignore * old form reason\r\n" +
		"}\r\n"
	g := LoadModule(fstest.MapFS{"m/main.tf": {Data: []byte(src)}}, "m", Options{})
	want := []string{
		`m/main.tf:1:3-1:65 line=2 rules=PCS-AWS-001 reason="crlf" expires="2027-01-31"`,
		`m/main.tf:3:12-3:47 line=3 rules=* reason="old form reason"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
}

// The ignores of a graph: every file of the root and of the local modules
// it calls (an ignore above a module block is the root's), each once, in
// file order; not those of a module installed outside the repository, nor
// of a module directory no call reads.
func TestInlineIgnoresOfModules(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"root/main.tf": `
# portcullis:ignore PCS-AWS-001 reason="the edge module is public" ticket=SEC-9
module "edge" {
  source = "./edge"
}
module "edge2" {
  source = "./edge"
}
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}
`,
		"root/edge/main.tf": `
resource "x" "e" {
  # portcullis:ignore * reason=inside
  v = 1
}
`,
		"root/unused/main.tf":                            "# portcullis:ignore * reason=unused\nresource \"x\" \"u\" {}\n",
		"root/.terraform/modules/modules.json":           `{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Dir":".terraform/modules/vpc"}]}`,
		"root/.terraform/modules/vpc/main.tf":            "# portcullis:ignore * reason=\"upstream code\"\nresource \"aws_vpc\" \"this\" {}\n",
		"root/.terraform/modules/vpc/modules/sub/sub.tf": "",
	}), "root", Options{})
	want := []string{
		`root/edge/main.tf:2:5-2:38 line=3 rules=* reason="inside"`,
		`root/main.tf:1:3-1:80 line=2 rules=PCS-AWS-001 reason="the edge module is public" ticket="SEC-9"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	if g.Resource("module.vpc.aws_vpc.this") == nil {
		t.Errorf("the installed module was not read: %v %v", addresses(g), diagLines(g))
	}
}

// A file with OpenTofu files is read twice (both readings); its ignores
// are in the graph once.
func TestInlineIgnoresOnceWithOpenTofu(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf":   "# portcullis:ignore R reason=shared\nresource \"x\" \"a\" {}\n",
		"m/only.tofu": "resource \"x\" \"b\" {} # portcullis:ignore R reason=tofu\n",
	}), "m", Options{})
	want := []string{
		`m/main.tf:1:3-1:36 line=2 rules=R reason="shared"`,
		`m/only.tofu:1:23-1:54 line=1 rules=R reason="tofu"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
}
