package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/policies"
)

func TestBuildInfo(t *testing.T) {
	vcs := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/portcullis-iac/portcullis", Version: "v0.0.0-20261201200358-5626182e1f2a+dirty"},
		Settings: []debug.BuildSetting{
			{Key: "-trimpath", Value: "true"},
			{Key: "vcs", Value: "git"},
			{Key: "vcs.revision", Value: "5626182e1f2a0c7e1d1c59a8f0e1c2d3b4a59687"},
			{Key: "vcs.time", Value: "2026-12-01T20:03:58Z"},
			{Key: "vcs.modified", Value: "true"},
		},
	}
	clean := &debug.BuildInfo{
		Main: debug.Module{Path: "github.com/portcullis-iac/portcullis", Version: "(devel)"},
		Settings: []debug.BuildSetting{
			{Key: "vcs.revision", Value: "5626182e1f2a0c7e1d1c59a8f0e1c2d3b4a59687"},
			{Key: "vcs.modified", Value: "false"},
		},
	}
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/portcullis-iac/portcullis", Version: "v1.2.3"}}
	tests := []struct {
		name                string
		ver, com, dat       string
		bi                  *debug.BuildInfo
		wantV, wantC, wantD string
	}{
		{"release (ldflags win)", "1.2.3", "abc1234", "2026-12-01T10:00:00Z", vcs, "1.2.3", "abc1234", "2026-12-01T10:00:00Z"},
		{"clone, edited", "", "", "", vcs, "v0.0.0-20261201200358-5626182e1f2a+dirty", "5626182e1f2a0c7e1d1c59a8f0e1c2d3b4a59687-dirty", "2026-12-01T20:03:58Z"},
		{"clean tree, no vcs.time", "", "", "", clean, "0.0.0-devel", "5626182e1f2a0c7e1d1c59a8f0e1c2d3b4a59687", "unknown"},
		{"go install @v1.2.3", "", "", "", installed, "v1.2.3", "unknown", "unknown"},
		{"version alone from ldflags", "1.2.3", "", "", installed, "1.2.3", "unknown", "unknown"},
		{"no build information", "", "", "", nil, "unknown", "unknown", "unknown"},
	}
	for _, tt := range tests {
		v, c, d := buildInfo(tt.ver, tt.com, tt.dat, tt.bi)
		if v != tt.wantV || c != tt.wantC || d != tt.wantD {
			t.Errorf("%s: buildInfo = %q, %q, %q; want %q, %q, %q", tt.name, v, c, d, tt.wantV, tt.wantC, tt.wantD)
		}
	}
}

// wantVersion is what the version command of this test binary reports.
func wantVersion(t *testing.T, policySet string) versionInfo {
	t.Helper()
	v, c, d := buildInfo(version, commit, date, readBuildInfo())
	return versionInfo{Version: v, Commit: c, Date: d, GoVersion: runtime.Version(), Platform: runtime.GOOS + "/" + runtime.GOARCH, PolicySet: policySet}
}

func TestVersionCommand(t *testing.T) {
	builtin := policies.BuiltinPolicySetHash()
	w := wantVersion(t, builtin)
	code, out, stderr := runCLI(t, "version")
	want := "portcullis " + w.Version + "\n" +
		"commit:     " + w.Commit + "\n" +
		"date:       " + w.Date + "\n" +
		"go:         " + runtime.Version() + "\n" +
		"platform:   " + runtime.GOOS + "/" + runtime.GOARCH + "\n" +
		"policy set: " + builtin + "\n"
	if code != exitOK || out != want || stderr != "" {
		t.Errorf("version: exit %d\n%s\nwant\n%s\nstderr %q", code, out, want, stderr)
	}
	if !strings.HasPrefix(builtin, "sha256:") || len(builtin) != 71 {
		t.Errorf("policy set %q, want sha256: and 64 hex digits", builtin)
	}

	code, out, _ = runCLI(t, "version", "--format", "json")
	if code != exitOK {
		t.Fatalf("version --format json: exit %d", code)
	}
	var got versionInfo
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(w, got); diff != "" {
		t.Errorf("version --format json (-want +got):\n%s", diff)
	}
	// The keys as written, not only as decoded.
	for _, k := range []string{`"version": `, `"commit": `, `"date": `, `"go_version": `, `"platform": `, `"policy_set": "sha256:`} {
		if !strings.Contains(out, k) {
			t.Errorf("version --format json lacks %s:\n%s", k, out)
		}
	}
}

func TestVersionPolicySet(t *testing.T) {
	dir := t.TempDir()
	rule := filepath.Join(dir, "net.rego")
	if err := os.WriteFile(rule, []byte("package acme.net\n\nimport rego.v1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	policySet := func() string {
		t.Helper()
		code, out, stderr := runCLI(t, "version", "--format", "json", "--policy-dir", dir)
		if code != exitOK {
			t.Fatalf("version --policy-dir: exit %d: %s", code, stderr)
		}
		var got versionInfo
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatal(err)
		}
		return got.PolicySet
	}
	first := policySet()
	if second := policySet(); second != first {
		t.Errorf("two runs: %s, %s", first, second)
	}
	if first == policies.BuiltinPolicySetHash() {
		t.Errorf("--policy-dir left the built-in policy set hash unchanged")
	}
	want, err := policies.PolicySetHash([]policies.Source{{Name: dir, FS: os.DirFS(dir)}})
	if err != nil {
		t.Fatal(err)
	}
	if first != want {
		t.Errorf("version --policy-dir: %s, PolicySetHash: %s", first, want)
	}
	if err := os.WriteFile(rule, []byte("package acme.net\n\nimport rego.v1\n\n# edited\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if edited := policySet(); edited == first {
		t.Errorf("editing %s left the policy set %s", rule, first)
	}
}

func TestVersionErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "p.rego")
	if err := os.WriteFile(file, []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"version", "--format", "sarif"}, "portcullis: unknown format \"sarif\" (want text or json)\n"},
		{[]string{"version", "--policy-dir", "nope"}, "portcullis: --policy-dir: stat nope: no such file or directory\n"},
		{[]string{"version", "--policy-dir", file}, "portcullis: --policy-dir " + file + ": not a directory\n"},
		{[]string{"version", "extra"}, "portcullis: unknown command \"extra\" for \"portcullis version\"\n"},
	}
	for _, tt := range tests {
		code, out, stderr := runCLI(t, tt.args...)
		if code != exitError || out != "" || stderr != tt.want {
			t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit %d, stderr %q", tt.args, code, out, stderr, exitError, tt.want)
		}
	}
}
