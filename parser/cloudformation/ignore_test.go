package cloudformation

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

func ignoreLines(g *graph.Graph) []string {
	var out []string
	for _, ig := range g.Ignores {
		s := fmt.Sprintf("%s %s:%d:%d-%d:%d line=%d resource=%s rules=%s reason=%q", ig.Root, ig.Range.File, ig.Range.Start.Line, ig.Range.Start.Column,
			ig.Range.End.Line, ig.Range.End.Column, ig.Line, ig.Resource, strings.Join(ig.Rules, ","), ig.Reason)
		for _, kv := range [][2]string{{"owner", ig.Owner}, {"ticket", ig.Ticket}, {"expires", ig.Expires}, {"problem", ig.Problem}} {
			if kv[1] != "" {
				s += fmt.Sprintf(" %s=%q", kv[0], kv[1])
			}
		}
		out = append(out, s)
	}
	return out
}

// Metadata.portcullis.ignore entries are ignores bound to their resource,
// with their range; a malformed entry or Metadata.portcullis is kept with
// its problem (the triage stage reports it) and is no diagnostic here.
func TestIgnores(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{})
	want := []string{
		`network.yaml network.yaml:39:13-40:63 line=0 resource=WebSg rules=PCS-AWS-001 reason="Public HTTPS endpoint, approved in SEC-123"`,
		`network.yaml network.yaml:41:13-41:30 line=0 resource=WebSg rules=PCS-AWS-002 reason="" problem="the ignore of PCS-AWS-002 needs a reason"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}

	g = loadYAML(t, "s.yaml", `Resources:
  B:
    Type: AWS::S3::Bucket
    Metadata:
      portcullis:
        ignore:
          - {rule: "*", reason: sandbox account}
          - rules: [PCS-AWS-001, PCS-AWS-003]
            reason: "public by design"
            owner: team-net
            ticket: 1234
            expires: 2027-01-31
          - rule: [x]
          - rule: PCS-AWS-001
            reason: x
            expires: 2027-02-30
          - {rule: R, reason: x, color: red}
          - {rule: R, rules: [S], reason: x}
          - {rule: "A B", reason: x}
          - {reason: x}
          - {rule: R, reason: !Ref Secret}
          - {rule: R, reason: x, owner: ""}
          - R
  C:
    Type: AWS::S3::Bucket
    Metadata:
      portcullis: {ignore: PCS-1}
  D:
    Type: AWS::S3::Bucket
    Metadata:
      portcullis:
        ignore: []
        other: 1
`, Options{})
	want = []string{
		`s.yaml s.yaml:7:13-7:49 line=0 resource=B rules=* reason="sandbox account"`,
		`s.yaml s.yaml:8:13-12:32 line=0 resource=B rules=PCS-AWS-001,PCS-AWS-003 reason="public by design" owner="team-net" ticket="1234" expires="2027-01-31"`,
		`s.yaml s.yaml:13:13-13:22 line=0 resource=B rules= reason="" problem="rule of an ignore entry must be a rule id (rules: a list of rule ids)"`,
		`s.yaml s.yaml:14:13-16:32 line=0 resource=B rules=PCS-AWS-001 reason="x" expires="2027-02-30" problem="the ignore of PCS-AWS-001: expires \"2027-02-30\" is not a date YYYY-MM-DD"`,
		`s.yaml s.yaml:17:13-17:45 line=0 resource=B rules= reason="x" problem="unknown key \"color\" in an ignore entry (the keys are rule or rules, reason, owner, ticket and expires)"`,
		`s.yaml s.yaml:18:13-18:45 line=0 resource=B rules= reason="x" problem="an ignore entry has both rule and rules"`,
		`s.yaml s.yaml:19:13-19:37 line=0 resource=B rules=A B reason="x" problem="\"A B\" is not a rule id (letters, digits and _ . -, or * alone)"`,
		`s.yaml s.yaml:20:13-20:24 line=0 resource=B rules= reason="x" problem="an ignore entry needs a rule id: rule: PCS-AWS-001, or \"*\" for every rule"`,
		`s.yaml s.yaml:21:13-21:43 line=0 resource=B rules= reason="" problem="reason of an ignore entry must be text"`,
		`s.yaml s.yaml:22:13-22:44 line=0 resource=B rules=R reason="x" problem="the ignore of R has an empty owner or ticket"`,
		`s.yaml s.yaml:23:13-23:14 line=0 resource=B rules= reason="" problem="an ignore entry must be a mapping (the keys are rule or rules, reason, owner, ticket and expires)"`,
		`s.yaml s.yaml:27:19-27:34 line=0 resource=C rules= reason="" problem="Metadata.portcullis must be a mapping with one key, ignore: a list of entries {rule, reason}"`,
		`s.yaml s.yaml:32:9-33:17 line=0 resource=D rules= reason="" problem="Metadata.portcullis must be a mapping with one key, ignore: a list of entries {rule, reason}"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	if d := diagList(g); d != "" {
		t.Errorf("diagnostics:\n%s", d)
	}
}

// JSON templates: the same entries; an Fn::ForEach resource's ignores are
// bound to each resource it makes.
func TestIgnoresJSONAndForEach(t *testing.T) {
	src := `{
  "Transform": "AWS::LanguageExtensions",
  "Resources": {
    "Fn::ForEach::Buckets": ["Name", ["A", "B"], {
      "Bucket${Name}": {
        "Type": "AWS::S3::Bucket",
        "Metadata": {"portcullis": {"ignore": [{"rule": "PCS-AWS-020", "reason": "logs only"}]}}
      }
    }]
  }
}`
	root, diags := Decode("t.json", []byte(src))
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	g := LoadTemplate("t.json", root, []byte(src), Options{})
	want := []string{
		`t.json t.json:7:48-7:94 line=0 resource=BucketA rules=PCS-AWS-020 reason="logs only"`,
		`t.json t.json:7:48-7:94 line=0 resource=BucketB rules=PCS-AWS-020 reason="logs only"`,
	}
	if diff := cmp.Diff(want, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
}
