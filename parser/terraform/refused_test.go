package terraform

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// A file that exists but that the file functions are refused (in a
// version-control directory, outside the scan root, too large) is an
// error at the call, also inside can() and try(): its value is unknown
// and could have decided a finding. A file that does not exist stays a
// warning. fileset skips version-control directories quietly, so a module
// at the repository root can use "**".
func TestRefusedFileReadsAreErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".git/config", "[core]\n")
	write(".git/x.cidr", "10.9.9.9/32\n")
	write("_darcs/cidr", "0.0.0.0/0\n")
	write("rules/ssh.cidr", "0.0.0.0/0\n")
	write("main.tf", `resource "x_sg" "vcs" {
  cidr = trimspace(file("${path.module}/_darcs/cidr"))
}
resource "x_sg" "swallowed" {
  cidr = try(file(".git/config"), "10.0.0.0/8")
  can  = can(filebase64("_darcs/cidr"))
}
resource "x_sg" "outside" {
  cidr = file("../outside.txt")
}
resource "x_sg" "missing" {
  cidr = file("nothing-here.txt")
}
resource "x_sg" "fs" {
  files = fileset(path.module, "**/*.cidr")
  cidr  = [for f in fileset(path.module, "**/*.cidr") : trimspace(file(f))]
}
`)
	fsys, err := safefs.New(dir, nil, safefs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	g := LoadModule(fsys, ".", Options{})
	want := []string{
		`main.tf:2:20: error: cannot read file: cannot read ./_darcs/cidr: version-control directories are never read; the value is unknown`,
		`main.tf:5:10: error: cannot read file: cannot read .git/config: version-control directories are never read; the value is unknown`,
		`main.tf:6:10: error: cannot read file: cannot read _darcs/cidr: version-control directories are never read; the value is unknown`,
		`main.tf:9:10: error: cannot read file: cannot read ../outside.txt: path is outside the scan root; the value is unknown`,
		`main.tf:12:10: warning: Error in function call: Call to function "file" failed: no file exists at "nothing-here.txt" (nothing-here.txt in the scan root); file functions read only files that are present before Terraform runs.`,
	}
	if diff := cmp.Diff(want, diagLines(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if got := jsonOf(resource(t, g, "x_sg.fs").Values); got != `{"cidr":["0.0.0.0/0"],"files":["rules/ssh.cidr"]}` {
		t.Errorf("fs values = %s", got)
	}
	if got := jsonOf(resource(t, g, "x_sg.swallowed").Unknown); got != `{"can":true,"cidr":true}` {
		t.Errorf("swallowed unknown = %s", got)
	}
}
