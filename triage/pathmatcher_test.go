package triage

import "testing"

// TestPathMatcher: the walk's exclude test matches a path or any of its
// parent directories, and a bad pattern is refused when compiled.
func TestPathMatcher(t *testing.T) {
	match, err := PathMatcher([]string{"legacy/**", "examples", "**/*.template"})
	if err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]bool{
		"legacy":                true,
		"legacy/a/main.tf":      true,
		"examples/x/main.tf":    true,
		"examples":              true,
		"app/stack.template":    true,
		"app/main.tf":           false,
		"legacyx/main.tf":       false,
		"src/examples2/main.tf": false,
	} {
		if got := match(name); got != want {
			t.Errorf("match(%q) = %v, want %v", name, got, want)
		}
	}
	if _, err := PathMatcher([]string{"ok/**", "../up"}); err == nil {
		t.Error("a pattern with .. was accepted")
	}
}
