package parser

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/safefs"
	"github.com/portcullis-iac/portcullis/parser/terraform"
)

func TestLoadFindsModulesAndSkipsHiddenDirs(t *testing.T) {
	fsys := fstest.MapFS{
		"a/main.tf":                      {Data: []byte(`resource "x_a" "a" {}`)},
		"a/b/main.tf.json":               {Data: []byte(`{"resource": {"x_b": {"b": {}}}}`)},
		"a/.terraform/modules/m/main.tf": {Data: []byte(`resource "x_hidden" "h" {}`)},
		"a/.git/x.tf":                    {Data: []byte(`resource "x_hidden" "h" {}`)},
		"a/.hidden/x.tf":                 {Data: []byte(`resource "x_hidden" "h" {}`)},
		"a/notes/readme.md":              {Data: []byte(`# not terraform`)},
		"c/only.tf":                      {Data: []byte(`resource "x_c" "c" {}`)},
	}
	graphs, _, err := Load(context.Background(), fsys, []string{"a", "c/only.tf"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		for _, r := range g.Resources {
			got = append(got, g.Root+":"+r.Address)
		}
	}
	want := "[a:x_a.a a/b:x_b.b c:x_c.c]"
	if s := fmtList(got); s != want {
		t.Errorf("got %s, want %s", s, want)
	}
	if _, _, err := Load(context.Background(), fsys, []string{"missing"}, Options{}); err == nil || err.Error() != "cannot scan missing: file does not exist" {
		t.Errorf("missing path: err = %v", err)
	}
}

func fmtList(l []string) string {
	s := "["
	for i, x := range l {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s + "]"
}

const corpus = "../../shared/corpus/terraform"

func BenchmarkLoadCorpus(b *testing.B) {
	if _, err := os.Stat(corpus); err != nil {
		b.Skip("corpus not present:", err)
	}
	fsys := os.DirFS(corpus)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Load(context.Background(), fsys, []string{"."}, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCorpusSmoke loads the shared corpus of real-world Terraform
// (../shared/corpus/terraform, beside the repository): it must load, build
// resources, and never hit an internal error (a recovered panic). Without
// the corpus the test is skipped, visibly.
func TestCorpusSmoke(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("the Terraform corpus is not present (%v): nothing to smoke-test", err)
	}
	graphs, _, err := Load(context.Background(), os.DirFS(corpus), []string{"."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	n, d := 0, 0
	for _, g := range graphs {
		n += len(g.Resources)
		d += len(g.Diagnostics)
		for _, x := range g.Diagnostics {
			if strings.Contains(x.Summary, "internal error") {
				t.Errorf("%s: %s", g.Root, x)
			}
			t.Log(x)
		}
	}
	t.Logf("%d roots, %d resources, %d diagnostics", len(graphs), n, d)
	if len(graphs) == 0 || n == 0 {
		t.Errorf("the corpus gave %d roots and %d resources", len(graphs), n)
	}
}

func TestCalledModulesAreNotRoots(t *testing.T) {
	fsys := fstest.MapFS{
		// A module with its examples, as published modules are laid out.
		"mod/main.tf":                 {Data: []byte("variable \"cidr\" {\n  default = \"0.0.0.0/0\"\n}\nresource \"x_sg\" \"s\" {\n  cidr = var.cidr\n}\n")},
		"mod/examples/a/main.tf":      {Data: []byte("module \"m\" {\n  source = \"../../\"\n  cidr   = \"10.0.0.0/8\"\n}\n")},
		"mod/examples/b/main.tf":      {Data: []byte("module \"m\" {\n  source = \"../..\"\n}\n")},
		"mod/modules/inner/main.tf":   {Data: []byte("resource \"x_inner\" \"i\" {}\n")},
		"mod/modules/unused/main.tf":  {Data: []byte("resource \"x_unused\" \"u\" {}\n")},
		"mod/modules/inner/caller.tf": {Data: []byte("")},
		"cycle/a/main.tf":             {Data: []byte("module \"b\" {\n  source = \"../b\"\n}\n")},
		"cycle/b/main.tf":             {Data: []byte("module \"a\" {\n  source = \"../a\"\n}\nresource \"x_b\" \"b\" {}\n")},
	}
	graphs, _, err := Load(context.Background(), fsys, []string{"."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		for _, r := range g.Resources {
			got = append(got, g.Root+":"+r.Address)
		}
	}
	// mod is called by its examples, so it is evaluated only through them,
	// with their arguments; modules/inner and modules/unused are called by
	// no one, so they are roots. In a cycle of calls, one directory is kept.
	want := "[cycle/a:module.b.x_b.b mod/examples/a:module.m.x_sg.s mod/examples/b:module.m.x_sg.s mod/modules/inner:x_inner.i mod/modules/unused:x_unused.u]"
	if s := fmtList(got); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

func TestTemplatesAreDecidedByContentOnce(t *testing.T) {
	tmpl := "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n"
	fsys := fstest.MapFS{
		"cfn/t.yaml":        {Data: []byte(tmpl)},
		"cfn/policy.json":   {Data: []byte(`{"Resources": ["arn:aws:s3:::b"], "Action": "AWS::S3::GetObject"}`)},
		"cfn/broken.yaml":   {Data: []byte("AWSTemplateFormatVersion: '2010-09-09'\nResources: [\n")},
		"cfn/package.json":  {Data: []byte(`{"name": "x"}`)},
		"named/policy.json": {Data: []byte(`{"Resources": ["arn:aws:s3:::b"], "Action": "AWS::S3::GetObject"}`)},
	}
	graphs, _, err := Load(context.Background(), fsys, []string{"cfn", "named/policy.json"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		s := g.Root
		for _, d := range g.Diagnostics {
			s += " [" + d.Summary + "]"
		}
		for _, r := range g.Resources {
			s += " " + r.Address
		}
		got = append(got, s)
	}
	// Found while walking: the template is loaded, the broken one reported,
	// the IAM policy that mentions AWS:: passed over quietly. Named on the
	// command line, the same policy is reported as not a template.
	want := "[cfn/broken.yaml [YAML syntax error] cfn/t.yaml B named/policy.json [not a CloudFormation template]]"
	if s := fmtList(got); s != want {
		t.Errorf("got  %s\nwant %s", s, want)
	}
}

// denyFS refuses to open the names in deny, as a file system does for
// files and directories without read permission.
type denyFS struct {
	fstest.MapFS
	deny map[string]bool
}

func (d denyFS) Open(name string) (fs.File, error) {
	if d.deny[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.MapFS.Open(name)
}

func (d denyFS) ReadDir(name string) ([]fs.DirEntry, error) {
	if d.deny[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.MapFS.ReadDir(name)
}

func (d denyFS) ReadFile(name string) ([]byte, error) {
	if d.deny[name] {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.MapFS.ReadFile(name)
}

func (d denyFS) Stat(name string) (fs.FileInfo, error) { return d.MapFS.Stat(name) }

// Files and directories that cannot be read are errors, never skipped in
// silence: an unreadable terraform.tfvars could hold the value that
// decides a finding.
func TestUnreadableIsAnError(t *testing.T) {
	fsys := denyFS{MapFS: fstest.MapFS{
		"a/main.tf":           {Data: []byte(`resource "x_a" "a" {}`)},
		"a/terraform.tfvars":  {Data: []byte(`x = 1`)},
		"a/locked.tf":         {Data: []byte(`resource "x_b" "b" {}`)},
		"locked/main.tf":      {Data: []byte(`resource "x_c" "c" {}`)},
		"cfn/template.yaml":   {Data: []byte("Resources: {}\n")},
		"cfn/other/readme.md": {Data: []byte("")},
	}, deny: map[string]bool{"a/terraform.tfvars": true, "a/locked.tf": true, "locked": true, "cfn/template.yaml": true}}
	graphs, walkDiags, err := Load(context.Background(), fsys, []string{"."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range walkDiags {
		got = append(got, string(d.Severity)+" "+d.Range.File+": "+d.Summary+": "+d.Detail)
	}
	for _, g := range graphs {
		for _, d := range g.Diagnostics {
			got = append(got, string(d.Severity)+" "+d.Range.File+": "+d.Summary+": "+d.Detail)
		}
	}
	sort.Strings(got)
	want := []string{
		"error a/locked.tf: cannot read file: open a/locked.tf: permission denied",
		"error a/terraform.tfvars: cannot read variables file: permission denied",
		"error cfn/template.yaml: cannot read template: permission denied",
		"error locked: cannot read directory: permission denied",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// Files over their format's size limit are errors, decided by the bytes
// read: a .tf or terraform.tfvars over 8 MiB, through the confined file
// system that the CLI uses.
func TestOversizedFilesAreErrors(t *testing.T) {
	dir := t.TempDir()
	big := bytes.Repeat([]byte("# padding\n"), (terraform.MaxFileSize/10)+1)
	for name, data := range map[string][]byte{
		"a/main.tf":          []byte(`resource "x_a" "a" {}`),
		"a/big.tf":           big,
		"a/terraform.tfvars": big,
	} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	fsys, err := safefs.New(dir, nil, safefs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	graphs, _, err := Load(context.Background(), fsys, []string{"."}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		for _, r := range g.Resources {
			got = append(got, r.Address)
		}
		for _, d := range g.Diagnostics {
			got = append(got, string(d.Severity)+" "+d.Range.File+": "+d.Summary+": "+d.Detail)
		}
	}
	sort.Strings(got)
	want := []string{
		"error a/big.tf: cannot read file: read a/big.tf: the file is larger than the size limit of 8388608 bytes",
		"error a/terraform.tfvars: cannot read variables file: the file is larger than the size limit of 8388608 bytes",
		"x_a.a",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestExcludeSkipsDirectoriesAndFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"a/main.tf":            {Data: []byte(`resource "x_a" "a" {}`)},
		"a/examples/x/main.tf": {Data: []byte(`resource "x_ex" "e" {}`)},
		"a/examples/broken.tf": {Data: []byte(`resource {`)},
		"a/cfn/t.yaml":         {Data: []byte("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")},
		"a/cfn/skip.yaml":      {Data: []byte("Resources:\n  C:\n    Type: AWS::S3::Bucket\n")},
	}
	excl := func(name string) bool { return name == "a/examples" || name == "a/cfn/skip.yaml" }
	graphs, diags, err := Load(context.Background(), fsys, []string{"a"}, Options{Exclude: excl})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		for _, r := range g.Resources {
			got = append(got, g.Root+":"+r.Address)
		}
		for _, d := range g.Diagnostics {
			t.Errorf("diagnostic %s", d)
		}
	}
	if want := "[a:x_a.a a/cfn/t.yaml:B]"; fmtList(got) != want {
		t.Errorf("got %s, want %s", fmtList(got), want)
	}
	if len(diags) != 0 {
		t.Errorf("walk diagnostics: %v", diags)
	}
	// A PATH is never excluded.
	graphs, _, err = Load(context.Background(), fsys, []string{"a/examples/x"}, Options{Exclude: excl})
	if err != nil || len(graphs) != 1 || graphs[0].Root != "a/examples/x" {
		t.Errorf("an excluded PATH: graphs %v, err %v", graphs, err)
	}
}

func TestImplicitSkipsWhatNoFormatClaims(t *testing.T) {
	fsys := fstest.MapFS{
		"net/main.tf":                  {Data: []byte(`resource "x_a" "a" {}`)},
		"net/prod.tfvars":              {Data: []byte(`x = 1`)},
		"vars/only.tfvars":             {Data: []byte(`x = 1`)},
		".github/workflows/ci.yaml":    {Data: []byte("on: push\njobs: {}\n")},
		"README.md":                    {Data: []byte("# readme")},
		"cfn/t.yaml":                   {Data: []byte("Resources:\n  B:\n    Type: AWS::S3::Bucket\n")},
		"app/package.json":             {Data: []byte(`{"name": "x"}`)},
		"app/notes.txt":                {Data: []byte(`x`)},
		"other/main.tf":                {Data: []byte(`resource "x_other" "o" {}`)},
		"net/nested/unrelated/main.tf": {Data: []byte(`resource "x_nested" "n" {}`)},
	}
	paths := []string{"net/prod.tfvars", "vars/only.tfvars", ".github/workflows/ci.yaml", "README.md", "cfn/t.yaml", "app/package.json", "app/notes.txt"}
	graphs, diags, err := Load(context.Background(), fsys, paths, Options{Implicit: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		got = append(got, g.Root)
		for _, d := range g.Diagnostics {
			t.Errorf("diagnostic %s", d)
		}
	}
	if want := "[net cfn/t.yaml]"; fmtList(got) != want {
		t.Errorf("roots %s, want %s", fmtList(got), want)
	}
	if len(diags) != 0 {
		t.Errorf("walk diagnostics: %v", diags)
	}
	// Without Implicit, a named file no format claims is an error.
	graphs, _, err = Load(context.Background(), fsys, []string{".github/workflows/ci.yaml"}, Options{})
	if err != nil || len(graphs) != 1 || len(graphs[0].Diagnostics) == 0 || graphs[0].Diagnostics[0].Severity != "error" {
		t.Errorf("explicit non-template: %v %v", graphs, err)
	}
}
