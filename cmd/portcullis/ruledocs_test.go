package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-iac/portcullis/policies"
)

// TestRuleDocs fails when docs/rules drifts from the rules' metadata.
// Regenerate with: go test ./cmd/portcullis -run TestRuleDocs -update
func TestRuleDocs(t *testing.T) {
	eng, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join("..", "..", "docs", "rules")
	want := map[string]string{"README.md": rulesIndex(eng.Rules())}
	for _, r := range eng.Rules() {
		want[r.ID+".md"] = ruleDoc(r)
	}
	if *update {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, content := range want {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; !ok {
			t.Errorf("docs/rules/%s belongs to no rule; delete it", e.Name())
		}
	}
	for name, content := range want {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("docs/rules/%s is missing; run go test ./cmd/portcullis -run TestRuleDocs -update", name)
			continue
		}
		if string(got) != content {
			t.Errorf("docs/rules/%s is out of date with the rule metadata; run go test ./cmd/portcullis -run TestRuleDocs -update", name)
		}
	}
}
