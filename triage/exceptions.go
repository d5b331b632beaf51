package triage

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/agext/levenshtein"

	"go.yaml.in/yaml/v3"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// Exception is one entry of the exceptions register: a risk someone
// accepted, with an owner and an expiry, for the findings of one rule (or
// every rule) on the resources and files its globs name.
type Exception struct {
	Rule     string // a rule id, or "*" for every rule
	Resource string // glob over the resource address ("*" any run, "?" one character; "[" "]" are literal)
	Path     string // glob over the finding's file (doublestar: **, *, ?)
	Reason   string
	Owner    string
	Ticket   string
	Expires  string // YYYY-MM-DD: the last day the exception applies
	// Range is the entry in the register file (its first key).
	Range graph.Range

	path pathGlob // compiled Path; zero when Path is ""
}

// maxRegisterSize bounds the register LoadExceptions reads.
const maxRegisterSize = 4 << 20

// exceptionKeys are the keys of an entry, in the order the errors suggest them.
var exceptionKeys = []string{"rule", "resource", "path", "reason", "owner", "ticket", "expires"}

// LoadExceptions strictly decodes an exceptions register:
//
//	version: 1
//	exceptions:
//	  - rule: PCS-AWS-001
//	    resource: "module.edge.aws_security_group.*"
//	    path: "legacy/**"
//	    reason: "the edge proxies are public by design"
//	    owner: team-net
//	    ticket: SEC-123
//	    expires: 2027-03-31
//
// rule, reason, owner and expires are required, and at least one of
// resource and path. Unknown or repeated keys, values of the wrong type,
// bad globs and dates that are not real YYYY-MM-DD days are errors of the
// form "name:line:col: exceptions[2].expires: ...". name is used in
// messages and in each Exception's Range.
func LoadExceptions(name string, content []byte) ([]Exception, error) {
	if len(content) > maxRegisterSize {
		return nil, fmt.Errorf("%s: the exceptions register is %d bytes, more than the %d allowed", name, len(content), maxRegisterSize)
	}
	d := &registerDecoder{name: name, content: content, lines: lineStarts(content)}
	var doc yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(content))
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s:1:1: empty exceptions register, want version: 1", name)
		}
		return nil, yamlError(name, err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		return nil, d.errorf(&extra, "", "a second YAML document; the register is one document")
	}
	if len(doc.Content) == 0 {
		return nil, fmt.Errorf("%s:1:1: empty exceptions register, want version: 1", name)
	}
	root := doc.Content[0]
	if err := d.checkAliases(root); err != nil {
		return nil, err
	}
	if root.Kind != yaml.MappingNode {
		return nil, d.errorf(root, "", "want a mapping with version and exceptions")
	}
	var (
		version  *yaml.Node
		entries  *yaml.Node
		seenKeys = map[string]bool{}
	)
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		if seenKeys[k.Value] {
			return nil, d.errorf(k, k.Value, "repeated key")
		}
		seenKeys[k.Value] = true
		switch k.Value {
		case "version":
			version = v
		case "exceptions":
			entries = v
		default:
			return nil, d.errorf(k, "", "unknown key %q%s", k.Value, suggest(k.Value, []string{"version", "exceptions"}))
		}
	}
	if version == nil {
		return nil, d.errorf(root, "", "missing key version (want version: 1)")
	}
	if version.Kind != yaml.ScalarNode || version.Tag != "!!int" || version.Value != "1" {
		return nil, d.errorf(version, "version", "unsupported version %q (want 1)", version.Value)
	}
	if entries == nil || (entries.Kind == yaml.ScalarNode && entries.Tag == "!!null") {
		return nil, nil
	}
	if entries.Kind != yaml.SequenceNode {
		return nil, d.errorf(entries, "exceptions", "want a list of entries")
	}
	out := make([]Exception, 0, len(entries.Content))
	for i, n := range entries.Content {
		e, err := d.entry(fmt.Sprintf("exceptions[%d]", i), n)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// yamlError puts a YAML syntax error in the file:line: form of the others.
func yamlError(name string, err error) error {
	msg := err.Error()
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		return fmt.Errorf("%s:%s: %s", name, m[1], msg[len(m[0]):])
	}
	return fmt.Errorf("%s: %s", name, strings.TrimPrefix(msg, "yaml: "))
}

func (d *registerDecoder) entry(key string, n *yaml.Node) (Exception, error) {
	e := Exception{Range: d.rangeOf(n)}
	if n.Kind != yaml.MappingNode {
		return e, d.errorf(n, key, "want a mapping with rule, resource or path, reason, owner and expires")
	}
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		field := key + "." + k.Value
		if _, dup := seen[k.Value]; dup {
			return e, d.errorf(k, field, "repeated key")
		}
		seen[k.Value] = k
		var dst *string
		switch k.Value {
		case "rule":
			dst = &e.Rule
		case "resource":
			dst = &e.Resource
		case "path":
			dst = &e.Path
		case "reason":
			dst = &e.Reason
		case "owner":
			dst = &e.Owner
		case "ticket":
			dst = &e.Ticket
		case "expires":
			dst = &e.Expires
		default:
			return e, d.errorf(k, key, "unknown key %q%s", k.Value, suggest(k.Value, exceptionKeys))
		}
		if v.Kind != yaml.ScalarNode || v.Tag == "!!null" {
			return e, d.errorf(v, field, "want a string")
		}
		switch v.Tag {
		case "!!str":
		case "!!int":
			if k.Value != "ticket" {
				return e, d.errorf(v, field, "want a string, not the number %s (quote it)", v.Value)
			}
		case "!!timestamp":
			if k.Value != "expires" {
				return e, d.errorf(v, field, "want a string, not the date %s (quote it)", v.Value)
			}
		default:
			return e, d.errorf(v, field, "want a string, not %s (quote it)", v.Value)
		}
		*dst = strings.TrimSpace(v.Value)
		if *dst == "" {
			return e, d.errorf(v, field, "empty value")
		}
		switch k.Value {
		case "rule":
			if !graph.ValidRuleID(e.Rule) {
				return e, d.errorf(v, field, "bad rule id %q (want a rule id such as PCS-AWS-001, or *)", e.Rule)
			}
		case "path":
			g, err := compilePathGlob(e.Path)
			if err != nil {
				return e, d.errorf(v, field, "%v", err)
			}
			e.path = g
		case "expires":
			if _, err := parseDay(e.Expires); err != nil {
				return e, d.errorf(v, field, "%v", err)
			}
		}
	}
	for _, req := range []string{"rule", "reason", "owner", "expires"} {
		if seen[req] == nil {
			return e, d.errorf(n, key, "missing %s", req)
		}
	}
	if seen["resource"] == nil && seen["path"] == nil {
		return e, d.errorf(n, key, "missing resource or path (an exception names what it covers; use resource: \"*\" for every resource)")
	}
	return e, nil
}

// parseDay parses a YYYY-MM-DD date that is a real day.
func parseDay(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || t.Format(time.DateOnly) != s {
		return time.Time{}, fmt.Errorf("bad date %q (want YYYY-MM-DD, a real day)", s)
	}
	return t, nil
}

type registerDecoder struct {
	name    string
	content []byte
	lines   []int // byte offset of each line's start
}

// checkAliases refuses anchors and aliases: a register has no use for them,
// and an alias bomb must not expand.
func (d *registerDecoder) checkAliases(n *yaml.Node) error {
	if n.Kind == yaml.AliasNode || n.Anchor != "" {
		return d.errorf(n, "", "YAML anchors and aliases are not allowed in the exceptions register")
	}
	for _, c := range n.Content {
		if err := d.checkAliases(c); err != nil {
			return err
		}
	}
	return nil
}

func (d *registerDecoder) errorf(n *yaml.Node, key, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	if key != "" {
		msg = key + ": " + msg
	}
	return fmt.Errorf("%s:%d:%d: %s", d.name, n.Line, n.Column, msg)
}

// rangeOf is the position of node n (an entry: its first key) as a Range.
func (d *registerDecoder) rangeOf(n *yaml.Node) graph.Range {
	at := n
	if n.Kind == yaml.MappingNode && len(n.Content) > 0 {
		at = n.Content[0]
	}
	p := graph.Pos{Line: at.Line, Column: at.Column, Byte: d.byteOffset(at.Line, at.Column)}
	return graph.Range{File: d.name, Start: p, End: p}
}

// byteOffset converts a 1-based line and a 1-based column counted in
// characters to a byte offset.
func (d *registerDecoder) byteOffset(line, col int) int {
	if line < 1 || line > len(d.lines) {
		return 0
	}
	off := d.lines[line-1]
	for c := 1; c < col && off < len(d.content); c++ {
		_, size := utf8.DecodeRune(d.content[off:])
		off += size
	}
	return off
}

func lineStarts(content []byte) []int {
	starts := []int{0}
	for i, b := range content {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// suggest returns ` (did you mean "x"?)` for the known key closest to k, or "".
func suggest(k string, known []string) string {
	best, bestDist := "", 3
	for _, c := range known {
		if dist := levenshtein.Distance(strings.ToLower(k), c, nil); dist < bestDist {
			best, bestDist = c, dist
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

// exceptionState is an entry of the register as Apply uses it.
type exceptionState struct {
	Exception
	active  bool
	matched bool
}

// prepareExceptions compiles the register and reports expired entries.
func (t *triager) prepareExceptions() {
	for i := range t.opts.Exceptions {
		e := &exceptionState{Exception: t.opts.Exceptions[i], active: true}
		t.exceptions = append(t.exceptions, e)
		if e.Path != "" && e.path.text != e.Path {
			// Built or changed by hand rather than by LoadExceptions.
			g, err := compilePathGlob(e.Path)
			if err != nil {
				e.active = false
				t.warn(e.Range, "exception not applied", err.Error())
				continue
			}
			e.path = g
		}
		if e.Resource == "" && e.Path == "" {
			e.active = false
			t.warn(e.Range, "exception not applied", "it names neither a resource nor a path")
			continue
		}
		if e.Expires != "" && e.Expires < t.today {
			e.active = false
			t.warn(e.Range, fmt.Sprintf("exception for %s %s expired on %s", ruleList([]string{e.Rule}), e.scope(), e.Expires),
				"it no longer suppresses findings: fix them, or renew the entry if the risk is still accepted (owner "+e.Owner+")")
		}
	}
}

// scope describes what the entry covers, for messages.
func (e *Exception) scope() string {
	switch {
	case e.Resource != "" && e.Path != "":
		return fmt.Sprintf("on %s in %s", e.Resource, e.Path)
	case e.Resource != "":
		return "on " + e.Resource
	}
	return "in " + e.Path
}

// forFile returns the active entries whose path covers file (all those
// without a path among them), in register order; cached, as files repeat.
func (t *triager) forFile(file string) []*exceptionState {
	if es, ok := t.exceptionsFor[file]; ok {
		return es
	}
	var es []*exceptionState
	for _, e := range t.exceptions {
		if e.active && (e.Path == "" || e.path.match(file)) {
			es = append(es, e)
		}
	}
	if t.exceptionsFor == nil {
		t.exceptionsFor = map[string][]*exceptionState{}
	}
	t.exceptionsFor[file] = es
	return es
}

// excepted marks the entries that cover f and returns the suppression of
// the first in register order.
func (t *triager) excepted(f *finding.Finding) *finding.Suppression {
	var first *exceptionState
	for _, e := range t.forFile(f.Location.Range.File) {
		if (e.Rule != "*" && e.Rule != f.RuleID) || (e.Resource != "" && !addrMatch(e.Resource, f.Resource)) {
			continue
		}
		e.matched = true
		if first == nil {
			first = e
		}
	}
	if first == nil {
		return nil
	}
	return &finding.Suppression{
		Kind:    finding.SuppressedException,
		Reason:  first.Reason,
		Owner:   first.Owner,
		Ticket:  first.Ticket,
		Expires: first.Expires,
		Range:   first.Range,
	}
}
