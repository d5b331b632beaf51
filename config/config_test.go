package config

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

func ptr[T any](v T) *T { return &v }

func TestLoadFull(t *testing.T) {
	name := filepath.Join("testdata", "full.yaml")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	c, err := Load(name, b)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Version: 1,
		Path:    "testdata/full.yaml",
		Rules: map[string]Rule{
			"PCS-AWS-001":              {Severity: finding.High},
			"ingress-open-to-internet": {Enabled: ptr(true)},
			"PCS-AWS-020":              {Enabled: ptr(false), Severity: finding.Low},
		},
		Exclude:           []string{"examples/**", "legacy/**", "**/*.test.tf"},
		PolicyDirs:        []string{filepath.Join("testdata", "policies"), filepath.FromSlash("/opt/org-policies")},
		Exceptions:        filepath.Join("testdata", "security", "exceptions.yaml"),
		Baseline:          filepath.Join("testdata", ".portcullis", "baseline.json"),
		SeverityThreshold: finding.Medium,
		Output: Output{
			Formats: []string{"text", "sarif=results.sarif"},
			GroupBy: "control",
			Style:   "compact",
			Color:   ptr(false),
		},
		Ports: Ports{
			Catalogue: map[int]Port{
				6380: {Service: "Redis (TLS)", Category: "cache"},
				8080: {Service: "Admin console", Category: "admin"},
			},
			Public: []int{443, 80},
		},
		Incomplete: IncompleteAllow,
		Ignores:    IgnorePolicy{Inline: ptr(true), Require: []string{"owner", "ticket"}},
	}
	if d := cmp.Diff(want, c, cmpopts.IgnoreUnexported(Config{})); d != "" {
		t.Errorf("Load (-want +got):\n%s", d)
	}
	for key, where := range map[string]string{
		"rules.PCS-AWS-001":          "testdata/full.yaml:4:3",
		"rules.PCS-AWS-020.severity": "testdata/full.yaml:10:5",
		"exclude[1]":                 "testdata/full.yaml:13:5",
		"ports.public[1]":            "testdata/full.yaml:30:17",
		"ports.catalogue.6380":       "testdata/full.yaml:28:5",
		"rules.PCS-NOPE-001":         "testdata/full.yaml",
	} {
		if got := c.Where(key); got != where {
			t.Errorf("Where(%q) = %q, want %q", key, got, where)
		}
	}
	if got := c.RuleKeys(); !cmp.Equal(got, []string{"PCS-AWS-001", "PCS-AWS-020", "ingress-open-to-internet"}) {
		t.Errorf("RuleKeys() = %q", got)
	}
}

func TestLoadDefaults(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, FileName)
	c, err := Load(name, []byte("version: 1\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{Version: 1, Path: filepath.ToSlash(name), Incomplete: IncompleteFail}
	if d := cmp.Diff(want, c, cmpopts.IgnoreUnexported(Config{})); d != "" {
		t.Errorf("Load (-want +got):\n%s", d)
	}
	if c.PortsData() != nil {
		t.Errorf("PortsData() = %v, want nil without ports", c.PortsData())
	}

	// The default register beside the file is used when it exists...
	reg := filepath.Join(dir, ".portcullis", "exceptions.yaml")
	if err := os.MkdirAll(filepath.Dir(reg), 0o750); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(reg, []byte("version: 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if c, err = Load(name, []byte("version: 1\n")); err != nil {
		t.Fatal(err)
	}
	if c.Exceptions != reg {
		t.Errorf("Exceptions = %q, want the default %q", c.Exceptions, reg)
	}
	// ... and exceptions: "" turns it off.
	if c, err = Load(name, []byte("version: 1\nexceptions: \"\"\n")); err != nil {
		t.Fatal(err)
	}
	if c.Exceptions != "" {
		t.Errorf("Exceptions = %q, want none", c.Exceptions)
	}
}

func TestLoadErrors(t *testing.T) {
	const name = ".portcullis.yaml"
	for _, tc := range []struct {
		name, doc, want string
	}{
		{"empty", "", ".portcullis.yaml: empty configuration, want version: 1"},
		{"comments only", "# nothing\n", ".portcullis.yaml: empty configuration, want version: 1"},
		{"null", "~\n", ".portcullis.yaml: empty configuration, want version: 1"},
		{"not a mapping", "- version\n", ".portcullis.yaml:1:1: want a mapping, not a list"},
		{"missing version", "exclude: [a]\n", ".portcullis.yaml:1:1: missing version: want version: 1 as the first key"},
		{"version 2", "version: 2\n", ".portcullis.yaml:1:10: version: unsupported version 2 (want 1)"},
		{"version string", "version: \"1\"\n", ".portcullis.yaml:1:10: version: want a whole number, not a string \"1\""},
		{"unknown key", "version: 1\n\nexlude: [a]\n", ".portcullis.yaml:3:1: unknown key \"exlude\" (did you mean \"exclude\"?)"},
		{"unknown key, no suggestion", "version: 1\nfrobnicate: 1\n", ".portcullis.yaml:2:1: unknown key \"frobnicate\""},
		{"unknown nested key", "version: 1\noutput:\n  colour: false\n", ".portcullis.yaml:3:3: output: unknown key \"colour\" (did you mean \"color\"?)"},
		{"duplicate key", "version: 1\nexclude: [a]\nexclude: [b]\n", ".portcullis.yaml:3:1: duplicate key \"exclude\" (first at line 2)"},
		{"duplicate rule", "version: 1\nrules:\n  R1: {enabled: false}\n  R1: {enabled: true}\n", ".portcullis.yaml:4:3: rules: duplicate key \"R1\" (first at line 3)"},
		{"bad severity", "version: 1\nrules:\n  PCS-AWS-001:\n    enabled: true\n    severity: hihg\n", ".portcullis.yaml:5:15: rules.PCS-AWS-001.severity: unknown severity \"hihg\" (want critical, high, medium or low)"},
		{"capital severity", "version: 1\nseverity_threshold: High\n", ".portcullis.yaml:2:21: severity_threshold: unknown severity \"High\" (want critical, high, medium or low)"},
		{"empty rule id", "version: 1\nrules:\n  \"\": {enabled: false}\n", ".portcullis.yaml:3:3: rules: empty rule id"},
		{"rule id with a space", "version: 1\nrules:\n  \"PCS AWS\": {enabled: false}\n", ".portcullis.yaml:3:3: rules: rule id \"PCS AWS\" holds a space"},
		{"empty rule", "version: 1\nrules:\n  R1: {}\n", ".portcullis.yaml:3:7: rules.R1: set enabled or severity"},
		{"null rule", "version: 1\nrules:\n  R1:\n", ".portcullis.yaml:3:6: rules.R1: want a mapping, not null"},
		{"enabled yes", "version: 1\nrules:\n  R1: {enabled: yes}\n", ".portcullis.yaml:3:17: rules.R1.enabled: want true or false, not a string \"yes\""},
		{"exclude string", "version: 1\nexclude: examples/**\n", ".portcullis.yaml:2:10: exclude: want a list, not a string \"examples/**\""},
		{"exclude absolute", "version: 1\nexclude: [/etc/**]\n", ".portcullis.yaml:2:11: exclude[0]: \"/etc/**\" is absolute: exclude patterns are relative to the scan root"},
		{"exclude drive", "version: 1\nexclude: [\"C:/x\"]\n", ".portcullis.yaml:2:11: exclude[0]: \"C:/x\" is absolute: exclude patterns are relative to the scan root"},
		{"exclude dotdot", "version: 1\nexclude:\n  - a/../../b\n", ".portcullis.yaml:3:5: exclude[0]: \"a/../../b\" holds \"..\": exclude patterns are relative to the scan root"},
		{"exclude backslash", "version: 1\nexclude: ['a\\b']\n", ".portcullis.yaml:2:11: exclude[0]: \"a\\\\b\" holds a backslash: write paths with / (and classes such as [*] to match a special character)"},
		{"exclude unclosed class", "version: 1\nexclude: [\"a/[bc\"]\n", ".portcullis.yaml:2:11: exclude[0]: \"a/[bc\" is not a valid glob (an unclosed [ or {?)"},
		{"exclude unclosed brace", "version: 1\nexclude: [\"{a,b\"]\n", ".portcullis.yaml:2:11: exclude[0]: \"{a,b\" is not a valid glob (an unclosed [ or {?)"},
		{"exclude empty", "version: 1\nexclude: [\"\"]\n", ".portcullis.yaml:2:11: exclude[0]: empty string"},
		{"exclude dot slash", "version: 1\nexclude: [\"./\"]\n", ".portcullis.yaml:2:11: exclude[0]: \"\" is not a valid glob (an unclosed [ or {?)"},
		{"exclude number", "version: 1\nexclude: [42]\n", ".portcullis.yaml:2:11: exclude[0]: want a string, not a number 42"},
		{"policy_dirs blank", "version: 1\npolicy_dirs: [\" \"]\n", ".portcullis.yaml:2:15: policy_dirs[0]: empty string"},
		{"baseline list", "version: 1\nbaseline: [a]\n", ".portcullis.yaml:2:11: baseline: want a string, not a list"},
		{"unknown format", "version: 1\noutput:\n  formats: [xml]\n", ".portcullis.yaml:3:13: output.formats[0]: unknown format \"xml\" (want text, json, sarif, github, markdown, junit, soc2-csv or html, optionally FORMAT=FILE)"},
		{"format without file", "version: 1\noutput:\n  formats: [\"sarif= \"]\n", ".portcullis.yaml:3:13: output.formats[0]: \"sarif= \": empty file name"},
		{"bad style", "version: 1\noutput: {style: short}\n", ".portcullis.yaml:2:17: output.style: unknown style \"short\" (want full, compact or quiet)"},
		{"bad group_by", "version: 1\noutput: {group_by: rule}\n", ".portcullis.yaml:2:20: output.group_by: unknown grouping \"rule\" (want none or control)"},
		{"port zero", "version: 1\nports:\n  public: [0]\n", ".portcullis.yaml:3:12: ports.public[0]: port 0 out of range (want 1 to 65535)"},
		{"port too high", "version: 1\nports:\n  catalogue:\n    70000: {service: x, category: web}\n", ".portcullis.yaml:4:5: ports.catalogue: port 70000 out of range (want 1 to 65535)"},
		{"port name", "version: 1\nports:\n  catalogue:\n    ssh: {service: x, category: admin}\n", ".portcullis.yaml:4:5: ports.catalogue: \"ssh\" is not a port number"},
		{"port leading zero", "version: 1\nports:\n  catalogue:\n    \"022\": {service: x, category: admin}\n", ".portcullis.yaml:4:5: ports.catalogue: \"022\" is not a port number"},
		{"port twice", "version: 1\nports:\n  catalogue:\n    22: {service: a, category: admin}\n    \"22\": {service: b, category: admin}\n", ".portcullis.yaml:5:5: ports.catalogue: duplicate key \"22\" (first at line 4)"},
		{"unknown category", "version: 1\nports:\n  catalogue:\n    6380: {service: Redis, category: kv}\n", ".portcullis.yaml:4:38: ports.catalogue.6380.category: unknown category \"kv\" (want admin, database, cache, search, message queue, container daemon, file sharing, directory, mail, monitoring or web)"},
		{"missing category", "version: 1\nports:\n  catalogue:\n    6380: {service: Redis}\n", ".portcullis.yaml:4:11: ports.catalogue.6380: missing category"},
		{"missing service", "version: 1\nports:\n  catalogue:\n    6380: {category: cache}\n", ".portcullis.yaml:4:11: ports.catalogue.6380: missing service"},
		{"public twice", "version: 1\nports:\n  public: [443, 443]\n", ".portcullis.yaml:3:17: ports.public[1]: port 443 is listed twice"},
		{"public range", "version: 1\nports:\n  public: [80-443]\n", ".portcullis.yaml:3:12: ports.public[0]: want a whole number, not a string \"80-443\""},
		{"incomplete", "version: 1\nincomplete: warn\n", ".portcullis.yaml:2:13: incomplete: unknown value \"warn\" (want fail or allow)"},
		{"require unknown", "version: 1\nignores:\n  require: [owner, team]\n", ".portcullis.yaml:3:20: ignores.require[1]: unknown field \"team\" (want owner or ticket)"},
		{"require twice", "version: 1\nignores:\n  require: [owner, owner]\n", ".portcullis.yaml:3:20: ignores.require[1]: \"owner\" is listed twice"},
		{"inline string", "version: 1\nignores: {inline: \"false\"}\n", ".portcullis.yaml:2:19: ignores.inline: want true or false, not a string \"false\""},
		{"alias", "version: 1\nexclude: &x [a]\npolicy_dirs: *x\n", ".portcullis.yaml:3:14: YAML aliases (*x) are not supported in the configuration: write the value out"},
		{"merge key", "version: 1\noutput:\n  <<: {style: full}\n", ".portcullis.yaml:3:3: YAML merge keys (<<) are not supported in the configuration"},
		{"custom tag", "version: 1\nbaseline: !env HOME\n", ".portcullis.yaml:2:11: unsupported YAML tag \"!env\""},
		{"two documents", "version: 1\n---\nversion: 1\n", ".portcullis.yaml:2:1: a second YAML document: the configuration is one document"},
		{"syntax", "version: 1\nexclude: [a\n", ".portcullis.yaml:1: did not find expected ',' or ']'"},
		{"long value quoted", "version: 1\nincomplete: \"" + strings.Repeat("x", 100) + "\"\n", ".portcullis.yaml:2:13: incomplete: unknown value \"" + strings.Repeat("x", 64) + "\"... (want fail or allow)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Load(name, []byte(tc.doc))
			if err == nil {
				t.Fatalf("Load accepted the document: %+v", c)
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got %s\nwant %s", err, tc.want)
			}
		})
	}
}

// TestLoadBounded: a document that would expand hugely through aliases
// (billion laughs) is refused at once, and so is a file over MaxSize.
func TestLoadBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("version: 1\nx0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 30; i++ {
		b.WriteString("x" + strconv.Itoa(i) + ": &a" + strconv.Itoa(i) + " [")
		for j := range 9 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + strconv.Itoa(i-1))
		}
		b.WriteString("]\n")
	}
	start := time.Now()
	_, err := Load("bomb.yaml", []byte(b.String()))
	if err == nil || err.Error() != "bomb.yaml:3:10: YAML aliases (*a0) are not supported in the configuration: write the value out" {
		t.Errorf("Load = %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Load took %v", d)
	}

	big := "version: 1\n#" + strings.Repeat("x", MaxSize) + "\n"
	if _, err := Load("big.yaml", []byte(big)); err == nil || err.Error() != "big.yaml: the configuration file is larger than 1048576 bytes" {
		t.Errorf("Load = %v", err)
	}
	name := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(name, []byte(big), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadFile(name); err == nil || err.Error() != filepath.ToSlash(name)+": the configuration file is larger than 1048576 bytes" {
		t.Errorf("ReadFile = %v", err)
	}
}

func TestPortsData(t *testing.T) {
	c, err := Load(FileName, []byte("version: 1\nports:\n  catalogue:\n    6380: {service: Redis (TLS), category: cache}\n  public: [8443, 443]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"portcullis": map[string]any{"config": map[string]any{"ports": map[string]any{
		"catalogue": map[string]any{"6380": map[string]any{"service": "Redis (TLS)", "category": "cache"}},
		"public":    []any{443, 8443},
	}}}}
	if d := cmp.Diff(want, c.PortsData()); d != "" {
		t.Errorf("PortsData (-want +got):\n%s", d)
	}
	c, err = Load(FileName, []byte("version: 1\nports:\n  public: [443]\n"))
	if err != nil {
		t.Fatal(err)
	}
	want = map[string]any{"portcullis": map[string]any{"config": map[string]any{"ports": map[string]any{
		"catalogue": map[string]any{},
		"public":    []any{443},
	}}}}
	if d := cmp.Diff(want, c.PortsData()); d != "" {
		t.Errorf("PortsData (-want +got):\n%s", d)
	}
}

func TestFind(t *testing.T) {
	top := t.TempDir()
	root := filepath.Join(top, "repo")
	deep := filepath.Join(root, "infra", "prod", "vpc")
	if err := os.MkdirAll(deep, 0o750); err != nil {
		t.Fatal(err)
	}
	write := func(p string) {
		t.Helper()
		if err := os.WriteFile(p, []byte("version: 1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	find := func(root, dir string) string {
		t.Helper()
		got, err := Find(root, dir)
		if err != nil {
			t.Fatalf("Find(%s, %s): %v", root, dir, err)
		}
		return got
	}
	// A file above the root is never found.
	write(filepath.Join(top, FileName))
	if got := find(root, deep); got != "" {
		t.Errorf("Find found %q above the root", got)
	}
	write(filepath.Join(root, FileName))
	if got, want := find(root, deep), filepath.Join(root, FileName); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
	if got, want := find(root, root), filepath.Join(root, FileName); got != want {
		t.Errorf("Find at the root = %q, want %q", got, want)
	}
	// The nearest file wins.
	write(filepath.Join(root, "infra", FileName))
	if got, want := find(root, deep), filepath.Join(root, "infra", FileName); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
	if got, want := find(root, filepath.Join(root, "infra")), filepath.Join(root, "infra", FileName); got != want {
		t.Errorf("Find = %q, want %q", got, want)
	}
	// A directory outside the root is an error.
	if _, err := Find(deep, root); err == nil || !strings.Contains(err.Error(), "is not inside the scan root") {
		t.Errorf("Find outside the root = %v", err)
	}
	// A symbolic link is not followed.
	secret := filepath.Join(top, "secret")
	write(secret)
	link := filepath.Join(deep, FileName)
	if err := os.Symlink(secret, link); err != nil {
		t.Skip("no symbolic links:", err)
	}
	want := filepath.ToSlash(link) + ": not a regular file (a symbolic link or directory is not followed; pass a configuration with --config)"
	if _, err := Find(root, deep); err == nil || err.Error() != want {
		t.Errorf("Find with a link = %v, want %s", err, want)
	}
}

// FuzzLoad: no document makes Load panic, and what it accepts has version 1.
func FuzzLoad(f *testing.F) {
	b, err := os.ReadFile(filepath.Join("testdata", "full.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte("version: 1\nrules: {R: {enabled: false}}\n"))
	f.Add([]byte("version: 1\nports: {catalogue: {1: {service: a, category: web}}, public: [1]}\n"))
	f.Add([]byte("version: 1\nexclude: [\"{a,[b]}/**\"]\n"))
	f.Fuzz(func(t *testing.T, doc []byte) {
		c, err := Load(FileName, doc)
		if err == nil && c.Version != 1 {
			t.Fatalf("accepted version %d", c.Version)
		}
	})
}
