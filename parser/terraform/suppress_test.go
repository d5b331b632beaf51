package terraform

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Ignores are comments found by the lexer: not text in strings or
// heredocs; the comment lines directly above a header (a blank line
// detaches them) or any line of the block; JSON files have none.
func TestInlineIgnoresAreComments(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
# portcullis:ignore R0 detached by a blank line

/* portcullis:ignore R1 a block comment */
// portcullis:ignore R2 a line comment
resource "x" "a" {
  s = "# portcullis:ignore * not a comment"
  h = <<EOT
# portcullis:ignore * in a heredoc
EOT
  /* portcullis:ignore R3 inside,
     on two lines */
}
resource "x" "b" {} # portcullis:ignore R4 on b's line
resource "x" "c" {
  #portcullis:ignore
  #	portcullis:ignore	R5	tabs	
}
`,
		"m/j.tf.json": `{"resource": {"x": {"j": {"//": "portcullis:ignore * JSON has no comments", "v": "# portcullis:ignore * a string"}}}}`,
	}), "m", Options{})
	got := map[string][]string{}
	for _, r := range g.Resources {
		for _, s := range r.Suppressions {
			got[r.Address] = append(got[r.Address], s.RuleID+"|"+s.Reason+"|"+s.Range.String()+"-"+rangeEnd(s.Range))
		}
	}
	want := map[string][]string{
		"x.a": {
			"R1|a block comment|m/main.tf:3:4-3:43",
			"R2|a line comment|m/main.tf:4:4-4:39",
			"R3|inside,|m/main.tf:10:6-10:34",
		},
		"x.b": {"R4|on b's line|m/main.tf:13:23-13:55"},
		"x.c": {"R5|tabs|m/main.tf:16:5-16:31"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
	wantDiags := []string{`m/main.tf:15:4: warning: ignore without a rule id: portcullis:ignore needs a rule id (or *) and a reason; it is not applied`}
	if diff := cmp.Diff(wantDiags, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func rangeEnd(r graph.Range) string {
	return strconv.Itoa(r.End.Line) + ":" + strconv.Itoa(r.End.Column)
}
