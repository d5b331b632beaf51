package cloudformation

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// fnTemplate is the template every intrinsic test case is evaluated in:
// the case's expression becomes the value of property P of resource R.
const fnTemplate = `AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Known: {Type: String, Default: hello}
  Unknown: {Type: String}
  Port: {Type: Number, Default: 443}
  List: {Type: CommaDelimitedList, Default: "a, b,c"}
  UnknownList: {Type: "List<AWS::EC2::Subnet::Id>"}
  Block: {Type: String, Default: 10.0.0.0/16}
  Secret: {Type: String, NoEcho: true, Default: s3cret}
  Env: {Type: String, Default: prod}
  MapName: {Type: String, Default: Net}
  Ami: {Type: "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>", Default: /aws/service/ami}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Not [!Condition IsProd]
  IsUnknown: !Equals [!Ref Unknown, x]
Mappings:
  Net:
    prod: {Cidr: 10.0.0.0/8, Zones: [a, b]}
    "80": {Name: http}
Resources:
  Other:
    Type: AWS::EC2::VPC
  R:
    Type: AWS::Test::Thing
    Properties:
      P: %s
`

type fnCase struct {
	name    string
	expr    string
	want    string // JSON of Values["P"]; "" when absent
	unknown string // JSON of Unknown["P"]; "" when absent
	diag    string // substring of a diagnostic's summary; "" for none
	refs    string // "attr>target.attribute" edges, space-separated; "-" to skip the check
}

func evalCase(t *testing.T, c fnCase) (*graph.Resource, *graph.Graph) {
	t.Helper()
	src := strings.Replace(fnTemplate, "%s", c.expr, 1)
	g := loadYAML(t, "t.yaml", src, Options{})
	r := g.Resource("R")
	if r == nil {
		t.Fatalf("no resource R; diagnostics %v", g.Diagnostics)
	}
	return r, g
}

func runFnCases(t *testing.T, cases []fnCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, g := evalCase(t, c)
			if got := jsonOrEmpty(r.Values["P"]); got != c.want {
				t.Errorf("value = %s, want %s", got, c.want)
			}
			if got := jsonOrEmpty(r.Unknown["P"]); got != c.unknown {
				t.Errorf("unknown = %s, want %s", got, c.unknown)
			}
			var sums []string
			for _, d := range g.Diagnostics {
				sums = append(sums, d.Summary+": "+d.Detail)
			}
			all := strings.Join(sums, "\n")
			switch {
			case c.diag == "" && len(sums) > 0:
				t.Errorf("unexpected diagnostics:\n%s", all)
			case c.diag != "" && !strings.Contains(all, c.diag):
				t.Errorf("diagnostics %q do not mention %q", all, c.diag)
			}
			if c.diag != "" {
				for _, d := range g.Diagnostics {
					if d.Range.Start.Line != 27 {
						t.Errorf("diagnostic %s at line %d, want the expression's line 27", d.Summary, d.Range.Start.Line)
					}
				}
			}
			if c.refs != "-" {
				var refs []string
				for _, ref := range r.Refs {
					refs = append(refs, ref.Attribute+">"+ref.Target+"."+ref.TargetAttribute)
				}
				if got := strings.Join(refs, " "); got != c.refs {
					t.Errorf("refs = %q, want %q", got, c.refs)
				}
			}
		})
	}
}

func jsonOrEmpty(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return "marshal error: " + err.Error()
	}
	return string(b)
}

func TestRef(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "parameter default", expr: "!Ref Known", want: `"hello"`},
		{name: "number parameter is a string", expr: "!Ref Port", want: `"443"`},
		{name: "list parameter", expr: "!Ref List", want: `["a","b","c"]`},
		{name: "parameter without value", expr: "!Ref Unknown", unknown: `true`},
		{name: "list parameter without value", expr: "!Ref UnknownList", unknown: `true`},
		{name: "SSM parameter: the default names the SSM parameter", expr: "!Ref Ami", unknown: `true`},
		{name: "resource", expr: "!Ref Other", unknown: `true`, refs: "P>Other.Ref"},
		{name: "long form", expr: `{"Ref": "Known"}`, want: `"hello"`},
		{name: "pseudo parameter", expr: "!Ref AWS::Region", unknown: `true`},
		{name: "partition is unknown too", expr: "!Ref AWS::Partition", unknown: `true`},
		{name: "no value removes the property", expr: "!Ref AWS::NoValue"},
		{name: "no value removes a list element", expr: "[a, !Ref AWS::NoValue, b]", want: `["a","b"]`},
		{name: "undeclared", expr: "!Ref Nope", unknown: `true`, diag: "undeclared reference"},
		{name: "undeclared pseudo parameter", expr: "!Ref AWS::Nope", unknown: `true`, diag: "undeclared reference"},
		{name: "not a name", expr: "{Ref: [a]}", unknown: `true`, diag: "invalid Ref"},
	})
}

func TestGetAtt(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "short form", expr: "!GetAtt Other.CidrBlock", unknown: `true`, refs: "P>Other.CidrBlock"},
		{name: "list form", expr: "{Fn::GetAtt: [Other, DefaultSecurityGroup]}", unknown: `true`, refs: "P>Other.DefaultSecurityGroup"},
		{name: "dotted attribute", expr: "!GetAtt Other.Endpoint.Address", unknown: `true`, refs: "P>Other.Endpoint.Address"},
		{name: "attribute from a parameter", expr: "{Fn::GetAtt: [Other, !Ref Known]}", unknown: `true`, refs: "P>Other.hello"},
		{name: "unknown attribute name", expr: "{Fn::GetAtt: [Other, !Ref Unknown]}", unknown: `true`, refs: "P>Other."},
		{name: "undeclared resource", expr: "!GetAtt Nope.Arn", unknown: `true`, diag: "undeclared reference"},
		{name: "wrong arity", expr: "{Fn::GetAtt: [Other]}", unknown: `true`, diag: "invalid Fn::GetAtt"},
		{name: "no attribute", expr: "{Fn::GetAtt: Other}", unknown: `true`, diag: "invalid Fn::GetAtt"},
	})
}

func TestSub(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "parameter", expr: `!Sub "${Known}-x"`, want: `"hello-x"`},
		{name: "literal escape", expr: `!Sub "${!Known}-${Known}"`, want: `"${Known}-hello"`},
		{name: "no variables", expr: `!Sub "plain"`, want: `"plain"`},
		{name: "unterminated", expr: `!Sub "a-${Known"`, want: `"a-${Known"`},
		{name: "variables map", expr: `!Sub ["${A}/${Known}", {A: !Ref Port}]`, want: `"443/hello"`},
		{name: "map variable shadows a parameter", expr: `!Sub ["${Known}", {Known: shadow}]`, want: `"shadow"`},
		{name: "pseudo parameter", expr: `!Sub "${AWS::StackName}-b"`, unknown: `true`},
		{name: "resource", expr: `!Sub "arn:${Other}"`, unknown: `true`, refs: "P>Other.Ref"},
		{name: "resource attribute", expr: `!Sub "${Other.CidrBlock}"`, unknown: `true`, refs: "P>Other.CidrBlock"},
		{name: "unknown parameter", expr: `!Sub "${Unknown}"`, unknown: `true`},
		{name: "variable from a resource", expr: `!Sub ["${X}", {X: !GetAtt Other.Arn}]`, unknown: `true`, refs: "P>Other.Arn"},
		{name: "undeclared", expr: `!Sub "${Nope}"`, unknown: `true`, diag: "undeclared reference"},
		{name: "list variable", expr: `!Sub "${List}"`, unknown: `true`, diag: "invalid Fn::Sub"},
		{name: "wrong form", expr: `{Fn::Sub: [a, b, c]}`, unknown: `true`, diag: "invalid Fn::Sub"},
	})
}

func TestJoin(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "literals and parameters", expr: `!Join ["-", [a, !Ref Known, 80]]`, want: `"a-hello-80"`},
		{name: "list parameter", expr: `!Join [",", !Ref List]`, want: `"a,b,c"`},
		{name: "empty list", expr: `!Join [",", []]`, want: `""`},
		{name: "unknown element", expr: `!Join ["", [a, !Ref Unknown]]`, unknown: `true`},
		{name: "unknown list", expr: `!Join ["", !GetAZs ""]`, unknown: `true`},
		{name: "resource element", expr: `!Join ["", ["arn:", !Ref Other]]`, unknown: `true`, refs: "P>Other.Ref"},
		{name: "wrong arity", expr: `!Join [a]`, unknown: `true`, diag: "invalid Fn::Join"},
		{name: "not a list", expr: `!Join [",", abc]`, unknown: `true`, diag: "invalid Fn::Join"},
		{name: "mapping element", expr: `!Join [",", [{a: b}]]`, unknown: `true`, diag: "invalid Fn::Join"},
	})
}

func TestSelect(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "literal list", expr: `!Select [1, [a, b, c]]`, want: `"b"`},
		{name: "string index", expr: `!Select ["0", !Ref List]`, want: `"a"`},
		{name: "mapping element", expr: `!Select [0, [{A: x}]]`, want: `{"A":"x"}`},
		{name: "unknown list", expr: `!Select [0, !GetAZs ""]`, unknown: `true`},
		{name: "unknown index", expr: `!Select [!Ref Unknown, [a]]`, unknown: `true`},
		{name: "unknown element", expr: `!Select [0, [!Ref Unknown, b]]`, unknown: `true`},
		{name: "known element beside an unknown one", expr: `!Select [1, [!Ref Unknown, b]]`, want: `"b"`},
		{name: "out of range", expr: `!Select [3, [a, b]]`, unknown: `true`, diag: "invalid Fn::Select"},
		{name: "bad index", expr: `!Select [x, [a, b]]`, unknown: `true`, diag: "invalid Fn::Select"},
		{name: "wrong arity", expr: `!Select [0]`, unknown: `true`, diag: "invalid Fn::Select"},
	})
}

func TestSplit(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "literal", expr: `!Split [",", "a,b,,c"]`, want: `["a","b","","c"]`},
		{name: "of a parameter", expr: `!Split ["l", !Ref Known]`, want: `["he","","o"]`},
		{name: "select of split", expr: `!Select [1, !Split ["/", !Ref Block]]`, want: `"16"`},
		{name: "unknown source", expr: `!Split [",", !Ref Unknown]`, unknown: `true`},
		{name: "empty delimiter", expr: `!Split ["", abc]`, unknown: `true`, diag: "invalid Fn::Split"},
		{name: "list source", expr: `!Split [",", [a]]`, unknown: `true`, diag: "invalid Fn::Split"},
		{name: "wrong arity", expr: `!Split [","]`, unknown: `true`, diag: "invalid Fn::Split"},
	})
}

func TestFindInMap(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "string", expr: `!FindInMap [Net, prod, Cidr]`, want: `"10.0.0.0/8"`},
		{name: "keys from parameters", expr: `!FindInMap [!Ref MapName, !Ref Env, Zones]`, want: `["a","b"]`},
		{name: "number key", expr: `!FindInMap [Net, 80, Name]`, want: `"http"`},
		{name: "unknown key", expr: `!FindInMap [Net, !Ref AWS::Region, Cidr]`, unknown: `true`},
		{name: "default value", expr: `!FindInMap [Net, dev, Cidr, {DefaultValue: 192.168.0.0/16}]`, want: `"192.168.0.0/16"`},
		{name: "default value unused", expr: `!FindInMap [Net, prod, Cidr, {DefaultValue: x}]`, want: `"10.0.0.0/8"`},
		{name: "missing second key", expr: `!FindInMap [Net, prod, Nope]`, unknown: `true`, diag: "mapping key not found"},
		{name: "missing top key", expr: `!FindInMap [Net, dev, Cidr]`, unknown: `true`, diag: "mapping key not found"},
		{name: "missing map", expr: `!FindInMap [Nope, prod, Cidr]`, unknown: `true`, diag: "mapping key not found"},
		{name: "wrong arity", expr: `!FindInMap [Net, prod]`, unknown: `true`, diag: "invalid Fn::FindInMap"},
		{name: "bad default", expr: `!FindInMap [Net, prod, Cidr, {Other: 1}]`, unknown: `true`, diag: "invalid Fn::FindInMap"},
	})
}

func TestBase64(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "literal", expr: `!Base64 "#!/bin/sh"`, want: `"IyEvYmluL3No"`},
		{name: "of a sub", expr: `!Base64 {Fn::Sub: "${Known}"}`, want: `"aGVsbG8="`},
		{name: "unknown", expr: `!Base64 {Fn::Sub: "${AWS::Region}"}`, unknown: `true`},
		{name: "not a string", expr: `!Base64 [a]`, unknown: `true`, diag: "invalid Fn::Base64"},
	})
}

func TestCidr(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "ipv4", expr: `!Cidr [192.168.0.0/24, 3, 5]`, want: `["192.168.0.0/27","192.168.0.32/27","192.168.0.64/27"]`},
		{name: "from a parameter", expr: `!Select [1, !Cidr [!Ref Block, 2, 8]]`, want: `"10.0.1.0/24"`},
		{name: "unmasked block", expr: `!Cidr [10.0.0.5/16, 1, 8]`, want: `["10.0.0.0/24"]`},
		{name: "ipv6", expr: `!Cidr ["2001:db8::/56", 2, 64]`, want: `["2001:db8::/64","2001:db8:0:1::/64"]`},
		{name: "unknown block", expr: `!Cidr [!GetAtt Other.CidrBlock, 2, 8]`, unknown: `true`, refs: "P>Other.CidrBlock"},
		{name: "too many", expr: `!Cidr [10.0.0.0/24, 3, 7]`, unknown: `true`, diag: "invalid Fn::Cidr"},
		{name: "bits too large", expr: `!Cidr [10.0.0.0/24, 1, 9]`, unknown: `true`, diag: "invalid Fn::Cidr"},
		{name: "count out of range", expr: `!Cidr [10.0.0.0/8, 300, 8]`, unknown: `true`, diag: "invalid Fn::Cidr"},
		{name: "not a cidr", expr: `!Cidr [nope, 1, 8]`, unknown: `true`, diag: "invalid Fn::Cidr"},
		{name: "wrong arity", expr: `!Cidr [10.0.0.0/8, 1]`, unknown: `true`, diag: "invalid Fn::Cidr"},
	})
}

func TestGetAZs(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "empty region", expr: `!GetAZs ""`, unknown: `true`},
		{name: "region", expr: `!GetAZs {Ref: AWS::Region}`, unknown: `true`},
		{name: "undeclared name inside", expr: `!GetAZs {Ref: Nope}`, unknown: `true`, diag: "undeclared reference"},
	})
}

func TestImportValue(t *testing.T) {
	cases := []struct {
		fnCase
		imports string
	}{
		{fnCase{name: "literal", expr: `!ImportValue net-VpcId`, unknown: `true`}, `[{"attribute":"P","export":"net-VpcId"}]`},
		{fnCase{name: "computed", expr: `!ImportValue {Fn::Sub: "${Env}-VpcId"}`, unknown: `true`}, `[{"attribute":"P","export":"prod-VpcId"}]`},
		{fnCase{name: "unknown name", expr: `!ImportValue {Fn::Sub: "${AWS::StackName}-VpcId"}`, unknown: `true`}, `[{"attribute":"P"}]`},
		{fnCase{name: "not a name", expr: `!ImportValue [a]`, unknown: `true`, diag: "invalid Fn::ImportValue"}, ``},
	}
	for _, c := range cases {
		runFnCases(t, []fnCase{c.fnCase})
		r, _ := evalCase(t, c.fnCase)
		if got := jsonOrEmpty(r.Meta["imports"]); got != c.imports {
			t.Errorf("%s: imports = %s, want %s", c.name, got, c.imports)
		}
	}
}

func TestIf(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "true", expr: `!If [IsProd, 10.0.0.0/8, 0.0.0.0/0]`, want: `"10.0.0.0/8"`},
		{name: "false", expr: `!If [IsDev, 10.0.0.0/8, 0.0.0.0/0]`, want: `"0.0.0.0/0"`},
		{name: "unknown", expr: `!If [IsUnknown, 10.0.0.0/8, 0.0.0.0/0]`, unknown: `true`},
		{name: "no value branch", expr: `!If [IsProd, !Ref AWS::NoValue, x]`},
		{name: "only the taken branch's references", expr: `!If [IsProd, !Ref Other, !GetAtt Other.Arn]`, unknown: `true`, refs: "P>Other.Ref"},
		{name: "unknown: both branches' references", expr: `!If [IsUnknown, !Ref Other, !GetAtt Other.Arn]`, unknown: `true`, refs: "P>Other.Arn P>Other.Ref"},
		{name: "nested value", expr: `!If [IsProd, {A: [x, !Ref Unknown]}, y]`, want: `{"A":["x",null]}`, unknown: `{"A":[false,true]}`},
		{name: "undeclared condition", expr: `!If [Nope, a, b]`, unknown: `true`, diag: "undeclared condition"},
		{name: "wrong arity", expr: `!If [IsProd, a]`, unknown: `true`, diag: "invalid Fn::If"},
	})
}

func TestConditionFunctions(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "equals", expr: `!Equals [!Ref Port, 443]`, want: `true`},
		{name: "equals lists", expr: `!Equals [!Ref List, [a, b, c]]`, want: `true`},
		{name: "not equals", expr: `!Equals [!Ref Known, x]`, want: `false`},
		{name: "equals unknown", expr: `!Equals [!Ref Unknown, x]`, unknown: `true`},
		{name: "and false dominates unknown", expr: `!And [!Condition IsDev, !Condition IsUnknown]`, want: `false`},
		{name: "and true and unknown", expr: `!And [!Condition IsProd, !Condition IsUnknown]`, unknown: `true`},
		{name: "and all true", expr: `!And [!Condition IsProd, !Equals [a, a]]`, want: `true`},
		{name: "or true dominates unknown", expr: `!Or [!Condition IsUnknown, !Condition IsProd]`, want: `true`},
		{name: "or false and unknown", expr: `!Or [!Condition IsDev, !Condition IsUnknown]`, unknown: `true`},
		{name: "or all false", expr: `!Or [!Condition IsDev, !Equals [a, b]]`, want: `false`},
		{name: "not", expr: `!Not [!Condition IsProd]`, want: `false`},
		{name: "not unknown", expr: `!Not [!Condition IsUnknown]`, unknown: `true`},
		{name: "equals arity", expr: `!Equals [a]`, unknown: `true`, diag: "invalid Fn::Equals"},
		{name: "and arity", expr: `!And [!Condition IsProd]`, unknown: `true`, diag: "invalid Fn::And"},
		{name: "not arity", expr: `!Not [!Condition IsProd, !Condition IsProd]`, unknown: `true`, diag: "invalid Fn::Not"},
		{name: "undeclared condition", expr: `!Not [!Condition Nope]`, unknown: `true`, diag: "undeclared condition"},
	})
}

func TestLength(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "literal", expr: `!Length [a, b, c]`, want: `3`},
		{name: "parameter", expr: `{Fn::Length: !Ref List}`, want: `3`},
		{name: "unknown elements still count", expr: `!Length [!Ref Unknown, b]`, want: `2`},
		{name: "unknown list", expr: `{Fn::Length: !Ref UnknownList}`, unknown: `true`},
		{name: "not a list", expr: `!Length abc`, unknown: `true`, diag: "invalid Fn::Length"},
	})
}

func TestToJSONString(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "object in written order", expr: `!ToJsonString {b: 1, a: [x, !Ref Known], c: true}`, want: `"{\"b\":1,\"a\":[\"x\",\"hello\"],\"c\":true}"`},
		{name: "list", expr: `!ToJsonString [1, "two"]`, want: `"[1,\"two\"]"`},
		{name: "unknown inside", expr: `!ToJsonString {a: !Ref Unknown}`, unknown: `true`},
		{name: "not an object", expr: `!ToJsonString abc`, unknown: `true`, diag: "invalid Fn::ToJsonString"},
	})
}

func TestOtherFunctions(t *testing.T) {
	runFnCases(t, []fnCase{
		{name: "transform is unknown", expr: `{Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://b/k}}}`, unknown: `true`},
		{name: "unknown function", expr: `{Fn::Nope: 1}`, unknown: `true`, diag: "unknown intrinsic function"},
		{name: "not a function: two keys", expr: `{Ref: Known, Other: 1}`, want: `{"Other":1,"Ref":"Known"}`},
		{name: "yaml numbers", expr: `[0x1F, 1_000, +5, .5, 1e3]`, want: `[31,1000,5,0.5,1e3]`},
	})
}

func TestSensitiveFlowsThroughFunctions(t *testing.T) {
	r, _ := evalCase(t, fnCase{expr: `{A: !Ref Secret, B: !Sub "pw=${Secret}", C: [x, !Ref Secret], D: plain}`})
	if got := jsonOrEmpty(r.Sensitive); got != `{"P":{"A":true,"B":true,"C":[false,true]}}` {
		t.Errorf("sensitive = %s", got)
	}
	if got := jsonOrEmpty(r.Values["P"]); got != `{"A":"s3cret","B":"pw=s3cret","C":["x","s3cret"],"D":"plain"}` {
		t.Errorf("values = %s", got)
	}
}

func TestNestingBound(t *testing.T) {
	expr := strings.Repeat("{Fn::Base64: ", 150) + "x" + strings.Repeat("}", 150)
	r, g := evalCase(t, fnCase{expr: expr})
	if jsonOrEmpty(r.Unknown["P"]) != "true" {
		t.Errorf("unknown = %s", jsonOrEmpty(r.Unknown["P"]))
	}
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Summary != "nested too deeply" {
		t.Errorf("diagnostics = %v", g.Diagnostics)
	}
}

func TestHugeStrings(t *testing.T) {
	big := strings.Repeat("abcdefgh", 1<<17) // 1 MiB
	runFnCases(t, []fnCase{
		{name: "sub", expr: `!Sub ["${A}${A}${A}${A}${A}", {A: "` + big + `"}]`, unknown: `true`, diag: "longer than"},
		{name: "join", expr: `!Join ["` + big + `", [a, b, c, d, e, f]]`, unknown: `true`, diag: "longer than"},
		{name: "to json", expr: `!ToJsonString ["` + big + `", "` + big + `", "` + big + `", "` + big + `", "` + big + `"]`, unknown: `true`, diag: "longer than"},
	})
	r, _ := evalCase(t, fnCase{expr: `!Split [a, "` + big[:1<<17] + `"]`})
	if list, ok := r.Values["P"].([]any); !ok || len(list) != 1<<14+1 {
		t.Errorf("split gave %T", r.Values["P"])
	}
	_, g := evalCase(t, fnCase{expr: `!Split [a, "` + strings.Repeat("a", maxListLen+1) + `"]`})
	if len(g.Diagnostics) != 1 {
		t.Errorf("diagnostics = %v", g.Diagnostics)
	}
}
