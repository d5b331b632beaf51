package terraform

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Resources switched off by count = 0 or an empty for_each are counted in
// each module instance; an unknown count, an error, a data source and the
// resources of a module call switched off are not.
func TestNotCreated(t *testing.T) {
	g := load(t, map[string]string{
		"m/main.tf": `
variable "create" {
  type    = bool
  default = false
}
variable "unknown" {
  type = number
}
resource "aws_vpc" "off" {
  count = var.create ? 1 : 0
}
resource "aws_subnet" "none" {
  for_each = {}
}
resource "aws_subnet" "empty_set" {
  for_each = toset([])
}
resource "aws_subnet" "string_zero" {
  count = "0"
}
resource "aws_vpc" "on" {
  count = 2
}
resource "aws_vpc" "unknown" {
  count = var.unknown
}
resource "aws_vpc" "null" {
  count = null
}
resource "aws_vpc" "list" {
  for_each = []
}
data "aws_vpc" "off" {
  count = 0
}
module "net" {
  source   = "./net"
  for_each = toset(["a", "b"])
}
module "off" {
  source = "./net"
  count  = 0
}
`,
		"m/net/main.tf": `
resource "aws_flow_log" "off" {
  count = 0
}
resource "aws_vpc" "this" {}
`,
	}, Options{})
	if g.NotCreated != 6 {
		var addrs []string
		for _, r := range g.Resources {
			addrs = append(addrs, r.Address)
		}
		t.Errorf("NotCreated = %d, want 6 (aws_vpc.off, aws_subnet.none, aws_subnet.empty_set, aws_subnet.string_zero, module.net[\"a\"] and [\"b\"] aws_flow_log.off); resources %v", g.NotCreated, addrs)
	}
	want := []string{
		"error: invalid count argument @ m/main.tf:27",
		"error: invalid for_each argument @ m/main.tf:30",
	}
	var got []string
	for _, d := range g.Diagnostics {
		if d.Severity == "error" {
			got = append(got, string(d.Severity)+": "+d.Summary+" @ "+d.Range.File+":"+strconv.Itoa(d.Range.Start.Line))
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("error diagnostics (-want +got):\n%s", diff)
	}
}
