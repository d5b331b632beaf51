package terraform

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The quoted types of Terraform 0.11 say how to write them, at the quoted
// string; the variable still has its value. The JSON syntax, where a type
// is always a string, is not affected.
func TestLegacyQuotedType(t *testing.T) {
	g := load(t, map[string]string{
		"m/main.tf": `
variable "name" {
  type    = "string"
  default = "web"
}
variable "cidrs" {
  type    = "list"
  default = ["10.0.0.0/8"]
}
variable "tags" { type = "map" }
variable "on" { type = "bool" }
variable "odd" { type = "strin g" }
resource "aws_s3_bucket" "b" {
  bucket = var.name
}
`,
		"m/vars.tf.json": `{"variable": {"region": {"type": "string", "default": "eu-west-1"}, "zones": {"type": "list(string)"}}}`,
	}, Options{})
	const why = " (quoted types are the form of Terraform 0.11 and earlier, which Terraform 0.15 and later reject)"
	want := []string{
		`m/main.tf:2:13-2:21 error: quoted type constraint "string": remove the quotes: type = string` + why,
		`m/main.tf:6:13-6:19 error: quoted type constraint "list": remove the quotes and name the element type: type = list(string)` + why,
		`m/main.tf:9:26-9:31 error: quoted type constraint "map": remove the quotes and name the element type: type = map(string)` + why,
		`m/main.tf:10:24-10:30 error: quoted type constraint "bool": remove the quotes: type = bool` + why,
		`m/main.tf:11:25-11:34 error: quoted type constraint "strin g": a type is written without quotes, as type = string or type = list(string)` + why,
	}
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, fmt.Sprintf("%s-%d:%d %s: %s: %s", d.Range, d.Range.End.Line, d.Range.End.Column, d.Severity, d.Summary, d.Detail))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if b := resource(t, g, "aws_s3_bucket.b").Values["bucket"]; b != "web" {
		t.Errorf("bucket = %v, want web", b)
	}
}
