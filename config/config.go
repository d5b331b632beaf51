// Package config reads the configuration file of a scan, .portcullis.yaml:
// which rules run and at what severity, which paths are left out, where the
// user policies, the exceptions register and the baseline are, the output
// defaults, the sensitive-port catalogue and the ports that may be public,
// how an incomplete scan is treated and what inline ignores must carry.
//
// The file is decoded strictly from YAML nodes: an unknown key (with a
// suggestion), a duplicate key, a value of the wrong type or out of range,
// an alias or a file over MaxSize is an error that names the file, line,
// column and key. schema.json is the same contract as a JSON Schema for
// editors; the tests hold the two together.
//
// The package only reads and checks the file. The command line applies it
// (its flags override it), checks the rule names against the rule set, and
// hands the port settings to the policies (PortsData).
package config

import (
	_ "embed" // Schema
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// FileName is the name of the configuration file looked for from the
// scanned path upward to the scan root (Find).
const FileName = ".portcullis.yaml"

// ExceptionsFile is where the exceptions register is looked for, relative
// to the configuration file's directory, when the file does not name one.
const ExceptionsFile = ".portcullis/exceptions.yaml"

// MaxSize is the largest configuration file read, in bytes (1 MiB).
const MaxSize = 1 << 20

// Schema is the JSON Schema of the file (schema.json), for editors: the
// tests hold it to what Load accepts.
//
//go:embed schema.json
var Schema []byte

// Version is the only configuration format version.
const Version = 1

// The values of Config.Incomplete.
const (
	IncompleteFail  = "fail"
	IncompleteAllow = "allow"
)

// Config is a decoded configuration file. Paths (PolicyDirs, Exceptions,
// Baseline) are operating-system paths resolved against the directory of
// the file; Exclude globs stay relative to the scan root.
type Config struct {
	// Version is the format version: 1.
	Version int
	// Path is the file the configuration was read from, a slash path as
	// given to Load.
	Path string
	// Rules holds the settings of rules by rule id or name (not checked
	// against the rule set here).
	Rules map[string]Rule
	// Exclude are path globs relative to the scan root (doublestar syntax:
	// ** any number of directories, * and ? within one name, [...] classes,
	// {a,b} alternatives); "dir/" stands for "dir/**" and a leading "./" is
	// dropped.
	Exclude []string
	// PolicyDirs are the user policy directories, resolved against the
	// configuration file's directory.
	PolicyDirs []string
	// Exceptions is the exceptions register: as configured, else
	// ExceptionsFile beside the configuration file when that is a regular
	// file, else "" (none; an explicit exceptions: "" also means none).
	Exceptions string
	// Baseline is the baseline file ("" none), resolved likewise.
	Baseline string
	// SeverityThreshold is the lowest severity that fails the scan; ""
	// when unset.
	SeverityThreshold finding.Severity
	// Output holds the output defaults.
	Output Output
	// Ports adds to the sensitive-port catalogue and names public ports.
	Ports Ports
	// Incomplete is IncompleteFail (the default) or IncompleteAllow.
	Incomplete string
	// Ignores says what inline ignore comments may do.
	Ignores IgnorePolicy

	// pos maps each key path ("rules.PCS-AWS-001", "exclude[2]") to where
	// it is written.
	pos map[string]position
}

// Rule is the configuration of one rule.
type Rule struct {
	// Enabled turns a rule off (false) or an opt-in rule on (true); nil
	// leaves it as the rule set has it.
	Enabled *bool
	// Severity overrides the rule's severity ("" none).
	Severity finding.Severity
}

// Output holds the defaults of the output flags.
type Output struct {
	// Formats are written as --format is: "text", "sarif=results.sarif".
	Formats []string
	// GroupBy is "none" or "control" ("" unset).
	GroupBy string
	// Style is "full", "compact" or "quiet" ("" unset).
	Style string
	// Color false never colours the text output; true or nil colours it
	// on a terminal only.
	Color *bool
}

// Ports changes how the open-ingress rules judge ports.
type Ports struct {
	// Catalogue adds or overrides entries of the built-in sensitive-port
	// catalogue (policies/lib/ports.rego).
	Catalogue map[int]Port
	// Public are ports that may be open to the internet: an open-ingress
	// exposure whose every admitted port is public is not reported.
	Public []int
}

// Port is an entry of the sensitive-port catalogue.
type Port struct {
	// Service names what usually listens on the port, for messages.
	Service string
	// Category is one of Categories; it decides the severity of exposing
	// the port.
	Category string
}

// IgnorePolicy is what inline ignore comments may do.
type IgnorePolicy struct {
	// Inline false forbids inline ignores (they are reported and not
	// applied); nil or true allows them.
	Inline *bool
	// Require are the fields an inline ignore must carry to apply: a
	// subset of "owner" and "ticket".
	Require []string
}

// Categories are the categories of the port catalogue
// (policies/lib/ports.rego categories), in order of the file; the tests
// hold them to it.
var Categories = []string{
	"admin", "database", "cache", "search", "message queue", "container daemon",
	"file sharing", "directory", "mail", "monitoring", "web",
}

// Formats are the output format names --format and output.formats accept.
var Formats = []string{"text", "json", "sarif", "github", "markdown", "junit", "soc2-csv", "html"}

// Load decodes a configuration file named name (used in messages and to
// resolve relative paths) strictly. An error reads
// "name:line:col: key: problem".
func Load(name string, content []byte) (*Config, error) {
	d := &decoder{name: filepath.ToSlash(name)}
	c, err := d.config(content)
	if err != nil {
		return nil, err
	}
	c.resolve(name)
	return c, nil
}

// ReadFile reads and decodes the configuration file name, refusing one
// over MaxSize.
func ReadFile(name string) (*Config, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.ToSlash(name), err)
	}
	return Load(name, b)
}

// resolve makes the paths of c relative to the directory of the file name
// and fills the default exceptions register.
func (c *Config) resolve(name string) {
	dir := filepath.Dir(name)
	abs := func(p string) string {
		if p == "" {
			return ""
		}
		p = filepath.FromSlash(p)
		if filepath.IsAbs(p) {
			return filepath.Clean(p)
		}
		return filepath.Join(dir, p)
	}
	for i, p := range c.PolicyDirs {
		c.PolicyDirs[i] = abs(p)
	}
	c.Baseline = abs(c.Baseline)
	if _, set := c.pos["exceptions"]; set {
		c.Exceptions = abs(c.Exceptions)
	} else if p := filepath.Join(dir, filepath.FromSlash(ExceptionsFile)); regularFile(p) {
		c.Exceptions = p
	}
}

func regularFile(p string) bool {
	st, err := os.Lstat(p)
	return err == nil && st.Mode().IsRegular()
}

// Where returns "file:line:col" of a key of the file, named as in error
// messages ("rules.PCS-AWS-001", "exclude[2]", "ports.public[0]"), or the
// file's name alone when the key is not written in it: the command line
// uses it to place its own errors, such as an unknown rule id.
func (c *Config) Where(key string) string {
	if p, ok := c.pos[key]; ok {
		return fmt.Sprintf("%s:%d:%d", c.Path, p.line, p.col)
	}
	return c.Path
}

// RuleKeys are the keys of Rules, sorted, for deterministic messages.
func (c *Config) RuleKeys() []string {
	keys := make([]string, 0, len(c.Rules))
	for k := range c.Rules {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// PortsData returns the data document the network policies read, to be
// given whole as policies.Options.Data:
//
//	{"portcullis": {"config": {"ports": {
//	    "catalogue": {"6380": {"service": "Redis (TLS)", "category": "cache"}},
//	    "public": [80, 443]}}}}
//
// It is nil when the file sets no port.
func (c *Config) PortsData() map[string]any {
	if len(c.Ports.Catalogue) == 0 && len(c.Ports.Public) == 0 {
		return nil
	}
	cat := map[string]any{}
	for p, e := range c.Ports.Catalogue {
		cat[fmt.Sprint(p)] = map[string]any{"service": e.Service, "category": e.Category}
	}
	public := make([]any, 0, len(c.Ports.Public))
	pub := append([]int(nil), c.Ports.Public...)
	sort.Ints(pub)
	for _, p := range pub {
		public = append(public, p)
	}
	return map[string]any{"portcullis": map[string]any{"config": map[string]any{
		"ports": map[string]any{"catalogue": cat, "public": public},
	}}}
}

// Find looks for FileName in dir and in each of its parents up to and
// including root (operating-system paths; dir is root or inside it), never
// above root. It returns the path found, or "" when there is none. A
// FileName that is not a regular file (a symbolic link, a directory) is an
// error: a scanned tree must not make the tool read a file outside it.
func Find(root, dir string) (string, error) {
	root, err := filepath.Abs(root)
	if err != nil {
		return "", err
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || (len(rel) > 3 && rel[:3] == ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not inside the scan root %s", dir, root)
	}
	// Walk from dir up to root, keeping the caller's form of the path.
	cur := dir
	for {
		p := filepath.Join(cur, FileName)
		st, err := os.Lstat(p)
		switch {
		case err == nil && st.Mode().IsRegular():
			return p, nil
		case err == nil:
			return "", fmt.Errorf("%s: not a regular file (a symbolic link or directory is not followed; pass a configuration with --config)", filepath.ToSlash(p))
		case !errors.Is(err, os.ErrNotExist):
			return "", err
		}
		if rel == "." {
			return "", nil
		}
		cur = filepath.Join(cur, "..")
		rel = filepath.Dir(rel)
	}
}
