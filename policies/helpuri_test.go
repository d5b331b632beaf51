package policies

import (
	"testing"
)

// A rule's help page is the first https ref of its METADATA
// related_resources; anything else (no ref, http, a relative ref, a URL
// with credentials) gives none.
func TestRuleHelpURI(t *testing.T) {
	for name, tc := range map[string]struct{ related, want string }{
		"none":        {"", ""},
		"object":      {"# related_resources:\n#   - ref: https://wiki.example.com/policies/ACME-001\n#     description: our page\n", "https://wiki.example.com/policies/ACME-001"},
		"string":      {"# related_resources:\n#   - https://wiki.example.com/a?b=c#d\n", "https://wiki.example.com/a?b=c#d"},
		"first https": {"# related_resources:\n#   - ref: http://old.example.com/x\n#   - ref: docs/ACME-001.md\n#   - ref: https://user:secret@example.com/x\n#   - ref: https://example.com/second\n#   - ref: https://example.com/third\n", "https://example.com/second"},
		"only http":   {"# related_resources:\n#   - ref: http://example.com/x\n", ""},
	} {
		t.Run(name, func(t *testing.T) {
			text := "# METADATA\n# title: A rule\n" + tc.related +
				"# custom:\n#   id: ACME-001\n#   severity: low\npackage acme.a\n\ndeny contains {} if false\n"
			m, err := parseModule("acme/a.rego", text)
			if err != nil {
				t.Fatal(err)
			}
			r, err := ruleOf("acme/a.rego", m)
			if err != nil {
				t.Fatal(err)
			}
			if r.HelpURI != tc.want {
				t.Errorf("HelpURI = %q, want %q", r.HelpURI, tc.want)
			}
		})
	}
}
