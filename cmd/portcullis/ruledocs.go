package main

import (
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report"
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
	if r.OptIn {
		fmt.Fprintf(&b, "| Enabled | opt-in: runs only with `--enable-rule %s` |\n", r.ID)
	}
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
		title := r.Title
		if r.OptIn {
			title += " (opt-in)"
		}
		fmt.Fprintf(&b, "| [%s](%s.md) | `%s` | %s | %s | %s |\n", r.ID, r.ID, r.Name, r.Severity, title, strings.Join(r.Controls, ", "))
	}
	// The same rules by control, for an auditor who samples one criterion.
	byControl := map[string][]string{}
	var controls []string
	for _, r := range rules {
		for _, c := range r.Controls {
			if byControl[c] == nil {
				controls = append(controls, c)
			}
			byControl[c] = append(byControl[c], fmt.Sprintf("[%s](%s.md)", r.ID, r.ID))
		}
	}
	sort.Slice(controls, func(i, j int) bool { return report.ControlLess(controls[i], controls[j]) })
	fmt.Fprintf(&b, "\n## By control\n\nThe rules that evidence each control (`--group-by control` groups findings the same way).\n\n")
	fmt.Fprintf(&b, "| Control | Rules |\n| --- | --- |\n")
	for _, c := range controls {
		fmt.Fprintf(&b, "| %s | %s |\n", c, strings.Join(byControl[c], ", "))
	}
	return b.String()
}

// explainText renders a rule's documentation for a terminal (portcullis
// explain): the facts of its catalogue page as aligned fields, then why it
// matters and how to fix what it reports, as written in its METADATA. Text
// from a policy is stripped of control characters, so that a policy cannot
// drive the terminal.
func explainText(r finding.Rule, rulesURI string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s\n\n", r.ID, printable(r.Title))
	field := func(name, value string) {
		fmt.Fprintf(&b, "  %-16s%s\n", name, value)
	}
	field("Name", printable(r.Name))
	field("Severity", string(r.Severity))
	field("Precision", r.Precision)
	if r.OptIn {
		field("Enabled", "opt-in: runs only with --enable-rule "+r.ID)
	} else {
		field("Enabled", "by default (--disable-rule "+r.ID+" turns it off)")
	}
	field("Controls", wrapList(r.Controls, 80-18))
	field("Resource types", wrapList(r.ResourceTypes, 80-18))
	field("Policy", fmt.Sprintf("%s (package %s)", printable(r.File), printable(r.Package)))
	if r.Builtin && rulesURI != "" {
		field("Documentation", rulesURI+r.DocPath())
	}
	fmt.Fprintf(&b, "\nWhy\n\n%s\n", printable(nonEmpty(r.Description, r.Title)))
	fmt.Fprintf(&b, "\nHow to fix\n\n%s\n", printable(nonEmpty(r.Remediation, "-")))
	return b.String()
}

// wrapList joins items with ", " in lines of at most width bytes, the
// lines after the first indented to the value column of explainText.
func wrapList(items []string, width int) string {
	if len(items) == 0 {
		return "-"
	}
	var b strings.Builder
	n := 0
	for i, it := range items {
		it = printable(it)
		if i > 0 {
			b.WriteString(",")
			n++
			if n+1+len(it) > width {
				b.WriteString("\n" + strings.Repeat(" ", 18))
				n = 0
			} else {
				b.WriteString(" ")
				n++
			}
		}
		b.WriteString(it)
		n += len(it)
	}
	return b.String()
}

// printable drops control characters but newlines and tabs, and the
// bidirectional overrides that can disguise text.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case unicode.IsControl(r), r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
			return -1
		}
		return r
	}, strings.TrimSpace(s))
}

func nonEmpty(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
