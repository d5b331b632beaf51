package cloudformation

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// TestCorpusSmoke decodes and loads every template of the shared corpus of
// real-world templates: nothing may panic (a recovered panic is an
// "internal error" diagnostic, which fails the test too). The counts are
// logged (go test -v -run TestCorpusSmoke).
func TestCorpusSmoke(t *testing.T) {
	root := filepath.Join("..", "..", "..", "shared", "corpus", "cloudformation")
	if _, err := os.Stat(root); err != nil {
		t.Skipf("the CloudFormation corpus is not present (%v): nothing to smoke-test", err)
	}
	files, templates, others, resources := 0, 0, 0, 0
	bySummary := map[string]int{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		switch strings.ToLower(filepath.Ext(p)) {
		case ".json", ".yaml", ".yml", ".template":
		default:
			return nil
		}
		files++
		src, err := os.ReadFile(p)
		if err != nil {
			t.Error(err)
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("%s: panic: %v", rel, r)
				}
			}()
			ok, node, decodeDiags := Detect(rel, src)
			if full, _ := Decode(rel, src); ok != IsTemplate(full) || (ok && node == nil) {
				t.Errorf("%s: Detect = %v (decoded: %v), IsTemplate of the decoded document = %v; diagnostics %v",
					rel, ok, node != nil, IsTemplate(full), decodeDiags)
			}
			if !ok {
				others++
				return
			}
			templates++
			g := LoadTemplate(rel, node, src, Options{})
			resources += len(g.Resources)
			for _, d := range append(decodeDiags, g.Diagnostics...) {
				bySummary[string(d.Severity)+": "+d.Summary]++
				if strings.HasPrefix(d.Summary, "internal error") {
					t.Errorf("%s: %s", rel, d)
				}
			}
			for _, r := range g.Resources {
				if r.Values == nil || r.Unknown == nil || r.Sensitive == nil || r.Ranges[""].IsZero() {
					t.Errorf("%s: resource %s is incomplete", rel, r.Address)
				}
			}
		}()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for s, n := range bySummary {
		lines = append(lines, fmt.Sprintf("%6d  %s", n, s))
	}
	sort.Strings(lines)
	t.Logf("%d files: %d templates (%d resources), %d other documents; diagnostics by summary:\n%s",
		files, templates, resources, others, strings.Join(lines, "\n"))
}
