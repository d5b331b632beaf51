package main

import (
	"path/filepath"
	"testing"
)

// A repository whose resources are all switched off passes visibly so:
// two count = 0 in a module, one empty for_each, one false Condition.
func TestSummaryNotCreated(t *testing.T) {
	root := filepath.Join("testdata", "notcreated")
	const created = " not created (count = 0, empty for_each or a false CloudFormation Condition)\n"
	for _, tc := range []struct {
		path, want string
	}{
		{".", "No findings in 0 resources, 0 diagnostics; 4 resources" + created},
		{"tf", "No findings in 0 resources, 0 diagnostics; 3 resources" + created},
		{"cfn/template.yaml", "No findings in 0 resources, 0 diagnostics; 1 resource" + created},
	} {
		code, out, stderr := runCLI(t, "scan", "--no-config", "--root", root, filepath.Join(root, tc.path))
		if code != exitOK || out != tc.want || stderr != "" {
			t.Errorf("scan %s: exit %d, stdout %q, stderr %q; want stdout %q", tc.path, code, out, stderr, tc.want)
		}
	}
}
