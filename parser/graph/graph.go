// Package graph is the resource graph model shared by every input format, the
// policy engine and the writers: plain data, no parsing, no policy logic.
//
// A scan produces one Graph per root (a Terraform root module, a CloudFormation
// template, a plan file). Each Graph holds one Resource per evaluated instance.
// Values are plain trees (map[string]any, []any, string, json.Number, bool)
// following Terraform plan JSON's conventions: unknown leaves are omitted from
// Values and set to true in Unknown, so "absent" is never confused with
// "unknown". Null attributes are dropped.
package graph

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Format names the kind of input a Graph was built from.
type Format string

// The input formats.
const (
	FormatTerraform      Format = "terraform"
	FormatCloudFormation Format = "cloudformation"
	FormatTerraformPlan  Format = "terraform-plan"
)

// Pos is a position in a source file. Line and Column are 1-based; Column
// counts Unicode code points; Byte is the 0-based byte offset.
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// Range is a span of a source file. File is slash-separated and relative to
// the scan root. End is exclusive.
type Range struct {
	File  string `json:"file"`
	Start Pos    `json:"start"`
	End   Pos    `json:"end"`
}

// IsZero reports whether r is the zero Range (no location known).
func (r Range) IsZero() bool { return r.File == "" && r.Start.Line == 0 }

// String formats r as file:line:column.
func (r Range) String() string {
	if r.IsZero() {
		return "<unknown>"
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// Ref is an edge from an attribute of one resource to another resource,
// found from the configuration's syntax even when the value is unknown.
type Ref struct {
	// Attribute is the path of the referring attribute ("security_group_id",
	// "ingress.0.security_groups").
	Attribute string `json:"attribute"`
	// Target is the address of the referenced resource.
	Target string `json:"target"`
	// TargetAttribute is the attribute of the target that was referenced
	// ("id"), empty when the whole resource was referenced.
	TargetAttribute string `json:"target_attribute"`
	// Range is where the reference is written.
	Range Range `json:"-"`
}

// SensitivePlaceholder stands for a sensitive value wherever one would be
// shown (a message, a diagnostic, an instance key): every package writes
// the same text.
const SensitivePlaceholder = "(sensitive)"

// Origin kinds.
const (
	OriginVariableDefault  = "variable-default"   // the default of a variable block
	OriginVarsFile         = "vars-file"          // terraform.tfvars, *.auto.tfvars, --var-file
	OriginCommandLine      = "command-line"       // --var
	OriginEnvironment      = "environment"        // TF_VAR_name
	OriginModuleArgument   = "module-argument"    // an argument of a module block
	OriginModuleCall       = "module-call"        // a module block calling a module in the repository (Resource.Callers)
	OriginRemoteModuleCall = "remote-module-call" // a module block calling an installed (remote) module
	OriginParameter        = "parameter"          // a CloudFormation parameter
	OriginAttribute        = "attribute"          // the attribute that uses the value
	OriginLocal            = "local"              // a local value
	OriginOutput           = "output"             // a module output
	OriginForEach          = "for_each"           // the for_each of a resource or module block
)

// Origin is one hop of a value's provenance: where a value was written before
// it reached the attribute that uses it; or one module call on the way from
// the root module to a resource.
type Origin struct {
	Kind string
	// Description says what the hop is ("value from the default of
	// var.cidr", "value from terraform.tfvars").
	Description string
	Range       Range
	// External is set when Range lies in module code installed outside the
	// repository (a remote module under .terraform/modules): a location
	// there is useless in a code review.
	External bool
	// Values are the known scalar values (as text) that the hop carried,
	// bounded: they tell which argument an offending value came from when
	// several reach one attribute.
	Values []string
	// Partial is set when Values leaves some out (the bound, a sensitive
	// part): the hop may carry a value it does not list.
	Partial bool
	// Written is set when the hop is where a scalar was written (a
	// literal in a variable default, a variables file, a module argument,
	// a local), not a value passed on.
	Written bool
}

// Resource is one evaluated resource instance.
type Resource struct {
	Address  string // module.net.aws_security_group.web["a"]; CloudFormation logical ID
	Mode     string // "managed" or "data"; CloudFormation resources are "managed"
	Type     string // aws_security_group; AWS::EC2::SecurityGroup
	Name     string
	Format   Format
	Module   string // module path for Terraform ("module.net"); empty for root
	Provider string
	Range    Range // the block header (Terraform) or the logical ID (CloudFormation)

	Values    map[string]any // known values, plan JSON "after" conventions
	Unknown   map[string]any // true at each unknown leaf, "after_unknown" conventions
	Sensitive map[string]any // true at each sensitive leaf, "after_sensitive" conventions

	// Ranges maps attribute paths ("ingress.0.cidr_blocks.1") to the range of
	// the expression or block that set them. The empty path is the block.
	Ranges map[string]Range
	// Origins maps attribute paths to the provenance of their values.
	// A loader may compute it (and Decided) when first needed (see
	// SetProvenance): read it after ResolveProvenance.
	Origins map[string][]Origin

	// Callers are the module blocks from the root module down to the
	// resource's module, outermost first (Kind OriginModuleCall).
	Callers []Origin
	// Decided are the hops, written upstream of the resource's module,
	// that decided that this instance exists: the for_each entry that
	// created it, the argument that turned its count on; those of the
	// module calls that created its module after. Empty when nothing
	// upstream decided it.
	Decided []Origin
	// provenance computes Origins and Decided on first use, or is nil.
	provenance *provenance

	Refs         []Ref
	ReferencedBy []Ref // filled by Graph.Link: Target is then the referring resource

	// Meta holds format-specific facts policies may read (expansion, condition).
	Meta map[string]any
}

// Ignore is an inline ignore as written: a "# portcullis:ignore" comment
// in Terraform, an entry of Metadata.portcullis.ignore in CloudFormation.
// The triage stage decides what it covers.
type Ignore struct {
	// Root is the graph root it was read for (Graph.Root).
	Root  string
	Rules []string // rule ids, or "*" for every rule
	// Reason is required; Owner, Ticket and Expires (YYYY-MM-DD) are optional.
	Reason, Owner, Ticket, Expires string
	// Range is where it is written: in Terraform "portcullis:ignore" to
	// the end of the comment's first line; in CloudFormation the entry.
	Range Range
	// Line is the line it applies to: for a comment on lines of its own,
	// the line of code directly below it (comment lines only between);
	// for a comment after code, its own line; 0 when it applies to no
	// line (a blank line follows it).
	Line int
	// Resource is set when the ignore is bound to one resource (CloudFormation
	// Metadata): its address. Line is then 0.
	Resource string
	// Problem is set when the ignore is malformed (no rule, no reason, a
	// bad date): it is not applied and the triage stage reports Problem.
	Problem string
}

// ValidRuleID reports whether s can name a rule in an ignore or an
// exception: letters, digits, "-", "_" and ".", or "*" alone for every
// rule (rules are matched by id, never by pattern).
func ValidRuleID(s string) bool {
	if s == "*" {
		return true
	}
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
		default:
			return false
		}
	}
	return s != ""
}

// IsDate reports whether s is a real day written YYYY-MM-DD, as an
// ignore's expiry must be.
func IsDate(s string) bool {
	t, err := time.Parse(time.DateOnly, s)
	return err == nil && t.Format(time.DateOnly) == s
}

// Severity of a diagnostic.
type Severity string

// Diagnostic severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
	// SeverityNote is information about how the input was read (a module
	// understood without its code); it never fails a scan.
	SeverityNote Severity = "note"
)

// Diagnostic is a problem met while loading: a syntax error, an expression
// that cannot be evaluated, a cycle. It never stops the scan.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail,omitempty"`
	Range    Range    `json:"range"`
}

// String formats d for a terminal.
func (d Diagnostic) String() string {
	s := fmt.Sprintf("%s: %s: %s", d.Range, d.Severity, d.Summary)
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	return s
}

// Graph is the evaluated resources of one root.
type Graph struct {
	Format Format
	// Root is the directory or file this graph was built from, relative to
	// the scan root ("." for the scan root itself).
	Root        string
	Resources   []*Resource // sorted by Address after Link
	Diagnostics []Diagnostic
	// Files lists the source files read for this root (relative paths).
	Files []string
	// Sources holds the content of the files read, for writers that quote
	// source lines.
	Sources map[string][]byte
	// Ignores are the inline ignores written in the files read.
	Ignores []Ignore
	// NotCreated counts the resources declared but switched off: a
	// Terraform managed resource block whose count is 0 or whose for_each
	// is empty (once per module instance evaluated), a CloudFormation
	// resource whose Condition is false.
	NotCreated int
	// Configuration is, for a plan, the Terraform configuration directory
	// its locations come from ("" when none): findings both give are
	// reported once (see finding.Report.Dedupe).
	Configuration string
}

// Resource returns the resource with the given address, or nil.
func (g *Graph) Resource(addr string) *Resource {
	i := sort.Search(len(g.Resources), func(i int) bool { return g.Resources[i].Address >= addr })
	if i < len(g.Resources) && g.Resources[i].Address == addr {
		return g.Resources[i]
	}
	return nil
}

// Link sorts resources and diagnostics, drops references to addresses that
// are not in the graph, and fills ReferencedBy. Call it once, after loading.
func (g *Graph) Link() {
	sort.Slice(g.Resources, func(i, j int) bool { return g.Resources[i].Address < g.Resources[j].Address })
	for _, r := range g.Resources {
		r.ReferencedBy = nil
	}
	for _, r := range g.Resources {
		kept := r.Refs[:0]
		for _, ref := range r.Refs {
			t := g.Resource(ref.Target)
			if t == nil || t == r {
				continue
			}
			kept = append(kept, ref)
			t.ReferencedBy = append(t.ReferencedBy, Ref{
				Attribute:       ref.Attribute,
				Target:          r.Address,
				TargetAttribute: ref.TargetAttribute,
				Range:           ref.Range,
			})
		}
		r.Refs = dedupeRefs(kept)
	}
	for _, r := range g.Resources {
		r.ReferencedBy = dedupeRefs(r.ReferencedBy)
	}
	SortDiagnostics(g.Diagnostics)
}

func dedupeRefs(refs []Ref) []Ref {
	sort.SliceStable(refs, func(i, j int) bool {
		a, b := refs[i], refs[j]
		if a.Attribute != b.Attribute {
			return a.Attribute < b.Attribute
		}
		if a.Target != b.Target {
			return a.Target < b.Target
		}
		return a.TargetAttribute < b.TargetAttribute
	})
	out := refs[:0]
	for i, r := range refs {
		if i > 0 {
			p := refs[i-1]
			if p.Attribute == r.Attribute && p.Target == r.Target && p.TargetAttribute == r.TargetAttribute {
				continue
			}
		}
		out = append(out, r)
	}
	return out
}

// SortDiagnostics orders diagnostics by file, position and summary.
func SortDiagnostics(ds []Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i].Range, ds[j].Range
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Start.Byte != b.Start.Byte {
			return a.Start.Byte < b.Start.Byte
		}
		if ds[i].Summary != ds[j].Summary {
			return ds[i].Summary < ds[j].Summary
		}
		return ds[i].Detail < ds[j].Detail
	})
}

// provenance is a resource's Origins and Decided, computed once, when
// first needed.
type provenance struct {
	once    sync.Once
	compute func() (map[string][]Origin, []Origin)
}

// SetProvenance has Origins and Decided computed by compute the first time
// they are needed (OriginsFor, Locate, ResolveProvenance), instead of for
// every resource: most resources have no finding.
func (r *Resource) SetProvenance(compute func() (origins map[string][]Origin, decided []Origin)) {
	r.provenance = &provenance{compute: compute}
}

// ResolveProvenance fills Origins and Decided if SetProvenance deferred
// them. It is safe to call from several goroutines at once.
func (r *Resource) ResolveProvenance() {
	p := r.provenance
	if p == nil {
		return
	}
	p.once.Do(func() {
		r.Origins, r.Decided = p.compute()
		p.compute = nil // what it kept alive can go
	})
}

// Lookup returns the most precise recorded range for an attribute path: the
// path itself, else its longest recorded prefix, else the resource's range.
// The second result is the path that matched ("" for the resource).
func (r *Resource) Lookup(path string) (Range, string) {
	p := path
	for p != "" {
		if rg, ok := r.Ranges[p]; ok {
			return rg, p
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return r.Range, ""
}

// OriginsFor returns the provenance recorded for path or its longest prefix.
func (r *Resource) OriginsFor(path string) []Origin {
	r.ResolveProvenance()
	p := path
	for {
		if o, ok := r.Origins[p]; ok {
			return o
		}
		i := strings.LastIndexByte(p, '.')
		if i < 0 {
			if p != "" {
				if o, ok := r.Origins[""]; ok {
					return o
				}
			}
			return nil
		}
		p = p[:i]
	}
}

// Locate returns where a finding on an attribute path must point, and the
// related locations to show with it.
//
// A finding about a value (Terraform) points where that value was written
// in the repository: the literal in a variable default, a variables file,
// a module argument, a local or a for_each entry (Origin.Written), else
// the first hop in the repository that carried it (a module argument),
// else the attribute. Only the hops that carried the offending value are
// related (a variable that only switched the resource on did not), in
// order from where it was written, then the attribute that uses it. A
// value that only code installed outside the repository wrote points at
// the module block in the repository that calls that code.
//
// A finding about the resource (an empty path, or an attribute it does not
// set) points at what created it (Decided): the for_each entry, the
// argument that turned count on; else the resource block, or for code
// installed outside the repository the module block that calls it.
//
// Other formats keep the attribute, with the provenance of its value.
func (r *Resource) Locate(path string) (Range, []Origin) {
	rg, matched := r.Lookup(path)
	origins := r.OriginsFor(path)
	if r.Format != FormatTerraform {
		return rg, origins
	}
	var remote *Origin
	for i, c := range r.Callers {
		if c.Kind == OriginRemoteModuleCall {
			remote = &r.Callers[i]
			break
		}
	}
	if matched == "" && !hasValue(r, path) {
		return r.locateResource(path, rg, origins, remote)
	}
	if leaves := scalarsAt(r.Values, path); len(leaves) > 0 {
		origins = carrying(origins, leaves)
	}
	origins = distinctPlaces(origins, rg)
	used := Origin{Kind: OriginAttribute, Description: "used by " + r.Address + attrSuffix(path), Range: rg, External: remote != nil}
	// A sensitive value is never pointed at where it is written: the
	// line would be quoted. It points where it entered the module.
	secret := sensitiveAt(r.Sensitive, path)
	pick := -1
	for i, o := range origins {
		if o.External || secret && o.Kind != OriginModuleArgument {
			continue
		}
		if o.Written {
			pick = i
			break
		}
		if pick < 0 {
			pick = i
		}
	}
	if pick >= 0 {
		related := append(append([]Origin{}, origins[:pick]...), origins[pick+1:]...)
		if encloses(origins[pick].Range, rg) {
			// The attribute's range is a part of the hop (an element
			// of a comma-separated string): the more precise place.
			return rg, related
		}
		return origins[pick].Range, append(related, used)
	}
	if remote != nil {
		return remote.Range, append(append([]Origin{}, origins...), used)
	}
	return rg, origins
}

// locateResource locates a finding about the resource itself (see Locate).
func (r *Resource) locateResource(path string, rg Range, origins []Origin, remote *Origin) (Range, []Origin) {
	block := Origin{Kind: OriginAttribute, Description: "creates " + r.Address, Range: r.Range, External: remote != nil}
	decided := distinctPlaces(r.Decided, Range{})
	for i, o := range decided {
		if o.External {
			continue
		}
		related := append(append([]Origin{}, decided[:i]...), decided[i+1:]...)
		return o.Range, append(related, block)
	}
	if remote != nil {
		used := Origin{Kind: OriginAttribute, Description: "used by " + r.Address + attrSuffix(path), Range: rg, External: true}
		return remote.Range, append(append(append([]Origin{}, r.Decided...), origins...), used)
	}
	return rg, origins
}

// hasValue reports whether the resource sets path (known or unknown).
func hasValue(r *Resource, path string) bool {
	if path == "" {
		return false
	}
	return valueAt(r.Values, path) != nil || valueAt(r.Unknown, path) != nil
}

// valueAt returns the part of a values tree at a dotted path, nil if none.
func valueAt(values map[string]any, path string) any {
	var cur any = values
	for _, step := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			cur = c[step]
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(c) {
				return nil
			}
			cur = c[i]
		default:
			return nil
		}
	}
	return cur
}

// sensitiveAt reports whether a sensitive tree marks path or a prefix of it.
func sensitiveAt(sensitive map[string]any, path string) bool {
	var cur any = sensitive
	for _, step := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case bool:
			return c
		case map[string]any:
			cur = c[step]
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(c) {
				return false
			}
			cur = c[i]
		default:
			return false
		}
	}
	b, _ := cur.(bool)
	return b
}

// maxLeaves bounds the scalars a container path is matched by.
const maxLeaves = 64

// scalarsAt returns the known scalars at or under a dotted path of a
// values tree, as text, bounded.
func scalarsAt(values map[string]any, path string) []string {
	if path == "" {
		return nil
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		if len(out) >= maxLeaves {
			return
		}
		switch x := v.(type) {
		case map[string]any:
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(x[k])
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			out = append(out, x)
		case fmt.Stringer:
			out = append(out, x.String())
		case bool:
			out = append(out, strconv.FormatBool(x))
		}
	}
	walk(valueAt(values, path))
	return out
}

// carrying keeps the hops that carried one of the values: a hop with only
// other values (a variable that switched the resource on, a key) did not
// bring the value. A hop whose values are cut short may have.
func carrying(origins []Origin, leaves []string) []Origin {
	var out []Origin
	for _, o := range origins {
		if o.Partial && !o.Written {
			out = append(out, o)
			continue
		}
		for _, l := range leaves {
			if carries(o.Values, l) {
				out = append(out, o)
				break
			}
		}
	}
	return out
}

// distinctPlaces drops the hops written at a place an earlier hop or the
// attribute is written in: the whole argument around a literal of it.
func distinctPlaces(origins []Origin, attr Range) []Origin {
	var out []Origin
	for i, o := range origins {
		if o.Range == attr {
			continue
		}
		inside := false
		for j, p := range origins {
			if j != i && p.Range != o.Range && encloses(o.Range, p.Range) {
				inside = true // o holds p: p is the more precise place
				break
			}
			if j < i && p.Range == o.Range {
				inside = true
				break
			}
		}
		if !inside {
			out = append(out, o)
		}
	}
	return out
}

// encloses reports whether a contains b (same file).
func encloses(a, b Range) bool {
	return a.File == b.File && a.Start.Byte <= b.Start.Byte && b.End.Byte <= a.End.Byte
}

func attrSuffix(path string) string {
	if path == "" {
		return ""
	}
	return " " + path
}

// carries reports whether a hop's values include the offending value, as
// a whole or inside a string ("0.0.0.0/0,10.0.0.0/8" split in the module).
func carries(values []string, leaf string) bool {
	for _, v := range values {
		if v == leaf || (leaf != "" && strings.Contains(v, leaf)) {
			return true
		}
	}
	return false
}
