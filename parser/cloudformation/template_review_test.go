package cloudformation

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Regressions found in review.

func loadReviewYAML(t *testing.T, src string, opts Options) (*Node, []string) {
	t.Helper()
	root, diags := Decode("t.yaml", []byte(src))
	g := LoadTemplate("t.yaml", root, []byte(src), opts)
	var out []string
	for _, d := range append(diags, g.Diagnostics...) {
		out = append(out, d.Summary)
	}
	return root, out
}

func TestCopiesOfLargeValuesAreBounded(t *testing.T) {
	var b strings.Builder
	items := make([]string, 10000)
	for i := range items {
		items[i] = fmt.Sprint(i)
	}
	fmt.Fprintf(&b, "Parameters:\n  L:\n    Type: CommaDelimitedList\n    Default: %q\nResources:\n  R:\n    Type: AWS::X::Y\n    Properties:\n      P:\n", strings.Join(items, ","))
	for range 2000 {
		b.WriteString("        - !Ref L\n")
	}
	_, diags := loadReviewYAML(t, b.String(), Options{})
	if len(diags) != 1 || diags[0] != "template too complex" {
		t.Errorf("diagnostics = %v", diags)
	}
}

func TestPropertiesFromAnUnknownConditionAreUnknown(t *testing.T) {
	src := `
Parameters:
  Env: {Type: String}
Conditions:
  Prod: !Equals [!Ref Env, prod]
Resources:
  SG:
    Type: AWS::EC2::SecurityGroup
    Properties: !If
      - Prod
      - {GroupDescription: a, VpcId: vpc-1}
      - {GroupDescription: b, VpcId: vpc-2}
`
	root, _ := Decode("t.yaml", []byte(src))
	g := LoadTemplate("t.yaml", root, []byte(src), Options{})
	sg := g.Resource("SG")
	if b, _ := json.Marshal(sg.Unknown); string(b) != `{"GroupDescription":true,"VpcId":true}` {
		t.Errorf("unknown = %s", b)
	}
}

func TestUsePreviousValueIsUnknown(t *testing.T) {
	src := `
Parameters:
  Cidr: {Type: String, Default: 0.0.0.0/0}
Resources:
  R:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {CidrIp: !Ref Cidr}
`
	for _, file := range []string{
		`[{"ParameterKey": "Cidr", "UsePreviousValue": true}]`,
		"\xef\xbb\xbf" + `{"Cidr": "10.0.0.0/8"}`, // a byte order mark is fine
	} {
		root, _ := Decode("t.yaml", []byte(src))
		g := LoadTemplate("t.yaml", root, []byte(src), Options{ParameterFiles: []ParamFile{{Name: "p.json", Content: []byte(file)}}})
		r := g.Resource("R")
		v, _ := json.Marshal(r.Values)
		u, _ := json.Marshal(r.Unknown)
		if strings.Contains(string(v), "0.0.0.0/0") || len(g.Diagnostics) != 0 {
			t.Errorf("%q: values %s unknown %s diagnostics %v", file, v, u, g.Diagnostics)
		}
	}
}
