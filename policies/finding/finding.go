// Package finding holds the results of a scan as the writers see them: rule
// metadata, findings with resolved locations, diagnostics and a summary.
// It is a leaf (it imports only the graph model), so the writers in sarif/
// and report/ depend on neither OPA nor HCL.
package finding

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Severity of a rule or finding.
type Severity string

// The severities, highest first.
const (
	Critical Severity = "critical"
	High     Severity = "high"
	Medium   Severity = "medium"
	Low      Severity = "low"
)

// Severities lists every severity, highest first.
var Severities = []Severity{Critical, High, Medium, Low}

// ParseSeverity parses a severity name (case-insensitive).
func ParseSeverity(s string) (Severity, error) {
	v := Severity(strings.ToLower(strings.TrimSpace(s)))
	if v.Rank() == 0 {
		return "", fmt.Errorf("unknown severity %q (want critical, high, medium or low)", s)
	}
	return v, nil
}

// Rank orders severities: critical 4, high 3, medium 2, low 1, unknown 0.
func (s Severity) Rank() int {
	switch s {
	case Critical:
		return 4
	case High:
		return 3
	case Medium:
		return 2
	case Low:
		return 1
	}
	return 0
}

// AtLeast reports whether s is at or above t.
func (s Severity) AtLeast(t Severity) bool { return s.Rank() >= t.Rank() }

// SecurityScore is the CVSS-style number GitHub code scanning reads from
// the security-severity property: critical 9.5, high 8.0, medium 5.5, low 3.0.
func (s Severity) SecurityScore() string {
	switch s {
	case Critical:
		return "9.5"
	case High:
		return "8.0"
	case Medium:
		return "5.5"
	default:
		return "3.0"
	}
}

// Rule is a rule's metadata, decoded from its OPA METADATA annotation.
type Rule struct {
	ID            string   `json:"id"`
	Name          string   `json:"name"` // kebab-case slug, stable like the ID
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Severity      Severity `json:"severity"`
	Controls      []string `json:"controls"`
	Remediation   string   `json:"remediation"`
	ResourceTypes []string `json:"resource_types"`
	Precision     string   `json:"precision"` // SARIF precision: very-high, high, medium, low
	// OptIn rules (METADATA enabled: false) run only when enabled by name.
	OptIn   bool   `json:"opt_in,omitempty"`
	Package string `json:"package"` // the Rego package (data.<package>)
	File    string `json:"file"`    // the Rego file it was loaded from
	Builtin bool   `json:"builtin"`
	// HelpURI is the documentation page a user rule declares (the first
	// https ref of its METADATA related_resources); "" when it declares
	// none. Built-in rules are documented at DocPath instead.
	HelpURI string `json:"help_uri,omitempty"`
}

// DocPath is the rule's catalogue page, relative to the repository root.
func (r Rule) DocPath() string { return "docs/rules/" + r.ID + ".md" }

// Location is a resolved source location with optional provenance hops.
type Location struct {
	Range   graph.Range
	Related []graph.Origin
}

// Finding is one rule violation at one place.
type Finding struct {
	RuleID    string
	Severity  Severity
	Message   string
	Resource  string // address
	Type      string // resource type
	Attribute string // attribute path the rule named ("" for the resource)
	Root      string // the graph root the finding came from
	Location  Location
	// Blocks are the headers of the blocks that made the resource: the
	// resource block (the logical ID in CloudFormation), then the module
	// blocks that called its module, innermost first. An inline ignore
	// directly above one of them covers the finding.
	Blocks []graph.Range
	// Key identifies the offending value by content: the attribute path
	// with each list index replaced by a digest of the element there
	// ("ingress[3f2a…].cidr_blocks[9c1e…]"). Empty for a finding about the
	// whole resource. Fingerprint uses it, so inserting a list element
	// elsewhere does not re-key a finding.
	Key string
	// Suppressed is set when the triage stage took the finding out of what
	// counts: it is still reported where a format can show it (auditors see
	// it and why), but it does not fail the scan.
	Suppressed *Suppression
}

// Suppression kinds: why the triage stage took a finding out.
const (
	SuppressedInline    = "inline"    // an inline ignore (comment or CloudFormation Metadata)
	SuppressedException = "exception" // an entry of the exceptions register
	SuppressedBaseline  = "baseline"  // recorded in the baseline
	SuppressedExcluded  = "excluded"  // under a path the configuration excludes
	SuppressedUnchanged = "unchanged" // no location on a changed line (--diff-base, --changed-files)
	SuppressedThreshold = "threshold" // below --severity-threshold
)

// SuppressionKinds lists the kinds in the order writers list them (the
// triage stage applies excludes first: see package triage).
var SuppressionKinds = []string{SuppressedInline, SuppressedException, SuppressedBaseline, SuppressedExcluded, SuppressedUnchanged, SuppressedThreshold}

// Suppression says why a finding does not count.
type Suppression struct {
	Kind    string // one of the Suppressed* kinds
	Reason  string
	Owner   string // inline ignores and exceptions: who accepted the risk
	Ticket  string
	Expires string // YYYY-MM-DD, or ""
	// Range is where the ignore or exception is written (zero when the
	// kind has no place, as baseline or threshold).
	Range graph.Range
}

// Fingerprint identifies a finding independently of line numbers and list
// positions: rule, root, resource address and the offending value's Key
// (the attribute path when no Key was computed).
func (f Finding) Fingerprint() string {
	key := f.Key
	if key == "" {
		key = f.Attribute
	}
	return f.RuleID + "|" + f.Root + "|" + f.Resource + "|" + key
}

// FingerprintHash is the hex SHA-256 of Fingerprint: the stable identity
// that SARIF partialFingerprints and the JSON output carry.
func (f Finding) FingerprintHash() string {
	sum := sha256.Sum256([]byte(f.Fingerprint()))
	return hex.EncodeToString(sum[:])
}

// Report is everything a writer needs.
type Report struct {
	Tool        Tool
	Rules       []Rule // every rule that ran, sorted by ID
	Findings    []Finding
	Diagnostics []graph.Diagnostic
	// Sources maps a file path (as in ranges) to its content, for writers that
	// quote source lines. It may be nil or incomplete.
	Sources map[string][]byte
	// Resources is the number of resources evaluated.
	Resources int
	// NotCreated is the number of resources declared but switched off
	// (graph.Graph.NotCreated), summed over the roots.
	NotCreated int
	// Ignores are the inline ignores written in the files scanned (each
	// once), for the triage stage.
	Ignores []graph.Ignore
	// Files maps each file read (as in ranges) to the hex SHA-256 of its
	// content: what an auditor's report says was scanned.
	Files map[string]string
	// Time is when the scan ran (the triage stage's clock).
	Time time.Time
	// PolicySet is a digest of the policies that ran (see policies.Engine.PolicySetHash).
	PolicySet string
}

// Tool identifies the program.
type Tool struct {
	Name           string
	Version        string
	InformationURI string
	// RulesURI is the base URL that a rule's DocPath is appended to.
	RulesURI string
}

// Summary counts findings by severity. Suppressed findings are counted
// apart and not in Total or BySeverity.
type Summary struct {
	Total       int              `json:"total"`
	Suppressed  int              `json:"suppressed"`
	BySeverity  map[Severity]int `json:"by_severity"`
	Diagnostics int              `json:"diagnostics"`
	Resources   int              `json:"resources"`
	NotCreated  int              `json:"not_created"`
}

// Rule returns the rule with the given ID.
func (r *Report) Rule(id string) (Rule, bool) {
	i := sort.Search(len(r.Rules), func(i int) bool { return r.Rules[i].ID >= id })
	if i < len(r.Rules) && r.Rules[i].ID == id {
		return r.Rules[i], true
	}
	return Rule{}, false
}

// Sort puts rules, findings and diagnostics in their canonical order, so that
// the same input always gives byte-identical output.
func (r *Report) Sort() {
	sort.Slice(r.Rules, func(i, j int) bool { return r.Rules[i].ID < r.Rules[j].ID })
	sort.SliceStable(r.Findings, func(i, j int) bool { return Less(r.Findings[i], r.Findings[j]) })
	graph.SortDiagnostics(r.Diagnostics)
}

// Dedupe sorts the report and drops duplicate findings and diagnostics.
//
// Two findings are the same only when their root and fingerprint are the
// same (Fingerprint includes the root): of the same finding one is kept,
// the first in canonical order of the highest severity. Findings of two
// roots are never merged, even at one place with one message: two roots
// whose module calls share a name give resources of the same address, and
// a module called by several roots reports a problem in its own code once
// per root. Each root deploys its own copy, and each finding has its own
// fingerprint, which a baseline or an exception records.
//
// The one exception is a plan scanned beside its configuration: it
// evaluates the same resources. configurations maps the root of such a
// plan to the root of its configuration (graph.Graph.Configuration); a
// finding of the plan at the same rule, resource, location and message as
// a finding of that configuration is dropped, and the configuration's is
// kept, so that its fingerprint does not depend on whether a plan file was
// found beside it.
func (r *Report) Dedupe(configurations map[string]string) {
	r.Sort()
	type place struct {
		root, rule, resource, message string
		rg                            graph.Range
	}
	placeOf := func(root string, f Finding) place {
		return place{root, f.RuleID, f.Resource, f.Message, f.Location.Range}
	}
	inConfig := map[place]bool{}
	if len(configurations) > 0 {
		isConfig := map[string]bool{}
		for _, c := range configurations {
			isConfig[c] = true
		}
		for _, f := range r.Findings {
			if isConfig[f.Root] {
				inConfig[placeOf(f.Root, f)] = true
			}
		}
	}
	kept := make([]Finding, 0, len(r.Findings))
	byPrint := map[string]int{}
	replaced := false
	for _, f := range r.Findings {
		if c, ok := configurations[f.Root]; ok && inConfig[placeOf(c, f)] {
			continue
		}
		fp := f.Fingerprint()
		if i, ok := byPrint[fp]; ok {
			if f.Severity.Rank() > kept[i].Severity.Rank() {
				kept[i], replaced = f, true
			}
			continue
		}
		byPrint[fp] = len(kept)
		kept = append(kept, f)
	}
	r.Findings = kept
	if replaced {
		sort.SliceStable(r.Findings, func(i, j int) bool { return Less(r.Findings[i], r.Findings[j]) })
	}
	diags := r.Diagnostics[:0]
	for i, d := range r.Diagnostics {
		if i > 0 && r.Diagnostics[i-1] == d {
			continue
		}
		diags = append(diags, d)
	}
	r.Diagnostics = diags
}

// Less orders findings by file, line, column, rule, resource, attribute,
// message and root.
func Less(a, b Finding) bool {
	ra, rb := a.Location.Range, b.Location.Range
	switch {
	case ra.File != rb.File:
		return ra.File < rb.File
	case ra.Start.Line != rb.Start.Line:
		return ra.Start.Line < rb.Start.Line
	case ra.Start.Column != rb.Start.Column:
		return ra.Start.Column < rb.Start.Column
	case a.RuleID != b.RuleID:
		return a.RuleID < b.RuleID
	case a.Resource != b.Resource:
		return a.Resource < b.Resource
	case a.Attribute != b.Attribute:
		return a.Attribute < b.Attribute
	case a.Message != b.Message:
		return a.Message < b.Message
	}
	return a.Root < b.Root
}

// Summarise counts the findings of r.
func (r *Report) Summarise() Summary {
	s := Summary{BySeverity: map[Severity]int{}, Diagnostics: len(r.Diagnostics), Resources: r.Resources, NotCreated: r.NotCreated}
	for _, sev := range Severities {
		s.BySeverity[sev] = 0
	}
	for _, f := range r.Findings {
		if f.Suppressed != nil {
			s.Suppressed++
			continue
		}
		s.Total++
		s.BySeverity[f.Severity]++
	}
	return s
}
