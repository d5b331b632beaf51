package cloudformation

import (
	"fmt"
	"path"
	"runtime/debug"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Bounds of the evaluation of one template.
const (
	// MaxResources bounds the resources of one template (after Fn::ForEach
	// expansion); the rest are not evaluated, with an error diagnostic.
	MaxResources = 10000
	// maxFnDepth bounds the nesting of intrinsic functions.
	maxFnDepth = 100
	// maxNodeDepth bounds the nesting of values (mappings and sequences).
	maxNodeDepth = 1000
	// maxSteps bounds the nodes evaluated for one template (YAML aliases
	// can make a small document a very large tree), besides the
	// resourceSteps of each resource (see budget.go).
	maxSteps = 4000000
	// MaxValueBytes bounds the values that evaluating one template builds,
	// in bytes, besides the ResourceValueBytes of each resource (see
	// budget.go): each value counts the bytes of its text (and of its
	// keys) plus valueOverhead, whether written in the template, copied by
	// a function (a Ref to a parameter, Fn::Select, Fn::FindInMap) or built
	// by one (Fn::Join, Fn::Sub, ...); a parameter's value counts when it
	// is bound; an Fn::ForEach iteration of properties, or one of resources
	// that adds no resource, counts valueOverhead. A value
	// past the budget is unknown, with one error diagnostic: a small
	// template repeating Fn::Join over a large string, or YAML aliases of a
	// long text, cannot exhaust memory or the output, nor hide the
	// resources after it.
	MaxValueBytes = 64 << 20
	// valueOverhead is what one value counts besides its text: about what
	// a value costs in memory once it is part of a resource (its Values,
	// Unknown, Sensitive and Ranges entries).
	valueOverhead = 128
	// maxStringLen bounds a string built by Fn::Sub, Fn::Join,
	// Fn::Base64 or Fn::ToJsonString.
	maxStringLen = 4 << 20
	// maxListLen bounds a list built by Fn::Split.
	maxListLen = 100000
)

// Options configures loading a template.
type Options struct {
	// Parameters are --cfn-parameter Key=Value values. They win over the
	// parameter files. A pseudo parameter (AWS::Region, AWS::AccountId,
	// ...) can be given the same way; otherwise pseudo parameters are
	// unknown.
	Parameters map[string]string
	// ParameterFiles are applied in order; a later file wins.
	ParameterFiles []ParamFile
}

// samTransform is the transform that makes a template a SAM template.
const samTransform = "AWS::Serverless-2016-10-31"

// tmpl is the state of loading one template.
type tmpl struct {
	file  string
	root  *Node
	opts  Options
	g     *graph.Graph
	diags []graph.Diagnostic

	given      map[string]givenValue
	params     map[string]*param
	mappings   *Node
	conditions *Node
	// resourceIDs are the declared logical IDs (after Fn::ForEach
	// expansion), whether or not their Condition holds.
	resourceIDs map[string]bool

	conds     map[string]tri
	condBusy  map[string]bool
	condTaint map[string]bool // conditions computed from NoEcho parameters
	taint     bool            // a condition evaluated since the flag was cleared was computed from one
	// hiddenKeys are the Fn::ForEach output keys reported for building
	// a logical ID or a property name from a NoEcho value.
	hiddenKeys map[*Node]bool
	// written are the places where parameter values are written (see
	// maskSecrets).
	written []written

	// env holds the Fn::ForEach loop variables in scope, innermost last.
	env []binding

	budget     budget
	depth      int
	fnDepth    int
	depthNoted bool
}

// IsTemplate reports whether a decoded JSON or YAML document is a
// CloudFormation template: a mapping with AWSTemplateFormatVersion, or
// with a Resources mapping one of whose entries has a Type starting with
// "AWS::", "Custom::" or "Alexa::", or is an Fn::ForEach loop. Other
// documents are not templates and are passed over quietly.
func IsTemplate(n *Node) bool {
	if n == nil || n.Kind != Mapping {
		return false
	}
	if n.Get("AWSTemplateFormatVersion") != nil {
		return true
	}
	res := n.Get("Resources")
	if res == nil || res.Kind != Mapping {
		return false
	}
	for i, v := range res.Values {
		if strings.HasPrefix(res.Keys[i].Value, forEachPrefix) {
			return true
		}
		if v == nil || v.Kind != Mapping {
			continue
		}
		if ty := v.Get("Type"); ty != nil && ty.Kind == String && isResourceType(ty.Value) {
			return true
		}
	}
	return false
}

func isResourceType(s string) bool {
	return strings.HasPrefix(s, "AWS::") || strings.HasPrefix(s, "Custom::") || strings.HasPrefix(s, "Alexa::")
}

// LoadTemplate evaluates a decoded template into a graph: one resource per
// logical ID (per Fn::ForEach iteration) whose Condition does not evaluate
// to false. src is the file's content, kept in the graph's Sources. It
// never returns nil and never panics.
//
// Each resource has Address and Name = the logical ID, Type = its Type,
// Mode "managed", Provider "aws", and Range = the range of the logical ID
// (as Terraform resources are located at their block header; Ranges[""]
// is the same). Values, Unknown and Sensitive are the evaluated Properties
// in plan JSON's conventions; Ranges has every property path down to list
// elements: a literal is located where it is written, a value an intrinsic
// function computed at the call (a parameter's value where it is
// referenced, with the parameter's Default or parameter file entry in
// Origins), and Fn::If is transparent: the value is the branch taken, with
// its own ranges.
//
// Parameter values are strings, Number parameters included: CloudFormation
// passes every parameter to properties as a string, so FromPort: !Ref Port
// is "22" where FromPort: 22 is the number 22; policies convert (the port
// helpers of policies/lib accept both). List parameters (CommaDelimitedList,
// List<...>) are lists of strings; SSM parameter types are unknown.
//
// Refs are the Ref, Fn::GetAtt and Fn::Sub references to resources, at the
// path of the property whose value contains them (TargetAttribute "Ref"
// for Ref and ${Res}); of an Fn::If only the branch taken, or both when the
// condition is unknown. Meta holds: "condition" (the resource's Condition)
// and "condition_unknown" (true when it cannot be decided; the resource is
// kept), "depends_on" (DependsOn, not an edge), "deletion_policy",
// "update_replace_policy", "imports" ([{attribute, export}] for
// Fn::ImportValue; export absent when not known), "template_file" (a
// nested stack's local template), "expansion" ("for_each", or "unknown"
// for the one representative resource of an Fn::ForEach over an unknown
// collection) and "properties_unknown".
func LoadTemplate(file string, root *Node, src []byte, opts Options) (g *graph.Graph) {
	g = &graph.Graph{Format: graph.FormatCloudFormation, Root: file, Files: []string{file},
		Sources: map[string][]byte{}}
	if src != nil {
		g.Sources[file] = src
	}
	t := &tmpl{file: file, root: root, opts: opts, g: g, budget: budget{diag: -1}}
	defer func() {
		if r := recover(); r != nil {
			t.diags = append(t.diags, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  "internal error while loading the template; please report it",
				Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
				Range:    graph.Range{File: file},
			})
		}
		t.finishBudget()
		g.Diagnostics = append(g.Diagnostics, t.diags...)
		sort.Strings(g.Files[1:])
		sort.SliceStable(g.Ignores, func(i, j int) bool {
			a, b := g.Ignores[i], g.Ignores[j]
			if a.Range.Start.Byte != b.Range.Start.Byte {
				return a.Range.Start.Byte < b.Range.Start.Byte
			}
			return a.Resource < b.Resource
		})
		g.Link()
	}()
	if root == nil {
		return g
	}
	if root.Kind != Mapping {
		t.errorf(root.Range, "invalid template", "a template is a mapping with a Resources section")
		return g
	}
	t.load()
	return g
}

// NestedTemplates returns the local template files that the graph's nested
// stacks (AWS::CloudFormation::Stack TemplateURL, AWS::Serverless::Application
// Location) name, relative to the scan root, sorted: the caller scans each
// as a template of its own.
func NestedTemplates(g *graph.Graph) []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range g.Resources {
		if f, ok := r.Meta["template_file"].(string); ok && !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	sort.Strings(out)
	return out
}

func (t *tmpl) errorf(rng graph.Range, summary, detail string) {
	t.diags = append(t.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: summary, Detail: detail, Range: rng})
}

func (t *tmpl) warnf(rng graph.Range, summary, detail string) {
	t.diags = append(t.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: summary, Detail: detail, Range: rng})
}

// resourceDecl is one resource declaration to evaluate: a Resources entry,
// or one iteration of an Fn::ForEach over resources.
type resourceDecl struct {
	id   string
	key  *Node // the logical ID as written
	body *Node
	env  []binding
	// expansion is "for_each" for a resource made by Fn::ForEach, "unknown"
	// for the one representative resource of an Fn::ForEach over an unknown
	// collection.
	expansion string
}

func (t *tmpl) load() {
	t.mappings = t.root.Get("Mappings")
	t.conditions = t.root.Get("Conditions")
	if t.conditions != nil && t.conditions.Kind != Mapping {
		t.errorf(t.conditions.Range, "invalid Conditions section", "Conditions must be a mapping of condition names to conditions")
		t.conditions = nil
	}
	t.conds, t.condBusy, t.condTaint = map[string]tri{}, map[string]bool{}, map[string]bool{}
	t.beginUnit() // what the template evaluates outside resources
	t.bindParameters()
	t.maskSecrets()

	sec := t.root.Get("Resources")
	if sec == nil {
		return
	}
	if sec.Kind != Mapping {
		t.errorf(sec.Range, "invalid Resources section", "Resources must be a mapping of logical IDs to resources")
		return
	}
	decls := t.expandResources(sec)
	if len(decls) > MaxResources {
		t.errorf(decls[MaxResources].key.Range, "too many resources",
			fmt.Sprintf("the template declares more than %d resources (the limit, Fn::ForEach expansions included); "+
				"this one and the rest are not evaluated", MaxResources))
		decls = decls[:MaxResources]
	}
	t.resourceIDs = map[string]bool{}
	for _, d := range decls {
		t.resourceIDs[d.id] = true
	}
	globals := t.samGlobals()
	for _, d := range decls {
		if r := t.resource(d, globals); r != nil {
			t.g.Resources = append(t.g.Resources, r)
		}
	}
}

// expandResources lists the resource declarations, expanding Fn::ForEach
// and reporting duplicate logical IDs (once per key as written).
func (t *tmpl) expandResources(sec *Node) []resourceDecl {
	var out []resourceDecl
	seen := map[string]bool{}
	dupReported := map[*Node]bool{}
	// add reports whether it added a declaration.
	var add func(key, body *Node, id string, env []binding, expansion string) bool
	add = func(key, body *Node, id string, env []binding, expansion string) bool {
		if len(out) > MaxResources {
			return false
		}
		if strings.HasPrefix(id, forEachPrefix) {
			before := len(out)
			t.forEach(key, body, env, func(k, b *Node, id string, env []binding, exp string) bool {
				if expansion == "unknown" {
					exp = expansion
				}
				return add(k, b, id, env, exp)
			})
			return len(out) > before
		}
		if seen[id] {
			if !dupReported[key] {
				dupReported[key] = true
				t.errorf(key.Range, "duplicate resource", fmt.Sprintf("logical ID %s is declared more than once; the first declaration is used", id))
			}
			return false
		}
		seen[id] = true
		out = append(out, resourceDecl{id: id, key: key, body: body, env: env, expansion: expansion})
		return true
	}
	for i, k := range sec.Keys {
		add(k, sec.Values[i], k.Value, nil, "")
	}
	return out
}

// resource evaluates one resource declaration; nil when the declaration
// is invalid or its Condition is false (counted in Graph.NotCreated).
func (t *tmpl) resource(d resourceDecl, globals map[string]*Node) *graph.Resource {
	body := d.body
	if body == nil || body.Kind != Mapping {
		t.errorf(d.key.Range, "invalid resource", fmt.Sprintf("resource %s must be a mapping with a Type", d.id))
		return nil
	}
	tyNode := body.Get("Type")
	switch {
	case tyNode == nil || (tyNode.Kind == String && tyNode.Value == ""):
		t.errorf(d.key.Range, "invalid resource", fmt.Sprintf("resource %s has no Type", d.id))
		return nil
	case tyNode.Kind != String:
		t.errorf(tyNode.Range, "invalid resource", fmt.Sprintf("the Type of resource %s is not a string "+
			"(a preprocessor directive such as Rain::Module? scan the processed template)", d.id))
		return nil
	}
	t.beginUnit()
	t.env = d.env
	defer func() { t.env = nil }()
	meta := map[string]any{}
	if d.expansion != "" {
		meta["expansion"] = d.expansion
	}
	if c := body.Get("Condition"); c != nil {
		if c.Kind != String {
			t.errorf(c.Range, "invalid resource Condition", "a resource's Condition is the name of a condition")
		} else {
			switch t.condition(c.Value, c.Range) {
			case tFalse:
				t.g.NotCreated++
				return nil
			case tUnknown:
				meta["condition"] = c.Value
				meta["condition_unknown"] = true
			default:
				meta["condition"] = c.Value
			}
		}
	}
	r := &graph.Resource{
		Address:  d.id,
		Mode:     "managed",
		Type:     tyNode.Value,
		Name:     d.id,
		Format:   graph.FormatCloudFormation,
		Provider: "aws",
		Range:    d.key.Range,
		Ranges:   map[string]graph.Range{"": d.key.Range},
		Origins:  map[string][]graph.Origin{},
		Meta:     meta,
	}
	props := body.Get("Properties")
	if g := globals[r.Type]; g != nil {
		props = mergeGlobals(g, props)
	}
	var pv *value
	if props != nil {
		pv = t.eval(props)
		switch pv.kind {
		case vMap, vUnknown, vNull:
		case vNoValue:
			pv = nil
		default:
			t.errorf(props.Range, "invalid resource Properties", fmt.Sprintf("the Properties of %s must be a mapping", d.id))
			pv = nil
		}
	}
	(&resourceTrees{res: r}).fill(pv)
	if pv != nil && pv.kind == vUnknown {
		// Properties chosen by an Fn::If on an unknown condition: every
		// property either branch sets is unknown, so no rule reports one
		// as missing.
		for _, k := range branchKeys(props, 0) {
			r.Unknown[k] = true
		}
	}
	t.resourceMeta(r, body)
	t.g.Ignores = append(t.g.Ignores, t.ignores(r.Address, body)...)
	return r
}

// resourceMeta records the resource attributes policies may read:
// DependsOn, DeletionPolicy, UpdateReplacePolicy, and the local template of
// a nested stack.
func (t *tmpl) resourceMeta(r *graph.Resource, body *Node) {
	if dn := body.Get("DependsOn"); dn != nil {
		var deps []any
		switch dn.Kind {
		case String:
			deps = append(deps, dn.Value)
		case Sequence:
			for _, it := range dn.Items {
				if it.Kind == String {
					deps = append(deps, it.Value)
				}
			}
		}
		if len(deps) > 0 {
			r.Meta["depends_on"] = deps
		}
	}
	for attr, key := range map[string]string{"DeletionPolicy": "deletion_policy", "UpdateReplacePolicy": "update_replace_policy"} {
		if n := body.Get(attr); n != nil {
			if v := t.eval(n); v.kind == vString && !v.anySensitive() {
				r.Meta[key] = v.text
			}
		}
	}
	var loc, attr string
	switch r.Type {
	case "AWS::CloudFormation::Stack":
		attr = "TemplateURL"
	case "AWS::Serverless::Application":
		attr = "Location"
	}
	if v, ok := r.Values[attr].(string); ok {
		loc = v
	}
	f, ok := t.localTemplate(loc)
	switch {
	case !ok:
	case r.Sensitive[attr] != nil:
		// The file's name would be shown as the nested graph's root.
		t.errorf(r.Ranges[attr], "nested template not followed",
			"the location of the nested stack's template comes from a NoEcho parameter, which is never shown; the template is not loaded through it")
	case f == ".." || strings.HasPrefix(f, "../"):
		// A local template above the scan root: its resources are lost.
		t.errorf(r.Ranges[attr], "nested template not followed",
			fmt.Sprintf("the nested stack's template %s is outside the scan root, so its resources are not scanned; scan from a directory that contains it (--root)", loc))
	default:
		r.Meta["template_file"] = f
	}
}

// localTemplate resolves a nested stack's template location when it is a
// local path (no URL scheme), relative to this template's directory,
// inside the scan root.
func (t *tmpl) localTemplate(loc string) (string, bool) {
	loc = strings.TrimSpace(loc)
	if loc == "" || strings.Contains(loc, "://") || strings.HasPrefix(loc, "/") || strings.Contains(loc, "\\") {
		return "", false
	}
	if i := strings.IndexByte(loc, ':'); i >= 0 && !strings.ContainsAny(loc[:i], "/.") {
		return "", false // another scheme (s3:foo)
	}
	return path.Join(path.Dir(t.file), loc), true
}

// ignores reads a resource's inline ignores:
//
//	Metadata:
//	  portcullis:
//	    ignore:
//	      - rule: PCS-AWS-001            # or rules: [PCS-AWS-001, PCS-AWS-003]; "*" is every rule
//	        reason: Public HTTPS endpoint # required
//	        owner: team-net              # optional
//	        ticket: SEC-123              # optional
//	        expires: 2027-01-31          # optional, YYYY-MM-DD: the last day it applies
//
// Each entry is an ignore bound to the resource (Resource is its logical
// ID, Line 0), its range the entry. A malformed entry (not a mapping, no
// rule, a malformed rule id, no reason, an unknown key, a value that is
// not text, a bad date) or a malformed Metadata.portcullis is kept with
// Problem set: it is not applied, and the triage stage reports it.
func (t *tmpl) ignores(id string, body *Node) []graph.Ignore {
	pc := body.Get("Metadata").Get("portcullis")
	if pc == nil {
		return nil
	}
	ig := graph.Ignore{Root: t.file, Resource: id}
	ign := pc.Get("ignore")
	if pc.Kind != Mapping || ign == nil || ign.Kind != Sequence || len(pc.Keys) != 1 {
		ig.Range = pc.Range
		ig.Problem = "Metadata.portcullis must be a mapping with one key, ignore: a list of entries {rule, reason}"
		return []graph.Ignore{ig}
	}
	out := make([]graph.Ignore, 0, len(ign.Items))
	for _, e := range ign.Items {
		ig := ig
		ig.Range = e.Range
		ig.Problem = readIgnoreEntry(&ig, e)
		out = append(out, ig)
	}
	return out
}

// readIgnoreEntry reads an entry of Metadata.portcullis.ignore into ig; it
// returns a problem.
func readIgnoreEntry(ig *graph.Ignore, e *Node) string {
	const keys = "the keys are rule or rules, reason, owner, ticket and expires"
	if e.Kind != Mapping {
		return "an ignore entry must be a mapping (" + keys + ")"
	}
	var rule, rules *Node
	for i, k := range e.Keys {
		v := e.Values[i]
		var dst *string
		switch k.Value {
		case "rule":
			rule = v
			continue
		case "rules":
			rules = v
			continue
		case "reason":
			dst = &ig.Reason
		case "owner":
			dst = &ig.Owner
		case "ticket":
			dst = &ig.Ticket
		case "expires":
			dst = &ig.Expires
		default:
			return fmt.Sprintf("unknown key %q in an ignore entry (%s)", cleanText(k.Value), keys)
		}
		text, ok := scalarText(v)
		if !ok {
			return fmt.Sprintf("%s of an ignore entry must be text", k.Value)
		}
		*dst = text
	}
	switch {
	case rule != nil && rules != nil:
		return "an ignore entry has both rule and rules"
	case rule != nil:
		id, ok := scalarText(rule)
		if !ok {
			return "rule of an ignore entry must be a rule id (rules: a list of rule ids)"
		}
		ig.Rules = []string{id}
	case rules != nil:
		if rules.Kind != Sequence {
			return "rules of an ignore entry must be a list of rule ids"
		}
		for _, r := range rules.Items {
			id, ok := scalarText(r)
			if !ok {
				return "rules of an ignore entry must be a list of rule ids"
			}
			ig.Rules = append(ig.Rules, id)
		}
	}
	if len(ig.Rules) == 0 {
		return `an ignore entry needs a rule id: rule: PCS-AWS-001, or "*" for every rule`
	}
	for _, id := range ig.Rules {
		if !graph.ValidRuleID(id) {
			return fmt.Sprintf("%q is not a rule id (letters, digits and _ . -, or * alone)", id)
		}
	}
	ids := strings.Join(ig.Rules, ",")
	switch {
	case ig.Reason == "":
		return "the ignore of " + ids + " needs a reason"
	case ig.Owner == "" && e.Get("owner") != nil, ig.Ticket == "" && e.Get("ticket") != nil:
		return "the ignore of " + ids + " has an empty owner or ticket"
	case ig.Expires != "" && !graph.IsDate(ig.Expires):
		return fmt.Sprintf("the ignore of %s: expires %q is not a date YYYY-MM-DD", ids, ig.Expires)
	}
	return ""
}

// scalarText is the trimmed text of a string or number node, control
// characters replaced.
func scalarText(n *Node) (string, bool) {
	if n == nil || (n.Kind != String && n.Kind != Number) || n.Tag != "" {
		return "", false
	}
	return cleanText(strings.TrimSpace(n.Value)), true
}

// cleanText replaces control characters (a terminal escape in a reason)
// and bytes that are not UTF-8 with U+FFFD.
func cleanText(s string) string {
	return strings.Map(func(r rune) rune {
		if r != '\t' && unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}

// branchKeys lists the keys of the mappings an Fn::If (possibly nested)
// may produce.
func branchKeys(n *Node, depth int) []string {
	if n == nil || depth > 32 {
		return nil
	}
	if n.Kind == Mapping && len(n.Keys) == 1 && n.Keys[0].Value == "Fn::If" {
		args := n.Values[0]
		if args == nil || args.Kind != Sequence || len(args.Items) != 3 {
			return nil
		}
		return append(branchKeys(args.Items[1], depth+1), branchKeys(args.Items[2], depth+1)...)
	}
	if n.Kind != Mapping {
		return nil
	}
	out := make([]string, 0, len(n.Keys))
	for _, k := range n.Keys {
		out = append(out, k.Value)
	}
	return out
}
