package main

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/portcullis-iac/portcullis/internal/golden"
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
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := want[e.Name()]; ok {
			continue
		}
		if golden.Update() {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
				t.Fatal(err)
			}
			continue
		}
		t.Errorf("docs/rules/%s belongs to no rule; delete it (go test ./cmd/portcullis -run TestRuleDocs -update does)", e.Name())
	}
	names := make([]string, 0, len(want))
	for name := range want {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		golden.CheckString(t, filepath.Join(dir, name), want[name])
	}
}
