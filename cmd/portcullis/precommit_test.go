package main

import (
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// hook is an entry of .pre-commit-hooks.yaml, the fields pre-commit reads.
type hook struct {
	ID            string   `yaml:"id"`
	Name          string   `yaml:"name"`
	Description   string   `yaml:"description"`
	Entry         string   `yaml:"entry"`
	Language      string   `yaml:"language"`
	Files         string   `yaml:"files"`
	TypesOr       []string `yaml:"types_or"`
	PassFilenames *bool    `yaml:"pass_filenames"`
	RequireSerial bool     `yaml:"require_serial"`
}

// TestPreCommitHooks keeps the hooks in step with the scan command: the
// entry's flags exist, the Terraform hook matches what the scan reads and
// nothing else, and files are passed to a single process.
func TestPreCommitHooks(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&hooks); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range hooks {
		ids = append(ids, h.ID)
	}
	if diff := cmp.Diff([]string{"portcullis", "portcullis-cloudformation"}, ids); diff != "" {
		t.Fatalf("hook ids (-want +got):\n%s", diff)
	}

	scan := newScanCommand(io.Discard, io.Discard, &exitState{})
	for _, h := range hooks {
		args := strings.Fields(h.Entry)
		if len(args) < 2 || args[0] != "portcullis" || args[1] != "scan" {
			t.Errorf("%s: entry %q, want portcullis scan ...", h.ID, h.Entry)
			continue
		}
		for _, a := range args[2:] {
			name, _, _ := strings.Cut(strings.TrimPrefix(a, "--"), "=")
			if !strings.HasPrefix(a, "--") || scan.Flags().Lookup(name) == nil {
				t.Errorf("%s: entry %q: %s is no scan flag", h.ID, h.Entry, a)
			}
		}
		if !strings.Contains(h.Entry, "--changed-files") {
			t.Errorf("%s: entry %q without --changed-files: the hook would report findings of files outside the commit", h.ID, h.Entry)
		}
		if h.Language != "golang" || h.PassFilenames == nil || !*h.PassFilenames || !h.RequireSerial {
			t.Errorf("%s: language %q, pass_filenames %v, require_serial %v; want golang, true, true", h.ID, h.Language, h.PassFilenames, h.RequireSerial)
		}
	}

	tf := regexp.MustCompile(hooks[0].Files)
	for name, want := range map[string]bool{
		"main.tf": true, "modules/net/main.tofu": true, "main.tf.json": true, "prod.tfvars": true,
		"prod.tfvars.json": true, "main.tf.bak": false, "README.md": false, "template.yaml": false, "tf": false,
	} {
		if got := tf.MatchString(name); got != want {
			t.Errorf("Terraform hook files %q on %s: %v, want %v", hooks[0].Files, name, got, want)
		}
	}
	if diff := cmp.Diff([]string{"yaml", "json"}, hooks[1].TypesOr); diff != "" || hooks[1].Files != "" {
		t.Errorf("CloudFormation hook: types_or (-want +got):\n%s files %q", diff, hooks[1].Files)
	}
}
