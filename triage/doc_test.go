package triage

import (
	"os"
	"regexp"
	"strings"
	"testing"
)

// TestDocExamples holds docs/triage.md to the code: its register example
// loads, and the errors it quotes are the ones LoadExceptions gives for
// the edits named here.
func TestDocExamples(t *testing.T) {
	doc, err := os.ReadFile("../docs/triage.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```yaml\n(# .portcullis/exceptions.yaml.*?)```").FindSubmatch(doc)
	if m == nil {
		t.Fatal("docs/triage.md: no register example")
	}
	reg := string(m[1])
	ex, err := LoadExceptions(".portcullis/exceptions.yaml", []byte(reg))
	if err != nil || len(ex) != 3 {
		t.Fatalf("the example register: %d entries, %v; want 3 and no error", len(ex), err)
	}
	for _, edit := range [][2]string{
		{"expires: 2027-03-31", "expires: 2027-02-30"},
		{"    reason: \"the legacy", "    reson: \"the legacy"},
		{"    owner: team-platform\n", ""},
	} {
		_, err := LoadExceptions(".portcullis/exceptions.yaml", []byte(strings.Replace(reg, edit[0], edit[1], 1)))
		if err == nil {
			t.Fatalf("edit %q: no error", edit)
		}
		if !strings.Contains(string(doc), "\n"+err.Error()+"\n") {
			t.Errorf("docs/triage.md does not quote the error of edit %q:\n%s", edit, err)
		}
	}
}
