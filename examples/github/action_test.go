// Package github_test checks the GitHub Action (action.yml at the
// repository root) and the example workflow beside this file: their
// structure always, and, when PORTCULLIS_ACTION_TEST=1 (test.sh sets it),
// the action's own install and scan scripts run as GitHub would run them.
package github_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/portcullis-iac/portcullis/internal/sarifcheck"
	"github.com/portcullis-iac/portcullis/sarif"
)

type input struct {
	Description string  `yaml:"description"`
	Required    bool    `yaml:"required"`
	Default     *string `yaml:"default"`
}

type step struct {
	Name  string            `yaml:"name"`
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
	Run   string            `yaml:"run"`
}

type action struct {
	Name        string            `yaml:"name"`
	Description string            `yaml:"description"`
	Author      string            `yaml:"author"`
	Branding    map[string]string `yaml:"branding"`
	Inputs      map[string]input  `yaml:"inputs"`
	Outputs     map[string]struct {
		Description string `yaml:"description"`
		Value       string `yaml:"value"`
	} `yaml:"outputs"`
	Runs struct {
		Using string `yaml:"using"`
		Steps []step `yaml:"steps"`
	} `yaml:"runs"`
}

type workflow struct {
	Name        string            `yaml:"name"`
	On          map[string]any    `yaml:"on"`
	Permissions map[string]string `yaml:"permissions"`
	Jobs        map[string]struct {
		RunsOn string `yaml:"runs-on"`
		Steps  []step `yaml:"steps"`
	} `yaml:"jobs"`
}

const actionPath = "../../action.yml"

func decodeYAML(t *testing.T, path string, v any) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return b
}

func loadAction(t *testing.T) (action, string) {
	t.Helper()
	var a action
	b := decodeYAML(t, actionPath, &a)
	return a, string(b)
}

func stepByID(t *testing.T, a action, id string) step {
	t.Helper()
	for _, s := range a.Runs.Steps {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("action.yml has no step with id %q", id)
	return step{}
}

var (
	inputRef  = regexp.MustCompile(`(?:^|[^\w.])inputs\.([A-Za-z0-9_-]+)`)
	stepRef   = regexp.MustCompile(`steps\.([A-Za-z0-9_-]+)\.outputs\.([A-Za-z0-9_-]+)`)
	outputSet = regexp.MustCompile(`echo "([a-z-]+)=`)
)

func TestActionStructure(t *testing.T) {
	a, text := loadAction(t)
	if a.Runs.Using != "composite" {
		t.Errorf("runs.using = %q, want composite", a.Runs.Using)
	}
	wantInputs := []string{"args", "category", "config", "fail-on", "paths", "sarif-file", "upload", "version"}
	var got []string
	for name, in := range a.Inputs {
		got = append(got, name)
		if in.Description == "" || in.Default == nil || in.Required {
			t.Errorf("input %s: needs a description and a default, and must not be required", name)
		}
	}
	sort.Strings(got)
	if !slices.Equal(got, wantInputs) {
		t.Errorf("inputs %v, want %v", got, wantInputs)
	}

	// Every input used is declared, every declared input is used.
	used := map[string]bool{}
	for _, m := range inputRef.FindAllStringSubmatch(text, -1) {
		used[m[1]] = true
		if _, ok := a.Inputs[m[1]]; !ok {
			t.Errorf("inputs.%s is used but not declared", m[1])
		}
	}
	for name := range a.Inputs {
		if !used[name] {
			t.Errorf("input %s is declared but not used", name)
		}
	}

	outputs := map[string]map[string]bool{} // step id -> outputs it writes
	for i, s := range a.Runs.Steps {
		if s.Name == "" {
			t.Errorf("step %d has no name", i)
		}
		if (s.Run == "") == (s.Uses == "") {
			t.Errorf("step %q: exactly one of run and uses", s.Name)
		}
		if s.Run != "" {
			if s.Shell != "bash" {
				t.Errorf("step %q: shell %q, want bash (composite steps must set it)", s.Name, s.Shell)
			}
			// Inputs reach scripts through env only: an expression in
			// the script would be pasted into it (script injection).
			if strings.Contains(s.Run, "${{") {
				t.Errorf("step %q: expression inside run; pass it through env", s.Name)
			}
			if s.ID != "" {
				outputs[s.ID] = map[string]bool{}
				for _, m := range outputSet.FindAllStringSubmatch(s.Run, -1) {
					outputs[s.ID][m[1]] = true
				}
			}
		}
		if s.Uses != "" && !regexp.MustCompile(`^[\w.-]+/[\w./-]+@v\d+$`).MatchString(s.Uses) {
			t.Errorf("step %q: uses %q is not pinned to a major version", s.Name, s.Uses)
		}
	}
	// Every step output referred to is written by that step.
	for _, m := range stepRef.FindAllStringSubmatch(text, -1) {
		if !outputs[m[1]][m[2]] {
			t.Errorf("steps.%s.outputs.%s is used but step %s does not write it", m[1], m[2], m[1])
		}
	}

	scan := stepByID(t, a, "scan")
	if scan.Env["SARIF_FILE"] != "${{ inputs.sarif-file }}" || !strings.Contains(scan.Run, `--format "sarif=$SARIF_FILE"`) ||
		!strings.Contains(scan.Run, `echo "sarif-file=$SARIF_FILE" >> "$GITHUB_OUTPUT"`) {
		t.Error("the scan step does not write the SARIF file to inputs.sarif-file and report it as its sarif-file output")
	}
	if !strings.Contains(scan.Run, `>> "$GITHUB_STEP_SUMMARY"`) {
		t.Error("the scan step does not append to the job summary")
	}

	var upload *step
	for i, s := range a.Runs.Steps {
		if strings.HasPrefix(s.Uses, "github/codeql-action/upload-sarif@") {
			upload = &a.Runs.Steps[i]
		}
	}
	if upload == nil {
		t.Fatal("no upload-sarif step")
	}
	if upload.With["sarif_file"] != "${{ steps.scan.outputs.sarif-file }}" || upload.With["category"] != "${{ steps.scan.outputs.category }}" {
		t.Errorf("upload-sarif with %v", upload.With)
	}
	// Uploaded when the scan found something (the scan step succeeds and
	// the last step fails the job), and only when asked.
	if !strings.HasPrefix(upload.If, "always()") || !strings.Contains(upload.If, "inputs.upload == 'true'") {
		t.Errorf("upload-sarif if: %q", upload.If)
	}
	last := a.Runs.Steps[len(a.Runs.Steps)-1]
	if !strings.HasPrefix(last.If, "always()") || last.Env["CODE"] != "${{ steps.scan.outputs.exit-code }}" {
		t.Errorf("the last step does not restore the scan's exit status: %+v", last)
	}
	if a.Outputs["sarif-file"].Value != "${{ steps.scan.outputs.sarif-file }}" || a.Outputs["exit-code"].Value != "${{ steps.scan.outputs.exit-code }}" {
		t.Errorf("outputs %+v", a.Outputs)
	}
}

func TestExampleWorkflow(t *testing.T) {
	var w workflow
	decodeYAML(t, "portcullis.yml", &w)
	a, _ := loadAction(t)
	for _, ev := range []string{"pull_request", "push"} {
		if _, ok := w.On[ev]; !ok {
			t.Errorf("workflow does not run on %s", ev)
		}
	}
	if w.Permissions["security-events"] != "write" || w.Permissions["contents"] != "read" {
		t.Errorf("permissions %v", w.Permissions)
	}
	var found bool
	for _, job := range w.Jobs {
		for i, s := range job.Steps {
			if !strings.HasPrefix(s.Uses, "portcullis-iac/portcullis@") {
				continue
			}
			found = true
			if i == 0 || !strings.HasPrefix(job.Steps[i-1].Uses, "actions/checkout@") {
				t.Error("the action does not run after a checkout")
			}
			for k := range s.With {
				if _, ok := a.Inputs[k]; !ok {
					t.Errorf("workflow passes %s, which the action does not declare", k)
				}
			}
		}
	}
	if !found {
		t.Error("the workflow does not use the action")
	}
}

// env builds the environment of a step: its env entries, with inputs.X
// replaced by the value given (or the input's default), and the runner's
// variables.
func env(t *testing.T, a action, s step, inputs map[string]string, runner map[string]string) []string {
	t.Helper()
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	if gc := os.Getenv("GOCACHE"); gc != "" {
		out = append(out, "GOCACHE="+gc)
	}
	expr := regexp.MustCompile(`^\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}$`)
	for k, v := range s.Env {
		if m := expr.FindStringSubmatch(v); m != nil {
			val, ok := inputs[m[1]]
			if !ok {
				val = *a.Inputs[m[1]].Default
			}
			v = val
		} else if strings.Contains(v, "${{") {
			val, ok := runner[k]
			if !ok {
				t.Fatalf("step %q: no value for %s = %s", s.Name, k, v)
			}
			v = val
		}
		if over, ok := runner[k]; ok {
			v = over
		}
		out = append(out, k+"="+v)
	}
	for k, v := range runner {
		if _, ok := s.Env[k]; !ok {
			out = append(out, k+"="+v)
		}
	}
	return out
}

// runStep runs a step's script with bash as GitHub does (bash --noprofile
// --norc -eo pipefail), returning its exit status and the outputs it wrote.
func runStep(t *testing.T, dir string, a action, s step, inputs, runner map[string]string) (int, map[string]string, string) {
	t.Helper()
	outFile := filepath.Join(t.TempDir(), "output")
	runner = mapsWith(runner, map[string]string{"GITHUB_OUTPUT": outFile})
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", s.Run)
	cmd.Dir = dir
	cmd.Env = env(t, a, s, inputs, runner)
	b, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			t.Fatalf("step %q: %v", s.Name, err)
		}
		code = ee.ExitCode()
	}
	outs := map[string]string{}
	if data, err := os.ReadFile(outFile); err == nil {
		for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
			if k, v, ok := strings.Cut(line, "="); ok {
				outs[k] = v
			}
		}
	}
	return code, outs, string(b)
}

func mapsWith(a, b map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}

func runnerEnv(t *testing.T) map[string]string {
	arch := map[string]string{"amd64": "X64", "arm64": "ARM64"}[runtime.GOARCH]
	if runtime.GOOS != "linux" || arch == "" {
		t.Skipf("the action test runs on linux amd64/arm64 (here %s/%s)", runtime.GOOS, runtime.GOARCH)
	}
	tmp := t.TempDir()
	return map[string]string{
		"RUNNER_OS": "Linux", "RUNNER_ARCH": arch, "RUNNER_TEMP": tmp,
		"GITHUB_PATH": filepath.Join(tmp, "path"), "GITHUB_STEP_SUMMARY": filepath.Join(tmp, "summary"),
	}
}

func needActionTest(t *testing.T) {
	if os.Getenv("PORTCULLIS_ACTION_TEST") != "1" {
		t.Skip("PORTCULLIS_ACTION_TEST=1 runs the action's scripts (examples/github/test.sh)")
	}
}

// TestActionRuns runs the install step (version: build, from this
// checkout), then the scan step on the insecure Terraform example with a
// category and fail-on high, then the last step, as GitHub would.
func TestActionRuns(t *testing.T) {
	needActionTest(t)
	a, _ := loadAction(t)
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	runner := runnerEnv(t)
	runner["ACTION_PATH"] = root

	code, _, out := runStep(t, root, a, stepByID(t, a, "install"), map[string]string{"version": "build"}, runner)
	if code != 0 {
		t.Fatalf("install (build) exited %d:\n%s", code, out)
	}
	binDir, err := os.ReadFile(runner["GITHUB_PATH"])
	if err != nil {
		t.Fatal(err)
	}
	runner["PATH"] = strings.TrimSpace(string(binDir)) + string(os.PathListSeparator) + os.Getenv("PATH")

	// A workspace with the example, as a checkout would have it: a
	// repository (the scan root, which SARIF paths are relative to).
	ws := t.TempDir()
	if err := os.Mkdir(filepath.Join(ws, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(ws, "infra"), os.DirFS(filepath.Join(root, "examples/terraform/insecure"))); err != nil {
		t.Fatal(err)
	}
	inputs := map[string]string{"paths": "infra\n", "category": " infra/prod/ ", "fail-on": "high", "sarif-file": "out/portcullis.sarif"}
	if err := os.MkdirAll(filepath.Join(ws, "out"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, outs, out := runStep(t, ws, a, stepByID(t, a, "scan"), inputs, runner)
	t.Logf("scan step:\n%s", out)
	if code != 0 {
		t.Fatalf("the scan step exited %d (it records the scan's status and lets the upload run):\n%s", code, out)
	}
	want := map[string]string{"exit-code": "1", "sarif-file": "out/portcullis.sarif", "category": "portcullis/infra/prod/"}
	for k, v := range want {
		if outs[k] != v {
			t.Errorf("output %s = %q, want %q (all: %v)", k, outs[k], v, outs)
		}
	}
	if got := sarif.AutomationID(inputs["category"]); got != want["category"] {
		t.Errorf("sarif.AutomationID = %q, the action uploads with category %q", got, want["category"])
	}
	raw, err := os.ReadFile(filepath.Join(ws, "out/portcullis.sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var log struct {
		Runs []struct {
			AutomationDetails struct{ ID string } `json:"automationDetails"`
			Results           []struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct{ URI string } `json:"artifactLocation"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || log.Runs[0].AutomationDetails.ID != "portcullis/infra/prod/" || len(log.Runs[0].Results) == 0 {
		t.Fatalf("SARIF run: %+v", log.Runs)
	}
	for _, r := range log.Runs[0].Results {
		if uri := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; !strings.HasPrefix(uri, "infra/") {
			t.Errorf("%s at %q: not relative to the workspace", r.RuleID, uri)
		}
	}
	summary, err := os.ReadFile(runner["GITHUB_STEP_SUMMARY"])
	if err != nil || len(bytes.TrimSpace(summary)) == 0 {
		t.Errorf("job summary empty (%v)", err)
	}
	validate(t, filepath.Join(ws, "out/portcullis.sarif"))

	last := a.Runs.Steps[len(a.Runs.Steps)-1]
	for _, tc := range []struct {
		code, failOn string
		want         int
	}{{"1", "high", 1}, {"1", "none", 0}, {"0", "low", 0}, {"2", "none", 2}} {
		got, _, out := runStep(t, ws, a, last, map[string]string{"fail-on": tc.failOn}, mapsWith(runner, map[string]string{"CODE": tc.code}))
		if got != tc.want {
			t.Errorf("last step with exit-code %s, fail-on %s: exited %d, want %d\n%s", tc.code, tc.failOn, got, tc.want, out)
		}
	}
}

// TestActionInstallsRelease runs the install step against a local release
// server: the latest tag is found through the redirect, the archive named
// as GoReleaser names it is downloaded, and its checksum is verified.
func TestActionInstallsRelease(t *testing.T) {
	needActionTest(t)
	a, _ := loadAction(t)
	runner := runnerEnv(t)
	arch := map[string]string{"X64": "amd64", "ARM64": "arm64"}[runner["RUNNER_ARCH"]]
	archive := fmt.Sprintf("portcullis_1.4.2_linux_%s.tar.gz", arch)
	tgz := tarGz(t, map[string]string{"portcullis_1.4.2_linux_" + arch + "/README.md": "x",
		"portcullis_1.4.2_linux_" + arch + "/portcullis": "#!/bin/sh\necho \"portcullis 1.4.2 $*\"\n"})
	sum := sha256.Sum256(tgz)
	checksums := hex.EncodeToString(sum[:]) + "  " + archive + "\n" + strings.Repeat("0", 64) + "  portcullis_1.4.2_darwin_arm64.tar.gz\n"

	for _, tc := range []struct {
		name, version, checksums string
		err                      string // "" installs
	}{
		{"latest", "latest", checksums, ""},
		{"tag", "v1.4.2", checksums, ""},
		{"bad checksum", "v1.4.2", strings.Repeat("1", 64) + "  " + archive + "\n", "::error::Portcullis: the checksum of " + archive + " does not match checksums.txt of v1.4.2"},
		{"not listed", "v1.4.2", strings.Repeat("0", 64) + "  other.tar.gz\n", "::error::Portcullis: the checksum of " + archive + " does not match checksums.txt of v1.4.2"},
		{"not a tag", "1.4.2", checksums, `::error::Portcullis: version must be a release tag such as v1.2.0, latest or build (got "1.4.2")`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				switch r.URL.Path {
				case "/releases/latest":
					http.Redirect(w, r, "/releases/tag/v1.4.2", http.StatusFound)
				case "/releases/tag/v1.4.2":
					fmt.Fprint(w, "release page")
				case "/releases/download/v1.4.2/" + archive:
					_, _ = w.Write(tgz)
				case "/releases/download/v1.4.2/checksums.txt":
					fmt.Fprint(w, tc.checksums)
				default:
					http.NotFound(w, r)
				}
			}))
			defer srv.Close()
			run := mapsWith(runner, map[string]string{"RELEASES": srv.URL + "/releases", "RUNNER_TEMP": t.TempDir(), "ACTION_PATH": "/nonexistent",
				"GITHUB_PATH": filepath.Join(t.TempDir(), "path")})
			code, _, out := runStep(t, t.TempDir(), a, stepByID(t, a, "install"), map[string]string{"version": tc.version}, run)
			if (tc.err == "") != (code == 0) {
				t.Fatalf("exit %d:\n%s", code, out)
			}
			if tc.err != "" {
				if !strings.Contains(out, tc.err+"\n") {
					t.Errorf("output does not say %q:\n%s", tc.err, out)
				}
				if _, err := os.Stat(run["GITHUB_PATH"]); err == nil {
					t.Error("GITHUB_PATH written by a failed install")
				}
				return
			}
			if !strings.Contains(out, "portcullis 1.4.2 version") {
				t.Errorf("the installed binary did not run:\n%s", out)
			}
			path, _ := os.ReadFile(run["GITHUB_PATH"])
			if strings.TrimSpace(string(path)) != filepath.Join(run["RUNNER_TEMP"], "portcullis-bin") {
				t.Errorf("GITHUB_PATH %q", path)
			}
		})
	}
}

func tarGz(t *testing.T, files map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	gz := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gz)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		body := files[n]
		if err := tw.WriteHeader(&tar.Header{Name: n, Mode: 0o755, Size: int64(len(body))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := gz.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestActionScriptsPassShellcheck runs shellcheck over every script of the
// action, as bash.
func TestActionScriptsPassShellcheck(t *testing.T) {
	needActionTest(t)
	if _, err := exec.LookPath("shellcheck"); err != nil {
		t.Fatal("shellcheck is not installed (apt-get install shellcheck)")
	}
	a, _ := loadAction(t)
	dir := t.TempDir()
	for i, s := range a.Runs.Steps {
		if s.Run == "" {
			continue
		}
		path := filepath.Join(dir, fmt.Sprintf("step%d.sh", i))
		if err := os.WriteFile(path, []byte("#!/bin/bash\n"+s.Run), 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command("shellcheck", "--shell=bash", path).CombinedOutput(); err != nil {
			t.Errorf("step %q: shellcheck: %v\n%s", s.Name, err, out)
		}
	}
}

// validate runs Microsoft's SARIF validator (SARIF_MULTITOOL names its
// executable) with GitHub's rules on path, and fails on any error or
// warning it reports.
func validate(t *testing.T, path string) {
	t.Helper()
	tool := os.Getenv("SARIF_MULTITOOL")
	if tool == "" {
		t.Fatal("SARIF_MULTITOOL is not set (examples/github/test.sh installs @microsoft/sarif-multitool)")
	}
	problems, err := sarifcheck.Validate(tool, path)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("SARIF validator: %s", p)
	}
}
