package terraform

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The HCL loading path, fuzzed: a configuration file's bytes (native or
// JSON syntax) and a variables file's bytes (terraform.tfvars, its JSON
// form, or the content of a -var-file), loaded with LoadModule. Whatever
// the input: no panic (LoadModule turns one into an "internal error"
// diagnostic, which fails the target), the load ends, every diagnostic is
// in a file of the module or in the variables file, and no file has more
// than MaxDiagnosticsPerFile diagnostics plus the one that counts the rest.

// fuzzModule is the module beside a fuzzed variables file: variables of
// several types, used by a resource, a module call and a for expression.
const fuzzModule = `
variable "s" {
  default = "x"
}
variable "n" {
  type    = number
  default = 1
}
variable "l" {
  type    = list(string)
  default = []
}
variable "o" {
  type = object({
    a = optional(string, "d")
    b = optional(list(number))
  })
  default = null
}
variable "secret" {
  sensitive = true
  default   = "hunter2"
}
resource "x_r" "r" {
  count = var.n < 3 ? var.n : 3
  s     = var.s
  l     = [for v in var.l : upper(v)]
  o     = var.o
  k     = var.secret
}
`

func loadFuzzed(t *testing.T, fsys fstest.MapFS, opts Options) *graph.Graph {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	done := make(chan *graph.Graph, 1)
	go func() { done <- LoadModule(fsys, "m", opts) }()
	select {
	case g := <-done:
		return g
	case <-ctx.Done():
		t.Fatalf("LoadModule did not end: %v", ctx.Err())
		return nil
	}
}

func checkFuzzedGraph(t *testing.T, g *graph.Graph, files ...string) {
	t.Helper()
	perFile := map[string]int{}
	for _, d := range g.Diagnostics {
		if strings.HasPrefix(d.Summary, "internal error") {
			t.Fatalf("%s: %s: %s", d.Range, d.Summary, d.Detail)
		}
		known := d.Range.File == ""
		for _, f := range files {
			known = known || d.Range.File == f
		}
		if !known {
			t.Errorf("diagnostic in %q: %s: %s", d.Range.File, d.Summary, d.Detail)
		}
		if perFile[d.Range.File]++; perFile[d.Range.File] > MaxDiagnosticsPerFile+1 {
			t.Fatalf("more than %d diagnostics for %s", MaxDiagnosticsPerFile+1, d.Range.File)
		}
	}
}

func FuzzConfiguration(f *testing.F) {
	f.Add([]byte(fuzzModule), false)
	f.Add([]byte(openGroup), false)
	f.Add([]byte(`{"resource": {"x": {"y": {"v": "${[for i in range(3) : i]}", "dynamic": {"b": {"for_each": "${[1, 2]}", "content": {"n": "${b.value}"}}}}}}}`), true)
	f.Add([]byte("locals {\n  x = [[[{a = \"${\"${1}\"}\"}]]]\n  h = <<EOT\n%{ for i in [1] }${i}%{ endfor }\nEOT\n}\n"), false)
	f.Fuzz(func(t *testing.T, src []byte, asJSON bool) {
		name := "m/main.tf"
		if asJSON {
			name += ".json"
		}
		fsys := fstest.MapFS{name: {Data: src}}
		g := loadFuzzed(t, fsys, Options{Limits: Limits{ValueBytes: 16 << 20, Instances: 1000}})
		checkFuzzedGraph(t, g, name)
	})
}

func FuzzVariables(f *testing.F) {
	f.Add([]byte("s = \"y\"\nn = 2\nl = [\"a\", \"b\"]\no = {a = \"z\", b = [1]}\n"), false, false)
	f.Add([]byte(`{"s": "y", "n": 2, "l": ["a"], "o": {"b": [1, 2]}, "secret": "s3"}`), true, false)
	f.Add([]byte("l = [\"${\"a\"}\"]\nn = 1 + 1\n"), false, true)
	f.Fuzz(func(t *testing.T, src []byte, asJSON, asVarFile bool) {
		fsys := fstest.MapFS{"m/main.tf": {Data: []byte(fuzzModule)}}
		name := "m/terraform.tfvars"
		if asVarFile {
			name = "given.tfvars"
		}
		if asJSON {
			name += ".json"
		}
		opts := Options{Limits: Limits{ValueBytes: 16 << 20, Instances: 1000}}
		if asVarFile {
			opts.Vars = []VarInput{{File: name, Content: src}}
		} else {
			fsys[name] = &fstest.MapFile{Data: src}
		}
		g := loadFuzzed(t, fsys, opts)
		checkFuzzedGraph(t, g, name, "m/main.tf")
		for _, r := range g.Resources {
			if strings.Contains(jsonOf(r.Values), "hunter2") && len(r.Sensitive) == 0 {
				t.Errorf("%s: the sensitive default is not marked sensitive", r.Address)
			}
		}
	})
}

// FuzzVariableText fuzzes a -var value and a TF_VAR_ value, which are
// parsed as expressions for variables of complex types.
func FuzzVariableText(f *testing.F) {
	f.Add("[\"a\", \"b\"]", "{a = \"x\"}")
	f.Add("[for i in range(3) : tostring(i)]", "null")
	f.Fuzz(func(t *testing.T, list, object string) {
		fsys := fstest.MapFS{"m/main.tf": {Data: []byte(fuzzModule)}}
		opts := Options{
			Vars:   []VarInput{{Name: "l", Value: list}},
			Env:    map[string]string{"TF_VAR_o": object},
			Limits: Limits{ValueBytes: 16 << 20, Instances: 1000},
		}
		g := loadFuzzed(t, fsys, opts)
		checkFuzzedGraph(t, g, "m/main.tf")
	})
}
