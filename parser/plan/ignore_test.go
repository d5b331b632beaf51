package plan

import (
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The inline ignores of the Terraform source are the plan graph's, with
// the plan as their root; without a source there are none.
func TestIgnoresFromTheSource(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, f := range []string{"src/main.tf", "src/modules/net/main.tf", fullPlan} {
		data, err := os.ReadFile(path.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if f == "src/main.tf" {
			data = []byte(strings.Replace(string(data), `resource "aws_security_group" "web" {`,
				`resource "aws_security_group" "web" { # portcullis:ignore PCS-AWS-001 reason="web tier" expires=2027-01-31`, 1))
		}
		fsys[f] = &fstest.MapFile{Data: data}
	}
	g := Load(fsys, fullPlan, Options{SourceDir: "src"})
	want := []graph.Ignore{{Root: fullPlan, Rules: []string{"PCS-AWS-001"}, Reason: "web tier", Expires: "2027-01-31", Line: 10,
		Range: graph.Range{File: "src/main.tf", Start: graph.Pos{Line: 10, Column: 41, Byte: -1}, End: graph.Pos{Line: 10, Column: 107, Byte: -1}}}}
	got := g.Ignores
	for i := range got {
		got[i].Range.Start.Byte, got[i].Range.End.Byte = -1, -1
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	if got := rs(resource(t, g, "aws_security_group.web").Range); got != "src/main.tf:10:1-10:36" {
		t.Errorf("web at %s", got)
	}
	if g := Load(fsys, fullPlan, Options{}); len(g.Ignores) != 0 {
		t.Errorf("ignores without a source: %+v", g.Ignores)
	}
}
