package cloudformation

import (
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

func detectDiags(diags []graph.Diagnostic) string {
	var out []string
	for _, d := range diags {
		out = append(out, fmt.Sprintf("%d:%d %s %s: %s", d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Summary, d.Detail))
	}
	return strings.Join(out, "\n")
}

func utf16LE(s string) []byte {
	out := []byte{0xFF, 0xFE}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}

// Templates whose keys and types are written with escapes are templates:
// the decision is made on the decoded document, as CloudFormation reads it.
func TestDetectDecodesEscapes(t *testing.T) {
	cases := []struct {
		name, file, src string
		wantType        string // the Type of resource SG after decoding
		diags           string
	}{
		{"json escaped colon in the type", "t.json",
			`{"Resources": {"SG": {"Type": "AWS\u003a:EC2::SecurityGroup"}}}`, "AWS::EC2::SecurityGroup", ""},
		{"json escaped letter in Resources", "t.json",
			`{"Re\u0073ources": {"SG": {"Type": "AWS::EC2::SecurityGroup"}}}`, "AWS::EC2::SecurityGroup", ""},
		{"json every letter escaped", "t.json",
			`{"\u0052\u0065\u0073\u006F\u0075\u0072\u0063\u0065\u0073": {"SG": {"\u0054ype": "\u0041WS\u003A\u003AEC2\u003A\u003ASecurityGroup"}}}`,
			"AWS::EC2::SecurityGroup", ""},
		{"json escaped AWSTemplateFormatVersion only", "t.json",
			`{"AWSTemplate\u0046ormatVersion": "2010-09-09", "Re\u0073ources": {"SG": {"Type": "Foo::Bar"}}}`, "Foo::Bar", ""},
		{"yaml \\x escape in Resources", "t.yaml",
			"\"Re\\x73ources\":\n  SG:\n    Type: AWS::EC2::SecurityGroup\n", "AWS::EC2::SecurityGroup", ""},
		{"yaml \\u escape in Resources", "t.yaml",
			"\"\\u0052esources\":\n  SG:\n    Type: \"AWS\\x3a:EC2::SecurityGroup\"\n", "AWS::EC2::SecurityGroup", ""},
		{"yaml \\U escape and a tag", "t.yaml",
			"!!str \"\\U00000052esources\":\n  SG:\n    Type: !!str \"AWS::EC2::SecurityGroup\"\n", "AWS::EC2::SecurityGroup", ""},
		{"yaml escaped line break inside an explicit key", "t.yaml",
			"? \"Reso\\\n  urces\"\n:\n  SG: {Type: 'AWS::EC2::SecurityGroup'}\n", "AWS::EC2::SecurityGroup", ""},
		{"yaml flow mapping with escapes", "t.yaml",
			"{\"Re\\u0073ources\": {SG: {Type: \"AWS\\u003A:EC2::SecurityGroup\"}}}", "AWS::EC2::SecurityGroup",
			"1:21 warning the template is not valid JSON; it was read as YAML: invalid character 'S' looking for beginning of object key string"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.src)
			if !MayBeTemplate(src) {
				t.Fatal("MayBeTemplate = false")
			}
			ok, root, diags := Detect(c.file, src)
			if !ok || root == nil || detectDiags(diags) != c.diags {
				t.Fatalf("Detect = %v, root %v, diagnostics\n%s", ok, root != nil, detectDiags(diags))
			}
			g := LoadSource(c.file, src, false, Options{})
			if g == nil || len(g.Resources) != 1 || g.Resources[0].Type != c.wantType || g.Resources[0].Address != "SG" {
				t.Fatalf("LoadSource = %+v", g)
			}
		})
	}
}

func TestDetectIsNotFooledByOtherFiles(t *testing.T) {
	cases := []struct {
		name, file, src string
		diags           string // the diagnostics Detect returns (dropped for walked files)
	}{
		{"no marker, no escape", "package.json", `{"name": "x", "version": "1.0.0"}`, ""},
		{"escapes but not a template", "data.json", `{"path": "a\\b", "re": "\u0041WS::"}`, ""},
		{"resources of another kind", "k8s.yaml", "Resources:\n  - cpu: 1\n", ""},
		{"types that are not CloudFormation's", "x.yaml", "Resources:\n  B:\n    Type: aws_s3_bucket\n", ""},
		{"broken, nothing of a template", "x.yaml", "a: \"\\x41\" [\n", "1:1 error YAML syntax error: did not find expected key"},
		{"empty", "x.json", "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, root, diags := Detect(c.file, []byte(c.src))
			if ok || root != nil || detectDiags(diags) != c.diags {
				t.Errorf("Detect = %v, root %v, diagnostics\n%s\nwant\n%s", ok, root != nil, detectDiags(diags), c.diags)
			}
			if g := LoadSource(c.file, []byte(c.src), false, Options{}); g != nil {
				t.Errorf("LoadSource of a walked file = %+v", g)
			}
		})
	}
	if MayBeTemplate([]byte(`{"name": "x"}`)) {
		t.Error("MayBeTemplate of a file without a marker or an escape")
	}
}

// A document meant as a template that cannot be read is an error, never
// passed over.
func TestDetectBrokenTemplates(t *testing.T) {
	cases := []struct {
		name, file string
		src        []byte
		root       bool // a partial template was decoded
		diags      string
	}{
		{"json cut short, escaped key", "t.json",
			[]byte(`{"Re\u0073ources": {"A": {"Type": "AWS::S3::Bucket"`), true,
			"1:52 error JSON syntax error: unexpected end of JSON input"},
		{"yaml broken on the first line, escaped key", "t.yaml",
			[]byte("\"Re\\x73ources\": [ {Type: \"AWS::S3::Bucket\"\n"), false,
			"2:1 error YAML syntax error: did not find expected ',' or '}'"},
		{"yaml broken, every marker escaped", "t.yaml",
			[]byte("\"AWSTemplate\\x46ormatVersion\": [\n"), false,
			"2:1 error YAML syntax error: did not find expected node content"},
		{"utf-16", "t.yaml",
			utf16LE("Resources:\n  B:\n    Type: AWS::S3::Bucket\n"), false,
			"1:1 error the template is UTF-16 encoded: save it as UTF-8"},
		{"template in a later yaml document", "t.yaml",
			[]byte("kind: Pod\n---\nResources:\n  B: {Type: AWS::S3::Bucket}\n"), false,
			"2:1 warning the file holds more than one YAML document: only the first document is read as the template\n" +
				"3:1 error the template is not the first YAML document of the file: this document of the YAML stream is a CloudFormation template, " +
				"but only the first document of a file is read (CloudFormation reads a template as a single document)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ok, root, diags := Detect(c.file, c.src)
			if !ok || (root != nil) != c.root || detectDiags(diags) != c.diags {
				t.Fatalf("Detect = %v, root %v, diagnostics\n%s\nwant\n%s", ok, root != nil, detectDiags(diags), c.diags)
			}
			g := LoadSource(c.file, c.src, false, Options{})
			if g == nil || g.Root != c.file || g.Format != graph.FormatCloudFormation || !decodeHasErrors(g.Diagnostics) {
				t.Fatalf("LoadSource = %+v", g)
			}
			for _, d := range g.Diagnostics {
				if d.Range.File != c.file || d.Range.Start.Line < 1 || d.Range.Start.Column < 1 {
					t.Errorf("diagnostic without a position: %v", d)
				}
			}
		})
	}
}

func TestDetectForEachOnlyTemplate(t *testing.T) {
	src := "Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::B:\n    - N\n    - [a, b]\n    - B${N}: {Type: AWS::S3::Bucket}\n"
	g := LoadSource("t.yaml", []byte(src), false, Options{})
	if g == nil || addresses(g) != "Ba Bb" {
		t.Fatalf("LoadSource = %+v", g)
	}
}

func TestLoadSourceExplicitNotATemplate(t *testing.T) {
	for src, want := range map[string]string{
		`{"name": "x"}`: "1:1 error not a CloudFormation template: the document has neither AWSTemplateFormatVersion nor Resources whose Type is AWS::...",
		"a: [":          "1:1 error not a CloudFormation template: the document has neither AWSTemplateFormatVersion nor Resources whose Type is AWS::...",
		"Resources: [":  "1:1 error YAML syntax error: did not find expected node content",
	} {
		g := LoadSource("named.yaml", []byte(src), true, Options{})
		if g == nil || len(g.Resources) != 0 || detectDiags(g.Diagnostics) != want {
			t.Errorf("%q: %+v, diagnostics\n%s", src, g, detectDiags(g.Diagnostics))
		}
	}
}

func TestUnescapeLoosely(t *testing.T) {
	for in, want := range map[string]string{
		`Re\u0073ources`:            "Resources",
		`\x52esources`:              "Resources",
		`\U0001F600 \uD83D\uDE00`:   "\U0001F600 \U0001F600",
		"Reso\\\n    urces":         "Resources",
		`a\/b \"c\" \q`:             `a/b "c" q`,
		`\u12 short \xZZ trailing\`: `u12 short xZZ trailing\`,
		`\UFFFFFFFF`:                "\uFFFD",
	} {
		if got := string(unescapeLoosely([]byte(in))); got != want {
			t.Errorf("unescapeLoosely(%q) = %q, want %q", in, got, want)
		}
	}
}
