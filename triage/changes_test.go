package triage

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/internal/golden"
)

// git runs git in dir for a test, with no user or system configuration.
func git(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1",
		"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func numbered(prefix string, n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		b.WriteString(prefix)
		b.WriteString(strings.Repeat("x", i))
		b.WriteString("\n")
	}
	return b.String()
}

func needGit(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: GitChanges runs git")
	}
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
}

// gitRepo builds a repository with one commit, then changes its working
// tree in every way a diff can show. It returns the repository's directory.
func gitRepo(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	git(t, dir, "init", "-q")
	writeFile(t, filepath.Join(dir, "modified.tf"), numbered("a", 10))
	writeFile(t, filepath.Join(dir, "noeol.tf"), "one\ntwo\nthree")
	writeFile(t, filepath.Join(dir, "old.tf"), numbered("r", 12))
	writeFile(t, filepath.Join(dir, "deleted.tf"), numbered("d", 4))
	writeFile(t, filepath.Join(dir, "shrunk.tf"), numbered("s", 8))
	writeFile(t, filepath.Join(dir, "tricky.tf"), "-- a\n++ b\nkeep\n")
	writeFile(t, filepath.Join(dir, "mode.sh"), "echo\n")
	writeFile(t, filepath.Join(dir, "sub", "inner.tf"), numbered("i", 3))
	writeFile(t, filepath.Join(dir, ".gitignore"), "*.log\n")
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "base")

	// A hunk at line 1 and one at the end of the file.
	writeFile(t, filepath.Join(dir, "modified.tf"), "first\n"+strings.Join(strings.Split(numbered("a", 10), "\n")[1:10], "\n")+"\nlast\n")
	// The last line changed and gains its newline.
	writeFile(t, filepath.Join(dir, "noeol.tf"), "one\ntwo\nTHREE\n")
	// Renamed, with line 3 changed.
	git(t, dir, "mv", "old.tf", "renamed.tf")
	writeFile(t, filepath.Join(dir, "renamed.tf"), strings.Replace(numbered("r", 12), "rxxx\n", "changed\n", 1))
	git(t, dir, "add", "renamed.tf")
	git(t, dir, "rm", "-q", "deleted.tf")
	// Lines 4 and 5 removed: lines 3 and 4 (new numbering) are its neighbours.
	writeFile(t, filepath.Join(dir, "shrunk.tf"), strings.Replace(numbered("s", 8), "sxxxx\nsxxxxx\n", "", 1))
	// Removed "-- a" and added "++ c": the diff shows "--- a" and "+++ c" in the hunk.
	writeFile(t, filepath.Join(dir, "tricky.tf"), "++ b\n++ c\nkeep\n")
	if err := os.Chmod(filepath.Join(dir, "mode.sh"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "added.tf"), numbered("n", 5))
	git(t, dir, "add", "added.tf")
	writeFile(t, filepath.Join(dir, "untracked.tf"), "u\n")
	writeFile(t, filepath.Join(dir, "sub", "new.tf"), "u\n")
	writeFile(t, filepath.Join(dir, "we\"ird é.tf"), "q\n")
	writeFile(t, filepath.Join(dir, "debug.log"), "ignored\n")
	writeFile(t, filepath.Join(dir, "sub", "inner.tf"), "ix\nchanged\nixxx\n")
	return dir
}

func spans(c *Changes) map[string][][2]int {
	out := map[string][][2]int{}
	for f, ls := range c.Files {
		if ls == nil {
			out[f] = nil
			continue
		}
		out[f] = ls.Spans()
	}
	return out
}

func TestGitChanges(t *testing.T) {
	needGit(t)
	dir := gitRepo(t)
	got, err := GitChanges(context.Background(), dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][2]int{
		"modified.tf":  {{1, 1}, {11, 11}},
		"noeol.tf":     {{3, 3}},
		"renamed.tf":   {{3, 3}},
		"shrunk.tf":    {{3, 4}},
		"tricky.tf":    {{1, 2}}, // a deletion at the top marks line 1
		"added.tf":     {{1, 5}},
		"sub/inner.tf": {{2, 2}},
		"untracked.tf": nil,
		"sub/new.tf":   nil,
		"we\"ird é.tf": nil,
	}
	if d := cmp.Diff(want, spans(got)); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}

	// From a subdirectory: paths relative to it, nothing outside it.
	got, err = GitChanges(context.Background(), filepath.Join(dir, "sub"), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(map[string][][2]int{"inner.tf": {{2, 2}}, "new.tf": nil}, spans(got)); d != "" {
		t.Errorf("changes in sub/ (-want +got):\n%s", d)
	}

	// Committed changes since an older revision count too.
	git(t, dir, "add", "-A")
	git(t, dir, "commit", "-q", "-m", "second")
	got, err = GitChanges(context.Background(), dir, "HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	want["untracked.tf"] = [][2]int{{1, 1}}
	want["sub/new.tf"] = [][2]int{{1, 1}}
	want["we\"ird é.tf"] = [][2]int{{1, 1}}
	if d := cmp.Diff(want, spans(got)); d != "" {
		t.Errorf("changes since HEAD~1 (-want +got):\n%s", d)
	}
}

func TestGitChangesErrors(t *testing.T) {
	needGit(t)
	dir := gitRepo(t)
	notRepo := t.TempDir()
	for _, tc := range []struct{ dir, ref, want string }{
		{dir, "no-such-branch", `unknown git revision "no-such-branch" (--diff-base): fetch it first, e.g. git fetch origin no-such-branch`},
		{dir, "--output=/tmp/x", `bad git revision "--output=/tmp/x" for --diff-base`},
		{dir, "", `bad git revision "" for --diff-base`},
		{notRepo, "HEAD", notRepo + " is not inside a git work tree (--diff-base compares against a git revision): fatal: not a git repository (or any of the parent directories): .git"},
	} {
		_, err := GitChanges(context.Background(), tc.dir, tc.ref)
		if err == nil || err.Error() != tc.want {
			t.Errorf("GitChanges(%q):\n got %v\nwant %s", tc.ref, err, tc.want)
		}
	}
}

// TestParseUnifiedDiff reads a diff git wrote (testdata/real.diff, from
// the repository gitRepo builds: git diff --unified=0 HEAD) and a few
// hand-made edge cases.
func TestParseUnifiedDiff(t *testing.T) {
	f, err := os.Open("testdata/real.diff")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := ParseUnifiedDiff(f)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][2]int{
		"modified.tf":  {{1, 1}, {11, 11}},
		"noeol.tf":     {{3, 3}},
		"renamed.tf":   {{3, 3}},
		"shrunk.tf":    {{3, 4}},
		"tricky.tf":    {{1, 2}},
		"added.tf":     {{1, 5}},
		"sub/inner.tf": {{2, 2}},
	}
	if d := cmp.Diff(want, spans(got)); d != "" {
		t.Errorf("changes (-want +got):\n%s", d)
	}

	for _, tc := range []struct{ name, in, want string }{
		{"hunk longer than said", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b\n+c\n", `diff line 7: a changed line outside any hunk: "+c"`},
		{"truncated hunk", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,2 +1,2 @@\n-a\n", "the diff ends inside a hunk"},
		{"bad header", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,a +1 @@\n", `diff line 4: bad hunk header "@@ -1,a +1 @@"`},
		{"no prefix", "diff --git a/x b/x\n--- a/x\n+++ x\n", `diff line 3: path "x" lacks the "b/" prefix`},
		{"bad line in hunk", "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n*a\n", `diff line 5: unexpected line in a hunk: "*a"`},
	} {
		_, err := ParseUnifiedDiff(strings.NewReader(tc.in))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
}

// TestRealDiffFixture checks that testdata/real.diff is what git prints for
// the repository gitRepo builds, so the parser test reads real output.
func TestRealDiffFixture(t *testing.T) {
	needGit(t)
	dir := gitRepo(t)
	out, err := runGit(context.Background(), dir, "diff", "--no-color", "--no-ext-diff", "--no-textconv", "--unified=0",
		"--relative", "--src-prefix=a/", "--dst-prefix=b/", "HEAD", "--")
	if err != nil {
		t.Fatal(err)
	}
	// Object ids differ from run to run only if the content does; the
	// fixture is compared whole.
	golden.Check(t, "testdata/real.diff", out)
}

// FuzzParseUnifiedDiff: any input gives changes or an error, never a
// panic, and every changed line is a positive line number.
func FuzzParseUnifiedDiff(f *testing.F) {
	real, err := os.ReadFile("testdata/real.diff")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(string(real))
	f.Add("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -0,0 +1 @@\n+a\n")
	f.Fuzz(func(t *testing.T, in string) {
		c, err := ParseUnifiedDiff(strings.NewReader(in))
		if err != nil {
			return
		}
		for file, ls := range c.Files {
			if ls == nil {
				continue
			}
			for _, sp := range ls.Spans() {
				if sp[0] < 1 || sp[1] < sp[0] {
					t.Fatalf("%s: bad span %v", file, sp)
				}
			}
		}
	})
}
