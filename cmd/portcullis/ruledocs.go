package main

import (
	"fmt"
	"strings"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// ruleDoc renders a rule's catalogue page (docs/rules/<id>.md) from its
// metadata: the metadata is the one source of truth.
func ruleDoc(r finding.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Generated from the rule's METADATA by `go test ./cmd/portcullis -run TestRuleDocs -update`; do not edit. -->\n\n")
	fmt.Fprintf(&b, "# %s: %s\n\n", r.ID, r.Title)
	fmt.Fprintf(&b, "| | |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| ID | `%s` |\n", r.ID)
	fmt.Fprintf(&b, "| Name | `%s` |\n", r.Name)
	fmt.Fprintf(&b, "| Default severity | %s |\n", r.Severity)
	fmt.Fprintf(&b, "| Precision | %s |\n", r.Precision)
	fmt.Fprintf(&b, "| Controls | %s |\n", codeList(r.Controls))
	fmt.Fprintf(&b, "| Resource types | %s |\n", codeList(r.ResourceTypes))
	fmt.Fprintf(&b, "| Policy | [`%s`](../../policies/%s) (package `%s`) |\n\n", strings.TrimPrefix(r.File, "builtin/"), strings.TrimPrefix(r.File, "builtin/"), r.Package)
	fmt.Fprintf(&b, "## Why\n\n%s\n\n", r.Description)
	fmt.Fprintf(&b, "## How to fix\n\n%s\n", r.Remediation)
	return b.String()
}

func codeList(items []string) string {
	if len(items) == 0 {
		return "-"
	}
	out := make([]string, len(items))
	for i, s := range items {
		out[i] = "`" + s + "`"
	}
	return strings.Join(out, ", ")
}

// rulesIndex renders docs/rules/README.md, the catalogue's table of contents.
func rulesIndex(rules []finding.Rule) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!-- Generated from the rules' METADATA by `go test ./cmd/portcullis -run TestRuleDocs -update`; do not edit. -->\n\n")
	fmt.Fprintf(&b, "# Rule catalogue\n\n")
	fmt.Fprintf(&b, "Every built-in rule, generated from its METADATA. `portcullis rules` lists the same, with the rules of your `--policy-dir` directories.\n\n")
	fmt.Fprintf(&b, "| ID | Name | Severity | Title | Controls |\n| --- | --- | --- | --- | --- |\n")
	for _, r := range rules {
		fmt.Fprintf(&b, "| [%s](%s.md) | `%s` | %s | %s | %s |\n", r.ID, r.ID, r.Name, r.Severity, r.Title, strings.Join(r.Controls, ", "))
	}
	return b.String()
}
