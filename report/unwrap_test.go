package report

import "testing"

// TestUnwrap: a remediation paragraph wrapped by hand in rule metadata is
// one line in the HTML report, so the page wraps it.
func TestUnwrap(t *testing.T) {
	got := unwrap("Grant the permission to the account, role or service that needs it, and\n  for a service principal name the resource\nthat calls the function.")
	want := "Grant the permission to the account, role or service that needs it, and for a service principal name the resource that calls the function."
	if got != want {
		t.Errorf("unwrap = %q, want %q", got, want)
	}
}
