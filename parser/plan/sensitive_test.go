package plan

import (
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// A plan made by Terraform holds sensitive values (after, with
// after_sensitive): they may be read by rules, but no range key and no
// origin may carry them.
func TestSensitivePlanValuesStayOutOfRangesAndOrigins(t *testing.T) {
	plan := `{"format_version": "1.2",
"resource_changes": [{"address": "x_db.d", "mode": "managed", "type": "x_db", "name": "d",
  "change": {"actions": ["create"],
    "after": {"password": "PlanSecretPw", "tags": {"PlanSecretKey": "v"}, "name": "db", "list": ["PlanSecretElem"]},
    "after_unknown": {},
    "after_sensitive": {"password": true, "tags": true, "list": [true]}}}]}`
	for _, tc := range []struct {
		name   string
		files  map[string]string
		ranges []string
	}{
		{"no source", nil, []string{"", "list", "list.0", "name", "password", "tags"}},
		{"with source", map[string]string{
			"main.tf": `
variable "pw" {
  default = "PlanSecretPw"
}
variable "tagv" {
  default = "v"
}
resource "x_db" "d" {
  password = var.pw
  name     = "db"
  tags     = { PlanSecretKey = var.tagv }
  list     = ["PlanSecretElem"]
}
`}, []string{"", "list", "list.0", "name", "password", "tags"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"plan.json": {Data: []byte(plan)}}
			for n, src := range tc.files {
				fsys[n] = &fstest.MapFile{Data: []byte(strings.TrimLeft(src, "\n"))}
			}
			g := Load(fsys, "plan.json", Options{})
			r := resource(t, g, "x_db.d")
			var paths []string
			for p := range r.Ranges {
				paths = append(paths, p)
			}
			sort.Strings(paths)
			if diff := cmp.Diff(tc.ranges, paths); diff != "" {
				t.Errorf("range paths (-want +got):\n%s", diff)
			}
			for p, os := range r.Origins {
				for _, o := range os {
					for _, v := range o.Values {
						if strings.Contains(v, "PlanSecret") {
							t.Errorf("origin of %s carries the sensitive value %q", p, v)
						}
					}
				}
			}
			if tc.files != nil {
				// The origin of a value under a sensitive key is at the
				// sensitive value.
				var opaths []string
				for p := range r.Origins {
					opaths = append(opaths, p)
				}
				sort.Strings(opaths)
				if diff := cmp.Diff([]string{"password", "tags"}, opaths); diff != "" {
					t.Errorf("origin paths (-want +got):\n%s", diff)
				}
			}
			dump := jsonOf(g.Diagnostics) + jsonOf(r.Address) + jsonOf(r.Meta)
			if strings.Contains(dump, "PlanSecret") {
				t.Errorf("a sensitive value is in the diagnostics, address or meta: %s", dump)
			}
		})
	}
}
