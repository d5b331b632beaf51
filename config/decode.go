package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/agext/levenshtein"

	"github.com/bmatcuk/doublestar/v4"
	"go.yaml.in/yaml/v3"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// position is a line and column of the file (1-based).
type position struct{ line, col int }

// decoder decodes one file; every error names it.
type decoder struct {
	name string
	pos  map[string]position
}

// errorAt formats an error at node n about key ("" for the top level).
func (d *decoder) errorAt(n *yaml.Node, key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	if n == nil || n.Line == 0 {
		return fmt.Errorf("%s: %s", d.name, msg)
	}
	return fmt.Errorf("%s:%d:%d: %s", d.name, n.Line, n.Column, msg)
}

// quote shows a value of the file in a message: quoted, control characters
// escaped, at most 64 characters.
func quote(s string) string {
	const limit = 64
	if r := []rune(s); len(r) > limit {
		return strconv.Quote(string(r[:limit])) + "..."
	}
	return strconv.Quote(s)
}

func (d *decoder) config(content []byte) (*Config, error) {
	if len(content) > MaxSize {
		return nil, fmt.Errorf("%s: the configuration file is larger than %d bytes", d.name, MaxSize)
	}
	dec := yaml.NewDecoder(bytes.NewReader(content))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty configuration, want version: 1", d.name)
		}
		return nil, d.yamlError(err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, d.errorAt(&next, "", "a second YAML document: the configuration is one document")
	} else if !errors.Is(err, io.EOF) {
		return nil, d.yamlError(err)
	}
	if len(doc.Content) == 0 || (doc.Content[0].Kind == yaml.ScalarNode && doc.Content[0].Tag == "!!null") {
		return nil, fmt.Errorf("%s: empty configuration, want version: 1", d.name)
	}
	root := doc.Content[0]
	if err := d.checkTree(root, 0); err != nil {
		return nil, err
	}
	c := &Config{Path: d.name, Incomplete: IncompleteFail}
	d.pos = map[string]position{}
	c.pos = d.pos
	if err := d.top(root, c); err != nil {
		return nil, err
	}
	return c, nil
}

// yamlLine is the form of the parser's errors: "yaml: line 2: did not find
// expected ',' or ']'".
var yamlLine = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

// yamlError turns a parser error into "name:line: problem".
func (d *decoder) yamlError(err error) error {
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%s:%s: %s", d.name, m[1], m[2])
	}
	return fmt.Errorf("%s: %s", d.name, strings.TrimPrefix(err.Error(), "yaml: "))
}

// maxDepth bounds the nesting of the document; the deepest valid key is
// four levels down.
const maxDepth = 16

// checkTree refuses aliases (an alias can make a small file expand to a
// huge one), merge keys and explicit tags other than the core ones, and
// bounds the nesting.
func (d *decoder) checkTree(n *yaml.Node, depth int) error {
	if depth > maxDepth {
		return d.errorAt(n, "", "nested more than %d levels deep", maxDepth)
	}
	switch n.Kind {
	case yaml.AliasNode:
		return d.errorAt(n, "", "YAML aliases (*%s) are not supported in the configuration: write the value out", n.Value)
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Tag == "!!merge" {
				return d.errorAt(n.Content[i], "", "YAML merge keys (<<) are not supported in the configuration")
			}
		}
	}
	if n.Tag != "" && !strings.HasPrefix(n.Tag, "!!") {
		return d.errorAt(n, "", "unsupported YAML tag %s", quote(n.Tag))
	}
	for _, c := range n.Content {
		if err := d.checkTree(c, depth+1); err != nil {
			return err
		}
	}
	return nil
}

// field is one key of a mapping being decoded.
type field struct {
	key  *yaml.Node
	val  *yaml.Node
	path string // the key path: "output.style"
}

// mapping checks that n is a mapping whose keys are strings among known
// (any string when known is nil), without duplicates, records their
// positions and returns its fields in file order.
func (d *decoder) mapping(n *yaml.Node, key string, known []string) ([]field, error) {
	if n.Kind != yaml.MappingNode {
		return nil, d.errorAt(n, key, "want a mapping, not %s", describe(n))
	}
	var fields []field
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			return nil, d.errorAt(k, key, "want a plain key, not %s", describe(k))
		}
		if prev, dup := seen[k.Value]; dup {
			return nil, d.errorAt(k, key, "duplicate key %s (first at line %d)", quote(k.Value), prev.Line)
		}
		seen[k.Value] = k
		if known != nil && !slices.Contains(known, k.Value) {
			msg := "unknown key " + quote(k.Value)
			if s := suggest(k.Value, known); s != "" {
				msg += fmt.Sprintf(" (did you mean %q?)", s)
			}
			return nil, d.errorAt(k, key, "%s", msg)
		}
		p := k.Value
		if key != "" {
			p = key + "." + k.Value
		}
		d.pos[p] = position{k.Line, k.Column}
		fields = append(fields, field{key: k, val: v, path: p})
	}
	return fields, nil
}

// describe names the kind of a node for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		switch n.Tag {
		case "!!null":
			return "null"
		case "!!str":
			return "a string " + quote(n.Value)
		case "!!int":
			return "a number " + n.Value
		case "!!float":
			return "a number " + n.Value
		case "!!bool":
			return "a boolean " + n.Value
		}
		return "the value " + quote(n.Value)
	}
	return "an unsupported value"
}

func (d *decoder) str(n *yaml.Node, key string) (string, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!str" {
		return "", d.errorAt(n, key, "want a string, not %s", describe(n))
	}
	return n.Value, nil
}

// nonEmpty is str that refuses "".
func (d *decoder) nonEmpty(n *yaml.Node, key string) (string, error) {
	s, err := d.str(n, key)
	if err == nil && strings.TrimSpace(s) == "" {
		err = d.errorAt(n, key, "empty string")
	}
	return s, err
}

func (d *decoder) boolean(n *yaml.Node, key string) (*bool, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" {
		return nil, d.errorAt(n, key, "want true or false, not %s", describe(n))
	}
	b := n.Value == "true"
	return &b, nil
}

func (d *decoder) integer(n *yaml.Node, key string) (int, error) {
	if n.Kind != yaml.ScalarNode || n.Tag != "!!int" {
		return 0, d.errorAt(n, key, "want a whole number, not %s", describe(n))
	}
	v, err := strconv.ParseInt(n.Value, 0, 32)
	if err != nil {
		return 0, d.errorAt(n, key, "number %s out of range", n.Value)
	}
	return int(v), nil
}

// oneOf is str restricted to values, quoting them in the error.
func (d *decoder) oneOf(n *yaml.Node, key, what string, values []string) (string, error) {
	s, err := d.str(n, key)
	if err != nil {
		return "", err
	}
	if !slices.Contains(values, s) {
		return "", d.errorAt(n, key, "unknown %s %s (want %s)", what, quote(s), orList(values))
	}
	return s, nil
}

// orList writes "a, b or c".
func orList(values []string) string {
	if len(values) == 1 {
		return values[0]
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}

func (d *decoder) severity(n *yaml.Node, key string) (finding.Severity, error) {
	names := make([]string, len(finding.Severities))
	for i, s := range finding.Severities {
		names[i] = string(s)
	}
	s, err := d.oneOf(n, key, "severity", names)
	return finding.Severity(s), err
}

// list checks that n is a sequence and calls each for its items with their
// key paths ("exclude[0]").
func (d *decoder) list(n *yaml.Node, key string, each func(item *yaml.Node, key string) error) error {
	if n.Kind != yaml.SequenceNode {
		return d.errorAt(n, key, "want a list, not %s", describe(n))
	}
	for i, item := range n.Content {
		k := fmt.Sprintf("%s[%d]", key, i)
		d.pos[k] = position{item.Line, item.Column}
		if err := each(item, k); err != nil {
			return err
		}
	}
	return nil
}

// strings decodes a list of strings, each checked by check (may be nil).
func (d *decoder) strings(n *yaml.Node, key string, check func(s string, item *yaml.Node, key string) (string, error)) ([]string, error) {
	out := []string{}
	err := d.list(n, key, func(item *yaml.Node, k string) error {
		s, err := d.nonEmpty(item, k)
		if err != nil {
			return err
		}
		if check != nil {
			if s, err = check(s, item, k); err != nil {
				return err
			}
		}
		out = append(out, s)
		return nil
	})
	return out, err
}

var topKeys = []string{
	"version", "rules", "exclude", "policy_dirs", "exceptions", "baseline",
	"severity_threshold", "output", "ports", "incomplete", "ignores",
}

func (d *decoder) top(root *yaml.Node, c *Config) error {
	fields, err := d.mapping(root, "", topKeys)
	if err != nil {
		return err
	}
	hasVersion := false
	for _, f := range fields {
		var err error
		switch f.key.Value {
		case "version":
			hasVersion = true
			if c.Version, err = d.integer(f.val, f.path); err == nil && c.Version != Version {
				err = d.errorAt(f.val, f.path, "unsupported version %d (want 1)", c.Version)
			}
		case "rules":
			c.Rules, err = d.rules(f.val, f.path)
		case "exclude":
			c.Exclude, err = d.strings(f.val, f.path, d.glob)
		case "policy_dirs":
			c.PolicyDirs, err = d.strings(f.val, f.path, nil)
		case "exceptions":
			// "" turns the default register off.
			c.Exceptions, err = d.str(f.val, f.path)
		case "baseline":
			c.Baseline, err = d.str(f.val, f.path)
		case "severity_threshold":
			c.SeverityThreshold, err = d.severity(f.val, f.path)
		case "output":
			err = d.output(f.val, f.path, &c.Output)
		case "ports":
			err = d.ports(f.val, f.path, &c.Ports)
		case "incomplete":
			c.Incomplete, err = d.oneOf(f.val, f.path, "value", []string{IncompleteFail, IncompleteAllow})
		case "ignores":
			err = d.ignores(f.val, f.path, &c.Ignores)
		}
		if err != nil {
			return err
		}
	}
	if !hasVersion {
		return d.errorAt(root, "", "missing version: want version: 1 as the first key")
	}
	return nil
}

func (d *decoder) rules(n *yaml.Node, key string) (map[string]Rule, error) {
	fields, err := d.mapping(n, key, nil)
	if err != nil {
		return nil, err
	}
	out := map[string]Rule{}
	for _, f := range fields {
		id := f.key.Value
		if strings.TrimSpace(id) == "" {
			return nil, d.errorAt(f.key, key, "empty rule id")
		}
		if strings.IndexFunc(id, unicode.IsSpace) >= 0 {
			return nil, d.errorAt(f.key, key, "rule id %s holds a space", quote(id))
		}
		rf, err := d.mapping(f.val, f.path, []string{"enabled", "severity"})
		if err != nil {
			return nil, err
		}
		if len(rf) == 0 {
			return nil, d.errorAt(f.val, f.path, "set enabled or severity")
		}
		var r Rule
		for _, g := range rf {
			switch g.key.Value {
			case "enabled":
				r.Enabled, err = d.boolean(g.val, g.path)
			case "severity":
				r.Severity, err = d.severity(g.val, g.path)
			}
			if err != nil {
				return nil, err
			}
		}
		out[id] = r
	}
	return out, nil
}

// glob checks an exclude pattern and normalises it: a leading "./" is
// dropped and "dir/" becomes "dir/**". Patterns are relative to the scan
// root: an absolute one or one with a ".." element could never match.
func (d *decoder) glob(s string, n *yaml.Node, key string) (string, error) {
	if strings.HasPrefix(s, "/") || (len(s) > 1 && s[1] == ':' && unicode.IsLetter(rune(s[0])) && s[0] < utf8.RuneSelf) {
		return "", d.errorAt(n, key, "%s is absolute: exclude patterns are relative to the scan root", quote(s))
	}
	if strings.Contains(s, "\\") {
		return "", d.errorAt(n, key, "%s holds a backslash: write paths with / (and classes such as [*] to match a special character)", quote(s))
	}
	for _, e := range strings.Split(s, "/") {
		if e == ".." {
			return "", d.errorAt(n, key, "%s holds \"..\": exclude patterns are relative to the scan root", quote(s))
		}
	}
	for strings.HasPrefix(s, "./") {
		s = s[2:]
	}
	if strings.HasSuffix(s, "/") {
		s += "**"
	}
	if s == "" || !doublestar.ValidatePattern(s) {
		return "", d.errorAt(n, key, "%s is not a valid glob (an unclosed [ or {?)", quote(s))
	}
	return path.Clean(s), nil
}

func (d *decoder) output(n *yaml.Node, key string, o *Output) error {
	fields, err := d.mapping(n, key, []string{"formats", "group_by", "style", "color"})
	if err != nil {
		return err
	}
	for _, f := range fields {
		switch f.key.Value {
		case "formats":
			o.Formats, err = d.strings(f.val, f.path, d.format)
		case "group_by":
			o.GroupBy, err = d.oneOf(f.val, f.path, "grouping", []string{"none", "control"})
		case "style":
			o.Style, err = d.oneOf(f.val, f.path, "style", []string{"full", "compact", "quiet"})
		case "color":
			o.Color, err = d.boolean(f.val, f.path)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// format checks a --format value: FORMAT or FORMAT=FILE.
func (d *decoder) format(s string, n *yaml.Node, key string) (string, error) {
	name, file, hasFile := strings.Cut(s, "=")
	if !slices.Contains(Formats, name) {
		return "", d.errorAt(n, key, "unknown format %s (want %s, optionally FORMAT=FILE)", quote(name), orList(Formats))
	}
	if hasFile && strings.TrimSpace(file) == "" {
		return "", d.errorAt(n, key, "%s: empty file name", quote(s))
	}
	return s, nil
}

// The bounds of a TCP or UDP port that a service can listen on.
const (
	minPort = 1
	maxPort = 65535
)

func (d *decoder) port(n *yaml.Node, key string, v int) error {
	if v < minPort || v > maxPort {
		return d.errorAt(n, key, "port %d out of range (want %d to %d)", v, minPort, maxPort)
	}
	return nil
}

func (d *decoder) ports(n *yaml.Node, key string, p *Ports) error {
	fields, err := d.mapping(n, key, []string{"catalogue", "public"})
	if err != nil {
		return err
	}
	for _, f := range fields {
		switch f.key.Value {
		case "catalogue":
			p.Catalogue, err = d.catalogue(f.val, f.path)
		case "public":
			p.Public, err = d.public(f.val, f.path)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (d *decoder) catalogue(n *yaml.Node, key string) (map[int]Port, error) {
	fields, err := d.mapping(n, key, nil)
	if err != nil {
		return nil, err
	}
	out := map[int]Port{}
	for _, f := range fields {
		// 6380 and "6380" alike: JSON, and so the schema, has only string keys.
		v, err := strconv.Atoi(f.key.Value)
		if err != nil || (f.key.Tag != "!!int" && f.key.Tag != "!!str") || strings.TrimSpace(f.key.Value) != f.key.Value || strings.HasPrefix(f.key.Value, "+") || strings.HasPrefix(f.key.Value, "0") {
			return nil, d.errorAt(f.key, key, "%s is not a port number", quote(f.key.Value))
		}
		if err := d.port(f.key, key, v); err != nil {
			return nil, err
		}
		if _, dup := out[v]; dup {
			return nil, d.errorAt(f.key, key, "port %d is listed twice", v)
		}
		pf, err := d.mapping(f.val, f.path, []string{"service", "category"})
		if err != nil {
			return nil, err
		}
		var e Port
		for _, g := range pf {
			switch g.key.Value {
			case "service":
				e.Service, err = d.nonEmpty(g.val, g.path)
			case "category":
				e.Category, err = d.oneOf(g.val, g.path, "category", Categories)
			}
			if err != nil {
				return nil, err
			}
		}
		if e.Service == "" || e.Category == "" {
			missing := "service"
			if e.Service != "" {
				missing = "category"
			}
			return nil, d.errorAt(f.val, f.path, "missing %s", missing)
		}
		out[v] = e
	}
	return out, nil
}

func (d *decoder) public(n *yaml.Node, key string) ([]int, error) {
	out := []int{}
	seen := map[int]bool{}
	err := d.list(n, key, func(item *yaml.Node, k string) error {
		v, err := d.integer(item, k)
		if err != nil {
			return err
		}
		if err := d.port(item, k, v); err != nil {
			return err
		}
		if seen[v] {
			return d.errorAt(item, k, "port %d is listed twice", v)
		}
		seen[v] = true
		out = append(out, v)
		return nil
	})
	return out, err
}

func (d *decoder) ignores(n *yaml.Node, key string, p *IgnorePolicy) error {
	fields, err := d.mapping(n, key, []string{"inline", "require"})
	if err != nil {
		return err
	}
	for _, f := range fields {
		switch f.key.Value {
		case "inline":
			p.Inline, err = d.boolean(f.val, f.path)
		case "require":
			seen := map[string]bool{}
			p.Require, err = d.strings(f.val, f.path, func(s string, item *yaml.Node, k string) (string, error) {
				if _, err := d.oneOf(item, k, "field", []string{"owner", "ticket"}); err != nil {
					return "", err
				}
				if seen[s] {
					return "", d.errorAt(item, k, "%s is listed twice", quote(s))
				}
				seen[s] = true
				return s, nil
			})
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// suggest returns the known key closest to s when it is close enough to be
// a typo (at most a third of its letters edited), else "".
func suggest(s string, known []string) string {
	best, bestD := "", -1
	for _, k := range known {
		if dist := levenshtein.Distance(strings.ToLower(s), k, nil); bestD < 0 || dist < bestD {
			best, bestD = k, dist
		}
	}
	if bestD > max(1, len(s)/3) {
		return ""
	}
	return best
}
