package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// TestReadmeRules holds the README's hand-written "## Rules" table (rules
// grouped by family, in prose) to the rules' metadata, as TestRuleDocs
// holds docs/rules: every built-in rule linked exactly once, to its
// catalogue page; no link to a rule that does not exist; "(opt-in)" after
// exactly the opt-in rules; the rule counts of the README right.
func TestReadmeRules(t *testing.T) {
	eng, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(repo, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range readmeRuleProblems(string(b), eng.Rules()) {
		t.Error(p)
	}
}

// ruleLink is a link to a rule's catalogue page: [PCS-AWS-021](docs/rules/PCS-AWS-021.md)
// or, after a full ID in the same family, [021](docs/rules/PCS-AWS-021.md).
var ruleLink = regexp.MustCompile(`\[([^\]]*)\]\(docs/rules/([^)#]+)\.md\)`)

// readmeRuleProblems checks the "## Rules" section of readme against the
// built-in rules and returns one problem a line, with README.md:line.
func readmeRuleProblems(readme string, rules []finding.Rule) []string {
	var problems []string
	lines := strings.Split(readme, "\n")
	start, end := -1, len(lines)
	for i, l := range lines {
		if l == "## Rules" {
			start = i
		} else if start >= 0 && strings.HasPrefix(l, "## ") {
			end = i
			break
		}
	}
	if start < 0 {
		return []string{"README.md has no ## Rules section"}
	}
	byID := map[string]finding.Rule{}
	var builtin []finding.Rule
	for _, r := range rules {
		if r.Builtin {
			byID[r.ID] = r
			builtin = append(builtin, r)
		}
	}

	// The counts stated in prose: "35 built-in rules", "holds 35 rules".
	count := regexp.MustCompile(`\b(\d+) (built-in )?rules\b`)
	for i, l := range lines {
		for _, m := range count.FindAllStringSubmatch(l, -1) {
			if (m[2] != "" || strings.Contains(l, "baseline holds")) && m[1] != fmt.Sprint(len(builtin)) {
				problems = append(problems, fmt.Sprintf("README.md:%d: says %q; there are %d built-in rules", i+1, m[0], len(builtin)))
			}
		}
	}

	seen := map[string]int{} // rule ID -> README line
	for i := start; i < end; i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "|") {
			continue // the table lists the rules; prose links the catalogue
		}
		at := fmt.Sprintf("README.md:%d", i+1)
		links := ruleLink.FindAllStringSubmatchIndex(l, -1)
		for k, m := range links {
			label, id := l[m[2]:m[3]], l[m[4]:m[5]]
			r, ok := byID[id]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s: links docs/rules/%s.md, which belongs to no built-in rule", at, id))
				continue
			}
			if label != id && !strings.HasSuffix(id, "-"+label) {
				problems = append(problems, fmt.Sprintf("%s: the link to %s reads %q; write the ID or its number", at, id, label))
			}
			if line, dup := seen[id]; dup {
				problems = append(problems, fmt.Sprintf("%s: %s is listed again (first on line %d)", at, id, line))
			}
			seen[id] = i + 1
			// What the README says of this rule: up to the next link or
			// the end of the table cell.
			rest := l[m[1]:]
			if k+1 < len(links) {
				rest = l[m[1]:links[k+1][0]]
			}
			if j := strings.Index(rest, " |"); j >= 0 {
				rest = rest[:j]
			}
			if marked := strings.Contains(rest, "(opt-in)"); marked != r.OptIn {
				if r.OptIn {
					problems = append(problems, fmt.Sprintf("%s: %s is opt-in; say so: (opt-in)", at, id))
				} else {
					problems = append(problems, fmt.Sprintf("%s: %s runs by default, but the README says (opt-in)", at, id))
				}
			}
		}
	}
	for _, r := range builtin {
		if _, ok := seen[r.ID]; !ok {
			problems = append(problems, fmt.Sprintf("README.md:%d: ## Rules does not list %s (%s); add [%s](docs/rules/%s.md) to its family's row", start+1, r.ID, r.Title, r.ID, r.ID))
		}
	}
	return problems
}

// TestReadmeRuleProblems: the check reports each way the section can
// drift, at its line.
func TestReadmeRuleProblems(t *testing.T) {
	rules := []finding.Rule{
		{ID: "PCS-AWS-001", Title: "Open ingress", Builtin: true},
		{ID: "PCS-AWS-002", Title: "Default VPC", Builtin: true},
		{ID: "PCS-AWS-014", Title: "Unused group", Builtin: true, OptIn: true},
		{ID: "PCS-AWS-021", Title: "TLS only", Builtin: true},
		{ID: "ACME-001", Title: "A team's own rule"},
	}
	readme := strings.Join([]string{
		"# Portcullis",                         // 1
		"The built-in baseline holds 4 rules.", // 2
		"## Rules",                             // 3
		"3 built-in rules.",                    // 4
		"| Family | Rules |",                   // 5
		"| --- | --- |",                        // 6
		"| Net | [PCS-AWS-001](docs/rules/PCS-AWS-001.md) open (opt-in), [014](docs/rules/PCS-AWS-014.md) unused |", // 7
		"| S3 | [21](docs/rules/PCS-AWS-021.md) TLS; [PCS-AWS-009](docs/rules/PCS-AWS-009.md) gone |",               // 8
		"| Again | [001](docs/rules/PCS-AWS-001.md) |",                                                              // 9
		"The [catalogue](docs/rules/README.md) and [PCS-AWS-002](docs/rules/PCS-AWS-002.md) in prose.",              // 10
		"## GitHub", // 11
		"| [PCS-AWS-002](docs/rules/PCS-AWS-002.md) | outside the section |", // 12
	}, "\n")
	want := []string{
		"README.md:4: says \"3 built-in rules\"; there are 4 built-in rules",
		"README.md:7: PCS-AWS-001 runs by default, but the README says (opt-in)",
		"README.md:7: PCS-AWS-014 is opt-in; say so: (opt-in)",
		"README.md:8: the link to PCS-AWS-021 reads \"21\"; write the ID or its number",
		"README.md:8: links docs/rules/PCS-AWS-009.md, which belongs to no built-in rule",
		"README.md:9: PCS-AWS-001 is listed again (first on line 7)",
		"README.md:3: ## Rules does not list PCS-AWS-002 (Default VPC); add [PCS-AWS-002](docs/rules/PCS-AWS-002.md) to its family's row",
	}
	got := readmeRuleProblems(readme, rules)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if p := readmeRuleProblems("# no rules here\n", rules); len(p) != 1 || p[0] != "README.md has no ## Rules section" {
		t.Errorf("no section: %q", p)
	}
}
