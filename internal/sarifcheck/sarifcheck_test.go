package sarifcheck

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestValidate is the helper's negative and positive control: a result
// without a location and with a rule the run does not describe is
// reported, a well-formed log is not.
func TestValidate(t *testing.T) {
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		t.Skip("SARIF_MULTITOOL not set (.ci/run sets it)")
	}
	dir := t.TempDir()
	run := `{"version":"2.1.0","$schema":"https://json.schemastore.org/sarif-2.1.0.json","runs":[{"tool":{"driver":{"name":"t","version":"1.0.0","informationUri":"https://example.com/t","rules":[{"id":"R1","shortDescription":{"text":"r"},"fullDescription":{"text":"r."},"help":{"text":"h"}}]}},"results":[%s]}]}`
	good := `{"ruleId":"R1","ruleIndex":0,"level":"error","message":{"text":"m."},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"main.tf"},"region":{"startLine":1}}}],"partialFingerprints":{"k":"1"}}`
	bad := `{"ruleId":"R9","level":"error","message":{"text":"m."}}`
	for _, tc := range []struct {
		name   string
		result string
		want   bool // problems expected
	}{{"good", good, false}, {"bad", bad, true}} {
		path := filepath.Join(dir, tc.name+".sarif")
		if err := os.WriteFile(path, []byte(strings.Replace(run, "%s", tc.result, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		problems, err := Validate(tool, path)
		if err != nil {
			t.Fatal(err)
		}
		if (len(problems) > 0) != tc.want {
			t.Errorf("%s: problems %q, want some: %t", tc.name, problems, tc.want)
		}
	}
}
