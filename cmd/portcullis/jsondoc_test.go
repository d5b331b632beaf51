package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/internal/golden"
)

// TestJSONDocExample keeps the example of docs/json-output.md the real
// output of a scan of testdata/jsondoc (a finding with a related location,
// a suppressed finding, a diagnostic): every key, value and order as the
// writer produces them. Two things are allowed to differ: tool.version,
// and controls, of which the example shows a selection (every key it shows
// must be in the output, with the output's value). -update rewrites the
// example from the output, keeping the selection of controls.
func TestJSONDocExample(t *testing.T) {
	docPath := filepath.Join(repo, "docs", "json-output.md")
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	const open, close = "```json\n", "\n```\n"
	section := strings.Index(doc, "## Example\n")
	start := strings.Index(doc[max(section, 0):], open)
	if section < 0 || start < 0 {
		t.Fatal("docs/json-output.md has no ## Example json block")
	}
	start += section + len(open)
	end := strings.Index(doc[start:], close)
	if end < 0 {
		t.Fatal("the example block is not closed")
	}
	end += start
	var example map[string]any
	if err := json.Unmarshal([]byte(doc[start:end]), &example); err != nil {
		t.Fatalf("the example is not JSON: %v", err)
	}

	dir := filepath.Join("testdata", "jsondoc")
	_, out, stderr := runCLI(t, "scan", "--root", dir, "--format", "json", dir)
	var got map[string]any
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("%v; stderr: %s", err, stderr)
	}
	// The example's selection of controls, with the output's values.
	shown, _ := example["controls"].(map[string]any)
	all, _ := got["controls"].(map[string]any)
	selected := map[string]any{}
	for k := range shown {
		v, ok := all[k]
		if !ok {
			t.Errorf("the example shows control %s, which the output does not have", k)
		}
		selected[k] = v
	}
	got["controls"] = selected
	got["tool"].(map[string]any)["version"] = example["tool"].(map[string]any)["version"]

	if golden.Update() {
		text, err := json.MarshalIndent(got, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		// The writer's key order: re-read the real output and keep it.
		text = []byte(reorder(t, out, string(text)))
		if err := os.WriteFile(docPath, []byte(doc[:start]+string(text)+doc[end:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !reflect.DeepEqual(example, got) {
		want, _ := json.MarshalIndent(got, "", "  ")
		t.Errorf("the example in docs/json-output.md is not what a scan of %s writes (run go test ./cmd/portcullis -run TestJSONDocExample -update); the output, controls trimmed to the example's:\n%s", dir, want)
	}
}

// reorder returns the output document out with its controls trimmed to
// those of trimmed and tool.version taken from trimmed, keeping the
// writer's formatting and key order.
func reorder(t *testing.T, out, trimmed string) string {
	t.Helper()
	var tr struct {
		Tool struct {
			Version string `json:"version"`
		} `json:"tool"`
		Controls map[string]json.RawMessage `json:"controls"`
	}
	if err := json.Unmarshal([]byte(trimmed), &tr); err != nil {
		t.Fatal(err)
	}
	var orig map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &orig); err != nil {
		t.Fatal(err)
	}
	i := strings.Index(out, "\n  \"controls\": {")
	if i < 0 {
		t.Fatal("no controls in the output")
	}
	var b strings.Builder
	b.WriteString(out[:i])
	b.WriteString("\n  \"controls\": {")
	keys := make([]string, 0, len(tr.Controls))
	for k := range tr.Controls {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for n, k := range keys {
		v, err := json.MarshalIndent(tr.Controls[k], "    ", "  ")
		if err != nil {
			t.Fatal(err)
		}
		sep := ","
		if n == len(keys)-1 {
			sep = ""
		}
		b.WriteString("\n    \"" + k + "\": " + string(v) + sep)
	}
	b.WriteString("\n  }\n}")
	s := b.String()
	var version struct {
		Tool struct {
			Version string `json:"version"`
		} `json:"tool"`
	}
	_ = json.Unmarshal([]byte(out), &version)
	return strings.Replace(s, `"version": "`+version.Tool.Version+`"`, `"version": "`+tr.Tool.Version+`"`, 1)
}
