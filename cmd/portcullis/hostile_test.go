package main

// The hostile suite: one case per way a stranger's pull request has been
// seen to read outside the scan root, print a secret, pass in silence, or
// crash or hang the scanner (issue 8). Each case is a directory under
// testdata/hostile/NAME holding repo/ (the scanned PATH) and, where the case
// needs one, outside/ (files beside the repository that must never be
// read); what cannot be committed (symbolic links, FIFOs, large or
// generated files) is made by the case's setup. Every case runs the whole
// CLI with text, JSON and SARIF output and asserts the exit code, the
// findings kept (rule, file and line), the diagnostics (summary and file),
// and that no secret appears in any output, in any letter case, base64 or
// hex. A deadline guards against hangs; nothing here measures time.

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

type hostileCase struct {
	name string
	// setup adds what cannot be committed; dir holds repo/ and outside/.
	setup func(t *testing.T, dir string)
	// args go before the scanned path, which is appended: path, relative
	// to the case directory (default repo).
	args []string
	path string
	// env is set for the scan (TF_VAR_ values).
	env  map[string]string
	code int
	// findings are "RULE file:line" that must be reported (file relative
	// to repo/).
	findings []string
	// diags are "summary-substring @ file" that must be reported.
	diags []string
	// stderr must contain this.
	stderr string
	// secrets must appear nowhere in the output.
	secrets []string
	// heavy cases are the largest inputs: they run in the plain test run,
	// not under the race detector (raceEnabled).
	heavy bool
	// messageSecrets must appear in no finding message (values too common
	// to search the whole output for).
	messageSecrets []string
}

// deadline bounds each case: a hang fails the test instead of stalling it.
const deadline = 2 * time.Minute

func symlink(t *testing.T, target, name string) {
	t.Helper()
	if err := os.Symlink(target, name); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t *testing.T, name string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

const openSG = `resource "aws_security_group" "open" {
  description = "open"
  vpc_id      = "vpc-1"
  ingress {
    description = "ssh"
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`

func hostileCases() []hostileCase {
	return []hostileCase{
		// Confinement.
		{
			name: "tfvars-link-out",
			setup: func(t *testing.T, dir string) {
				symlink(t, "../outside/service-account.json", filepath.Join(dir, "repo", "leak.auto.tfvars.json"))
			},
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"outside the scan root @ leak.auto.tfvars.json"},
			secrets:  []string{"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"},
		},
		{
			name: "config-link-out",
			setup: func(t *testing.T, dir string) {
				symlink(t, "../outside/creds.txt", filepath.Join(dir, "repo", "main.tf"))
			},
			code:     exitError,
			findings: []string{"PCS-AWS-001 sg.tf:9"},
			diags:    []string{"outside the scan root @ main.tf"},
			secrets:  []string{"AKIAHOSTILESECRET0001"},
		},
		{
			name: "module-link-out",
			setup: func(t *testing.T, dir string) {
				symlink(t, "../outside/net", filepath.Join(dir, "repo", "net"))
			},
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"outside the scan root @ net"},
			secrets:  []string{"SECRETMODULECONTENT"},
		},
		{
			// A modules.json Dir that leaves the root is not followed: the
			// module is as if not installed (a warning, or a note for a
			// registry module understood from its inputs).
			name:     "modules-json-out",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			secrets:  []string{"SECRETREMOTECONTENT"},
		},
		{
			name: "nested-stack-link-out",
			setup: func(t *testing.T, dir string) {
				symlink(t, "../outside/child.yaml", filepath.Join(dir, "repo", "child.yaml"))
			},
			code:    exitError,
			diags:   []string{"outside the scan root @ child.yaml"},
			secrets: []string{"SECRETNESTEDCONTENT"},
		},
		{
			// The file functions read through the same confined file
			// system: .git, the parent directory, absolute paths and links
			// out give unknown values, never content.
			name: "file-functions",
			setup: func(t *testing.T, dir string) {
				symlink(t, "../outside/secret.txt", filepath.Join(dir, "repo", "link.txt"))
			},
			// A file that exists but is refused (hidden, a link out, outside
			// the root) could hold the value that decides a finding: an error.
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags: []string{"version-control directories are never read @ main.tf", "outside the scan root @ main.tf",
				"leads outside the scan root @ main.tf"},
			secrets: []string{"GITTOKENSECRET", "OUTSIDESECRET"},
		},
		{
			// The README's own command writes portcullis.sarif; a committed
			// link under that name is replaced, never written through.
			name: "output-link",
			setup: func(t *testing.T, dir string) {
				symlink(t, "../victim", filepath.Join(dir, "repo", "portcullis.sarif"))
			},
			args:     []string{"--format", "sarif=@repo/portcullis.sarif"},
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
		},
		{
			// A .svn or .hg entry inside the repository (git commits them;
			// only .git it never checks out) does not narrow the scan root:
			// the module beside infra/ is still in it.
			name: "vcs-marker-inside",
			setup: func(t *testing.T, dir string) {
				if err := os.Mkdir(filepath.Join(dir, "repo", ".git"), 0o755); err != nil {
					t.Fatal(err)
				}
			},
			path:     "repo/infra",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 modules/sg/main.tf:9"},
		},
		{
			// Outside a repository the root is PATH: a local module above it
			// is not read, and its resources are lost, so the scan fails.
			name:  "module-above-root",
			path:  "repo/infra",
			code:  exitError,
			diags: []string{"outside the scan root @ main.tf"},
		},
		{
			name:  "nested-stack-above-root",
			path:  "repo/infra",
			code:  exitError,
			diags: []string{"outside the scan root @ parent.yaml"},
		},
		{
			// A link to a hidden directory is walked under the link's name,
			// as Terraform reads it.
			name: "link-to-hidden-dir",
			setup: func(t *testing.T, dir string) {
				symlink(t, ".infra", filepath.Join(dir, "repo", "prod"))
			},
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 prod/main.tf:9"},
		},
		{
			name: "deep-directories",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "repo", "main.tf"), []byte(openSG))
				deep := filepath.Join(dir, "repo")
				for range 1500 {
					deep = filepath.Join(deep, "a")
				}
				writeFile(t, filepath.Join(deep, "main.tf"), []byte(openSG))
			},
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"nested more than 64 directories deep @ "},
		},
		// Secrets.
		{
			name:    "sensitive-for-each",
			code:    exitError,
			diags:   []string{"for_each @ main.tf"},
			secrets: []string{"SENSITIVEKEYVALUE"},
		},
		{
			name:     "sensitive-function-errors",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			secrets:  []string{"FUNCSECRETVALUE"},
		},
		{
			// Marking the CIDR sensitive does not hide the open ingress; the
			// protocol, lower-cased by the rule, is not printed either.
			name:           "sensitive-protocol",
			code:           exitFindings,
			findings:       []string{"PCS-AWS-001 main.tf:21"},
			messageSecrets: []string{"tcp", "0.0.0.0/0"},
		},
		{
			name:     "noecho",
			args:     []string{"--cfn-parameter", "Secret=NOECHOSECRET", "--cfn-parameter", "Names=NOECHONAME"},
			code:     exitError, // a NoEcho value used as a logical id
			findings: []string{"PCS-AWS-001 template.yaml:23", "PCS-AWS-001 template.yaml:37"},
			secrets:  []string{"NOECHOSECRET", "NOECHONAME"},
		},
		{
			// can(), try() and index keys drop cty's sensitive mark; the
			// taint is conservative, so the secret cannot be extracted one
			// character at a time into an instance key.
			name:     "secret-extracted-by-can",
			env:      map[string]string{"TF_VAR_pw": "PwSecretXyZ"},
			code:     exitError, // the for_each is sensitive
			findings: []string{"PCS-AWS-001 main.tf:18"},
			secrets:  []string{"PwSecretXyZ"},
		},
		{
			// A root that declares the variable without sensitive cannot
			// print a value the CI job passes: --var and TF_VAR_ values are
			// sensitive in every root.
			name:     "undeclared-sensitive-root",
			args:     []string{"--var", "db_password=CliSecret666"},
			env:      map[string]string{"TF_VAR_db_password": "EnvSecret777"},
			code:     exitError, // the for_each is sensitive
			findings: []string{"PCS-AWS-001 evil/main.tf:11"},
			secrets:  []string{"CliSecret666", "EnvSecret777"},
		},
		{
			// fileset skips VCS directories instead of failing; a file
			// function refused a VCS directory fails the gate.
			name:     "vcs-and-fileset",
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:22"},
			diags:    []string{"version-control directories are never read @ main.tf"},
		},
		// Nothing passes in silence.
		{
			name:     "plan-beside-config",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
		},
		{
			// A directory that another calls is evaluated through its callers;
			// one whose calls make no instance (for_each = {}, count = 0) is
			// evaluated as a root, or adding the call would hide it.
			name:     "called-with-no-instances",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 net/main.tf:9"},
		},
		{
			name:     "tofu-beside-tf",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
		},
		{
			name:     "hidden-override",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
		},
		{
			name:     "json-override",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main_override.tf.json:1"},
		},
		{
			name:     "escaped-template",
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 escaped.json:8", "PCS-AWS-001 escaped.yaml:8"},
		},
		{
			name:     "syntax-error-above",
			code:     exitError,
			findings: []string{"PCS-AWS-001 ok.tf:9"},
			diags:    []string{" @ main.tf"},
		},
		{
			name: "unreadable-names",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "repo", "main.tf"), []byte(openSG))
				writeFile(t, filepath.Join(dir, "repo", "bad\xff.tf"), []byte(openSG))
				if err := syscall.Mkfifo(filepath.Join(dir, "repo", "fifo.tf"), 0o644); err != nil {
					t.Fatal(err)
				}
				symlink(t, "/dev/zero", filepath.Join(dir, "repo", "zero.tf"))
				symlink(t, "/dev/zero", filepath.Join(dir, "repo", "zero.yaml"))
			},
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags: []string{"not valid UTF-8 @ bad\ufffd.tf", "not a regular file @ fifo.tf",
				"outside the scan root @ zero.tf", "outside the scan root @ zero.yaml"},
		},
		{
			name:     "policy-runtime-errors",
			args:     []string{"--policy-dir", "@policies"},
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"ACME-001 @ ", "ACME-002 @ "},
		},
		// Bounded.
		{
			name:     "doubling-locals",
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"budget exceeded @ main.tf"},
		},
		{
			name:     "nested-module-count",
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"too many instances @ a/main.tf"},
		},
		{
			name:     "nested-for",
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"budget exceeded @ main.tf"},
		},
		{
			name:     "count-times-dynamic",
			heavy:    true,
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"budget exceeded @ main.tf"},
		},
		{
			name: "fileset-stars",
			setup: func(t *testing.T, dir string) {
				// A 30-deep tree: nine ** over it were exponential (81 s).
				deep := filepath.Join(dir, "repo", "tree")
				for range 30 {
					deep = filepath.Join(deep, "d")
				}
				writeFile(t, filepath.Join(deep, "leaf.txt"), nil)
			},
			// fileset matches in time linear in the tree: no limit is met.
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
		},
		{
			name:     "join-repeated",
			code:     exitError,
			findings: []string{"PCS-AWS-001 template.yaml:415"},
			diags:    []string{"template too complex @ template.yaml"},
		},
		{
			name: "deep-nesting",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "repo", "main.tf"), []byte(openSG))
				writeFile(t, filepath.Join(dir, "repo", "deep.tf"), []byte("locals {\n  x = "+strings.Repeat("[", 60000)+"\n}\n"))
				writeFile(t, filepath.Join(dir, "repo", "deep.json"), []byte(`{"Resources": `+strings.Repeat("[", 60000)))
			},
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"nest @ deep.tf"},
		},
		{
			name: "random-bytes",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "repo", "main.tf"), []byte(openSG))
				r := rand.New(rand.NewPCG(1, 2))
				b := make([]byte, 8<<20)
				for i := range b {
					b[i] = byte(r.Uint32())
				}
				writeFile(t, filepath.Join(dir, "repo", "random.tf"), b)
			},
			code:     exitError,
			findings: []string{"PCS-AWS-001 main.tf:9"},
			diags:    []string{"too many invalid characters @ random.tf"},
		},
		{
			// Text output is linear: 10,000 findings on one line.
			name:  "one-line-template",
			heavy: true,
			setup: func(t *testing.T, dir string) {
				var b strings.Builder
				b.WriteString(`{"Resources": {`)
				for i := range 10000 {
					if i > 0 {
						b.WriteString(", ")
					}
					fmt.Fprintf(&b, `"G%d": {"Type": "AWS::EC2::SecurityGroupIngress", "Properties": {"GroupId": "sg-1", "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0", "Description": "d"}}`, i)
				}
				b.WriteString("}}")
				writeFile(t, filepath.Join(dir, "repo", "one-line.json"), []byte(b.String()))
			},
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 one-line.json:1"},
		},
		{
			name:  "100k-resources",
			heavy: true,
			setup: func(t *testing.T, dir string) {
				// The security group and 99,999 SSM parameters in one file:
				// 100,000 resources, the instance budget of one module tree.
				// A type no built-in rule judges, so the case measures loading
				// and evaluation, not 500,000 findings (100,000 buckets give
				// five each; see docs/security.md on findings and memory).
				var b strings.Builder
				b.WriteString(openSG)
				for i := range 99999 {
					fmt.Fprintf(&b, "resource \"aws_ssm_parameter\" \"p%d\" {\n  name = \"p%d\"\n}\n", i, i)
				}
				writeFile(t, filepath.Join(dir, "repo", "main.tf"), []byte(b.String()))
			},
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 main.tf:9"},
		},
		{
			name: "template-between-8-and-16-mib",
			setup: func(t *testing.T, dir string) {
				pad := strings.Repeat("x", 9<<20)
				writeFile(t, filepath.Join(dir, "repo", "big.yaml"), []byte("AWSTemplateFormatVersion: \"2010-09-09\"\nDescription: "+pad+"\nResources:\n  G:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: g\n      VpcId: vpc-1\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: d}\n"))
			},
			code:     exitFindings,
			findings: []string{"PCS-AWS-001 big.yaml:10"},
		},
		{
			name: "arg-files-dev-zero",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "repo", "main.tf"), []byte(openSG))
			},
			args:   []string{"--var-file", "/dev/zero"},
			code:   exitError,
			stderr: "--var-file: /dev/zero: larger than the 16 MiB limit",
		},
		{
			name: "cfn-parameters-dev-zero",
			setup: func(t *testing.T, dir string) {
				writeFile(t, filepath.Join(dir, "repo", "main.tf"), []byte(openSG))
			},
			args:   []string{"--cfn-parameters", "/dev/zero"},
			code:   exitError,
			stderr: "--cfn-parameters: /dev/zero: larger than the 16 MiB limit",
		},
	}
}

func TestHostile(t *testing.T) {
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			if c.heavy && raceEnabled {
				t.Skip("a heavy case: run by the plain test run, not under the race detector")
			}
			dir := t.TempDir()
			src := filepath.Join("testdata", "hostile", c.name)
			if _, err := os.Stat(src); err == nil {
				if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(filepath.Join(dir, "repo"), 0o755); err != nil {
				t.Fatal(err)
			}
			if c.setup != nil {
				c.setup(t, dir)
			}
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			out := t.TempDir()
			args := []string{"scan", "--no-color",
				"--format", "text=" + filepath.Join(out, "report.txt"),
				"--format", "json=" + filepath.Join(out, "report.json"),
				"--format", "sarif=" + filepath.Join(out, "report.sarif")}
			for _, a := range c.args {
				// @name is a path in the case directory.
				if strings.Contains(a, "@") {
					k, v, _ := strings.Cut(a, "@")
					a = k + filepath.Join(dir, v)
				}
				args = append(args, a)
			}
			scanned := c.path
			if scanned == "" {
				scanned = "repo"
			}
			args = append(args, filepath.Join(dir, scanned))

			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			type result struct {
				code           int
				stdout, stderr string
			}
			done := make(chan result, 1)
			bin := os.Getenv("PORTCULLIS_HOSTILE_BIN")
			go func() {
				var o, e bytes.Buffer
				if bin == "" {
					code := run(args, &o, &e)
					done <- result{code, o.String(), e.String()}
					return
				}
				cmd := exec.CommandContext(ctx, bin, args...)
				cmd.Stdout, cmd.Stderr = &o, &e
				err := cmd.Run()
				code := cmd.ProcessState.ExitCode()
				if err != nil && code < 0 {
					code = -1 // killed at the deadline
				}
				done <- result{code, o.String(), e.String()}
			}()
			var res result
			select {
			case res = <-done:
			case <-ctx.Done():
				t.Fatalf("the scan did not end within %s", deadline)
			}
			var r reporter = t
			if bin != "" {
				r = logReporter{t: t, name: c.name}
				t.Logf("OUTCOME %s: exit %d", c.name, res.code)
			}
			if res.code != c.code {
				r.Errorf("exit code %d, want %d; stderr:\n%s", res.code, c.code, res.stderr)
			}
			if !strings.Contains(res.stderr, c.stderr) {
				r.Errorf("stderr does not contain %q:\n%s", c.stderr, res.stderr)
			}
			outputs := map[string]string{"stdout": res.stdout, "stderr": res.stderr}
			for _, name := range []string{"report.txt", "report.json", "report.sarif"} {
				b, err := os.ReadFile(filepath.Join(out, name))
				if err == nil {
					outputs[name] = string(b)
				}
			}
			for where, text := range outputs {
				for _, s := range c.secrets {
					for _, form := range secretForms(s) {
						if strings.Contains(strings.ToLower(text), strings.ToLower(form)) {
							r.Errorf("%s contains the secret %q (as %q)", where, s, form)
						}
					}
				}
			}
			if c.stderr != "" && len(c.findings)+len(c.diags) == 0 {
				return // refused before scanning
			}
			var rep struct {
				Findings []struct {
					RuleID   string `json:"rule_id"`
					Message  string `json:"message"`
					Location struct {
						File      string `json:"file"`
						StartLine int    `json:"start_line"`
					} `json:"location"`
				} `json:"findings"`
				Diagnostics []struct {
					Severity, Summary, Detail string
					Location                  *struct {
						File string `json:"file"`
					} `json:"location"`
				} `json:"diagnostics"`
			}
			if err := json.Unmarshal([]byte(outputs["report.json"]), &rep); err != nil {
				r.Fatalf("JSON output: %v", err)
			}
			got := map[string]bool{}
			for _, f := range rep.Findings {
				for _, s := range c.messageSecrets {
					if strings.Contains(strings.ToLower(f.Message), strings.ToLower(s)) {
						r.Errorf("finding message %q contains the sensitive value %q", f.Message, s)
					}
				}
				got[fmt.Sprintf("%s %s:%d", f.RuleID, f.Location.File, f.Location.StartLine)] = true
			}
			for _, want := range c.findings {
				if !got[want] {
					r.Errorf("finding %s not reported; got %v", want, keys(got))
				}
			}
			var diags []string
			for _, d := range rep.Diagnostics {
				file := ""
				if d.Location != nil {
					file = d.Location.File
				}
				diags = append(diags, d.Severity+": "+d.Summary+": "+d.Detail+" @ "+file)
			}
			for _, want := range c.diags {
				sub, file, _ := strings.Cut(want, " @ ")
				found := false
				for _, d := range diags {
					if strings.Contains(strings.ToLower(d), strings.ToLower(sub)) && strings.HasSuffix(d, " @ "+file) || file == "" && strings.Contains(d, sub) {
						found = true
					}
				}
				if !found {
					r.Errorf("no diagnostic %q; got:\n%s", want, strings.Join(diags, "\n"))
				}
			}
			if c.name == "output-link" {
				victim, err := os.ReadFile(filepath.Join(dir, "victim"))
				if err != nil || string(victim) != "VICTIM CONTENT\n" {
					r.Errorf("the link's target was written through: %q %v", victim, err)
				}
				info, err := os.Lstat(filepath.Join(dir, "repo", "portcullis.sarif"))
				if err != nil || !info.Mode().IsRegular() {
					r.Errorf("portcullis.sarif is not a regular file: %v %v", info, err)
				}
			}
		})
	}
}

// secretForms are the encodings a leaked secret is searched in.
func secretForms(s string) []string {
	return []string{s, base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s)),
		hex.EncodeToString([]byte(s))}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// reporter is what a case's checks report to: the test, or (for another
// build, PORTCULLIS_HOSTILE_BIN, e.g. an older release) a log of what went
// wrong, to compare builds without failing.
type reporter interface {
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

type logReporter struct {
	t    *testing.T
	name string
}

func (l logReporter) Errorf(format string, args ...any) {
	l.t.Logf("OUTCOME %s: %s", l.name, fmt.Sprintf(format, args...))
}

func (l logReporter) Fatalf(format string, args ...any) {
	l.Errorf(format, args...)
	l.t.SkipNow()
}
