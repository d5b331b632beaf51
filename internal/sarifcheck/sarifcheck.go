// Package sarifcheck runs Microsoft's SARIF validator (the sarif-multitool
// from npm: npm install @microsoft/sarif-multitool brings
// node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool) with the
// GitHub and SARIF rule sets, for the tests of every package that writes
// SARIF.
package sarifcheck

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// Validate validates the SARIF file path with the validator tool and
// returns its errors and warnings, one line each ("level ruleId:
// arguments"); an error when the validator cannot run or its log cannot
// be read. Without --level the validator reports nothing at all, so the
// levels are always given.
func Validate(tool, path string) ([]string, error) {
	dir, err := os.MkdirTemp("", "sarifcheck")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "validation.sarif")
	args := []string{"validate", path, "--rule-kind", "Gh;Sarif", "--level", "Error;Warning;Note", "--output", out, "--log", "ForceOverwrite"}
	cmd := exec.Command(tool, args...) //nolint:gosec // tests only: the validator their environment names
	if b, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("%w\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		return nil, err
	}
	var v struct {
		Runs []struct {
			Results []struct {
				RuleID  string `json:"ruleId"`
				Level   string `json:"level"`
				Message struct {
					Arguments []string `json:"arguments"`
				} `json:"message"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &v); err != nil {
		return nil, err
	}
	if len(v.Runs) != 1 {
		return nil, fmt.Errorf("the validator's log has %d runs", len(v.Runs))
	}
	var problems []string
	for _, r := range v.Runs[0].Results {
		level := r.Level
		if level == "" {
			level = "warning" // SARIF's default level
		}
		if level == "error" || level == "warning" {
			problems = append(problems, fmt.Sprintf("%s %s: %v", level, r.RuleID, r.Message.Arguments))
		}
	}
	return problems, nil
}
