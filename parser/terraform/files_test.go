package terraform

import (
	"io/fs"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Files Terraform ignores are ignored: hidden files (a hidden override
// too), editor backups and Emacs autosaves.
func TestIgnoredFiles(t *testing.T) {
	for name, want := range map[string]bool{
		"main.tf": true, "a/main.tf.json": true, "main.tofu": true, "main.tofu.json": true,
		".main.tf": false, "a/.x_override.tf": false, "main.tf~": false, "#main.tf#": false,
		"a/.hidden.tofu": false, "main.tf.bak": false, "#main.tf": true,
	} {
		if got := IsConfigFile(name); got != want {
			t.Errorf("IsConfigFile(%q) = %v, want %v", name, got, want)
		}
	}
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
resource "aws_security_group" "web" {
  cidr = "0.0.0.0/0"
}
`,
		"m/.x_override.tf": `
resource "aws_security_group" "web" {
  cidr = "10.0.0.0/8"
}
`,
		"m/.hidden.tf": `resource "x_hidden" "h" {}`,
		"m/main.tf~":   `resource "x_backup" "b" {}`,
		"m/#main.tf#":  `resource "x_autosave" "a" {}`,
	}), "m", Options{})
	if diff := cmp.Diff([]string{"aws_security_group.web"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	if got := jsonOf(resource(t, g, "aws_security_group.web").Values); got != `{"cidr":"0.0.0.0/0"}` {
		t.Errorf("values = %s", got)
	}
	if diff := cmp.Diff([]string{"m/main.tf"}, g.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", diagLines(g))
	}
	if IsModuleDir(dirEntries(t, mapFS(map[string]string{"d/.x.tf": "", "d/y.tf~": ""}), "d")) {
		t.Error("a directory of ignored files is a module directory")
	}
}

// Override files in JSON syntax are merged like native ones, in every
// combination of syntaxes: an argument or a property replaces the
// primary's, a nested block type replaces all the primary's blocks of
// that type; the ranges point at the override.
func TestJSONOverrides(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
resource "aws_security_group" "native" {
  name = "primary"
  keep = "kept"
  ingress {
    cidr_blocks = ["10.0.0.0/8"]
  }
  egress {
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`,
		"m/json.tf.json": `{"resource": {"aws_security_group": {"json": {
  "name": "primary",
  "keep": "kept",
  "ingress": [{"cidr_blocks": ["10.0.0.0/8"]}]
}}}}`,
		"m/a_override.tf.json": `{"resource": {"aws_security_group": {"native": {
  "name": "json override",
  "ingress": [{"cidr_blocks": ["0.0.0.0/0"]}]
}}}}`,
		"m/b_override.tf": `
resource "aws_security_group" "native" {
  egress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
resource "aws_security_group" "json" {
  ingress {
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`,
		"m/override.tf.json": `{"resource": {"aws_security_group": {"json": {"name": "${upper(\"json over json\")}"}}}}`,
	}), "m", Options{})
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics: %v", diagLines(g))
	}
	for addr, want := range map[string]string{
		"aws_security_group.native": `{"egress":[{"cidr_blocks":["0.0.0.0/0"]}],"ingress":[{"cidr_blocks":["0.0.0.0/0"]}],"keep":"kept","name":"json override"}`,
		"aws_security_group.json":   `{"ingress":[{"cidr_blocks":["0.0.0.0/0"]}],"keep":"kept","name":"JSON OVER JSON"}`,
	} {
		if got := jsonOf(resource(t, g, addr).Values); got != want {
			t.Errorf("%s values = %s\nwant %s", addr, got, want)
		}
	}
	ranges := func(addr string) map[string]string {
		out := map[string]string{}
		for p, rg := range resource(t, g, addr).Ranges {
			out[p] = rg.String()
		}
		return out
	}
	if diff := cmp.Diff(map[string]string{
		"":                        "m/main.tf:1:1",
		"name":                    "m/a_override.tf.json:2:11",
		"keep":                    "m/main.tf:3:10",
		"ingress":                 "m/a_override.tf.json:3:14",
		"ingress.0":               "m/a_override.tf.json:3:15",
		"ingress.0.cidr_blocks":   "m/a_override.tf.json:3:31",
		"ingress.0.cidr_blocks.0": "m/a_override.tf.json:3:32",
		"egress.0":                "m/b_override.tf:2:3",
		"egress.0.cidr_blocks":    "m/b_override.tf:3:19",
		"egress.0.cidr_blocks.0":  "m/b_override.tf:3:20",
	}, ranges("aws_security_group.native")); diff != "" {
		t.Errorf("native ranges (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{
		"":                        "m/json.tf.json:1:46",
		"name":                    "m/override.tf.json:1:55",
		"keep":                    "m/json.tf.json:3:11",
		"ingress.0":               "m/b_override.tf:7:3",
		"ingress.0.cidr_blocks":   "m/b_override.tf:8:19",
		"ingress.0.cidr_blocks.0": "m/b_override.tf:8:20",
	}, ranges("aws_security_group.json")); diff != "" {
		t.Errorf("json ranges (-want +got):\n%s", diff)
	}
}

func readingOf(r *graph.Resource) string {
	s, _ := r.Meta["reading"].(string)
	return s
}

// A directory with OpenTofu files is read both ways, and what either
// reading finds is reported: a benign main.tofu beside an insecure main.tf
// hides nothing, and neither does a main.tf beside a main.tofu.
func TestOpenTofuReadings(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf": `
resource "aws_security_group" "web" {
  cidr = "0.0.0.0/0"
}
resource "x_ref" "r" {
  sg = aws_security_group.web.cidr
}
`,
		"m/main.tofu": `
resource "aws_security_group" "web" {
  cidr = "10.0.0.0/8"
}
resource "x_ref" "r" {
  sg = aws_security_group.web.cidr
}
`,
		"m/shared.tf": `
resource "x_shared" "s" {
  name = var.name
}
resource "x_same" "s" {
  name = "same"
}
module "child" {
  source = "./child"
}
module "tofu_only" {
  source = "./tofu_only"
}
`,
		"m/vars.tf":         `variable "name" { default = "tf" }`,
		"m/vars.tofu":       `variable "name" { default = "tofu" }`,
		"m/extra.tf.json":   `{"resource": {"x_json": {"j": {"v": "tf"}}}}`,
		"m/extra.tofu.json": `{"resource": {"x_json": {"j": {"v": "tofu"}}}}`,
		"m/child/main.tf": `
resource "x_child" "c" {
  open = true
}
`,
		"m/child/main.tofu": `
resource "x_child" "c" {
  open = false
}
`,
		"m/tofu_only/main.tofu": `resource "x_tofu" "t" {}`,
	}), "m", Options{})
	type row struct{ Address, Reading, File, Values string }
	var got []row
	for _, r := range g.Resources {
		got = append(got, row{r.Address, readingOf(r), r.Range.File, jsonOf(r.Values)})
	}
	want := []row{
		{"aws_security_group.web", "terraform", "m/main.tf", `{"cidr":"0.0.0.0/0"}`},
		{"aws_security_group.web (opentofu)", "opentofu", "m/main.tofu", `{"cidr":"10.0.0.0/8"}`},
		{"module.child.x_child.c", "terraform", "m/child/main.tf", `{"open":true}`},
		{"module.child.x_child.c (opentofu)", "opentofu", "m/child/main.tofu", `{"open":false}`},
		{"module.tofu_only.x_tofu.t", "opentofu", "m/tofu_only/main.tofu", `{}`},
		{"x_json.j", "terraform", "m/extra.tf.json", `{"v":"tf"}`},
		{"x_json.j (opentofu)", "opentofu", "m/extra.tofu.json", `{"v":"tofu"}`},
		{"x_ref.r", "terraform", "m/main.tf", `{"sg":"0.0.0.0/0"}`},
		{"x_ref.r (opentofu)", "opentofu", "m/main.tofu", `{"sg":"10.0.0.0/8"}`},
		{"x_same.s", "", "m/shared.tf", `{"name":"same"}`}, // the same in both readings: once
		{"x_shared.s", "terraform", "m/shared.tf", `{"name":"tf"}`},
		{"x_shared.s (opentofu)", "opentofu", "m/shared.tf", `{"name":"tofu"}`},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	// References stay within a reading.
	refs := map[string][]string{}
	for _, r := range g.Resources {
		for _, ref := range r.Refs {
			refs[r.Address] = append(refs[r.Address], ref.Target)
		}
	}
	if diff := cmp.Diff(map[string][]string{
		"x_ref.r":            {"aws_security_group.web"},
		"x_ref.r (opentofu)": {"aws_security_group.web (opentofu)"},
	}, refs); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		`m/shared.tf:10:1: warning: module not loaded: module "tofu_only": m/tofu_only holds no Terraform files; its outputs are unknown`,
	}
	if diff := cmp.Diff(wantDiags, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	wantFiles := []string{"m/child/main.tf", "m/child/main.tofu", "m/extra.tf.json", "m/extra.tofu.json",
		"m/main.tf", "m/main.tofu", "m/shared.tf", "m/tofu_only/main.tofu", "m/vars.tf", "m/vars.tofu"}
	if diff := cmp.Diff(wantFiles, g.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

// Without OpenTofu files there is one reading, and nothing is marked.
func TestOneReadingWithoutTofuFiles(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"m/main.tf":       `module "c" { source = "./c" }`,
		"m/c/main.tf":     `resource "x_a" "a" {}`,
		"m/c/.x.tofu":     `resource "x_hidden" "h" {}`,
		"m/other/x.tofu":  `resource "x_other" "o" {}`,
		"m/c/main.tf.bak": `resource "x_bak" "b" {}`,
	}), "m", Options{})
	if diff := cmp.Diff([]string{"module.c.x_a.a"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	for _, r := range g.Resources {
		if _, ok := r.Meta["reading"]; ok {
			t.Errorf("%s has a reading: %v", r.Address, r.Meta)
		}
	}
	files := append([]string{}, g.Files...)
	sort.Strings(files)
	if diff := cmp.Diff([]string{"m/c/main.tf", "m/main.tf"}, files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
}

func dirEntries(t *testing.T, fsys fs.FS, dir string) []fs.DirEntry {
	t.Helper()
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// The local calls of a directory are those of either reading.
func TestLocalCallsOfBothReadings(t *testing.T) {
	fsys := mapFS(map[string]string{
		"r/main.tf":     `module "a" { source = "./a" }`,
		"r/main.tofu":   `module "b" { source = "./b" }`,
		"r/other.tf":    `module "c" { source = "../c" }`,
		"r/.hidden.tf":  `module "d" { source = "./d" }`,
		"r/x.tf.json":   `{"module": {"e": {"source": "./e"}}}`,
		"r/x.tofu.json": `{"module": {"f": {"source": "./f"}}}`,
	})
	got := NewCache().LocalCalls(fsys, "r")
	if diff := cmp.Diff([]string{"c", "r/a", "r/b", "r/e", "r/f"}, got); diff != "" {
		t.Errorf("local calls (-want +got):\n%s", diff)
	}
}
