package policies

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/open-policy-agent/opa/v1/topdown"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// Rules returns the metadata of every rule, sorted by ID: opt-in and
// disabled rules too.
func (e *Engine) Rules() []finding.Rule { return append([]finding.Rule(nil), e.all...) }

// Enabled returns the metadata of the rules that run, sorted by ID: every
// rule but the opt-in ones not enabled and the disabled ones. A built-in
// rule runs on the graphs that hold one of its resource types (every graph
// if it lists none); a user rule on every graph.
func (e *Engine) Enabled() []finding.Rule {
	var out []finding.Rule
	for i, r := range e.all {
		if e.enabled[i] {
			out = append(out, r)
		}
	}
	return out
}

// evaluation is the evaluation of the rules that run on one graph, from one
// compilation: rules and queries are those rules only (index i of one is
// index i of the other).
type evaluation struct {
	*Engine
	compiler *ast.Compiler
	rules    []finding.Rule
	queries  []*queries
	keys     keyCache // the list digests of the findings' content keys (key.go)
	// ruleFuncs keeps function results for one rule's query only (see
	// passCache): on a large graph.
	ruleFuncs bool
}

// ruleFuncsFrom is the number of resources from which a graph's function
// results are kept for one rule's query only: they then cost more memory
// than recomputing them costs time (on 10,000 resources, 22% of the
// memory the evaluation held, for 15% more time).
const ruleFuncsFrom = 5000

// typesOf returns the set of the resource types of g (data sources
// included).
func typesOf(g *graph.Graph) map[string]bool {
	types := map[string]bool{}
	for _, r := range g.Resources {
		types[r.Type] = true
	}
	return types
}

// result is one element of a rule's deny set.
type result struct {
	Resource  string `json:"resource"`
	Attribute string `json:"attribute"`
	Message   string `json:"message"`
	Severity  string `json:"severity"`
}

// failureKind says why a rule has no results over a graph.
type failureKind int

const (
	failError     failureKind = iota + 1 // a runtime error: conflict, builtin error, type error
	failTimeout                          // the rule exceeded Options.Timeout
	failCancelled                        // the caller's context ended first
)

// failure is why a rule produced no results over one input document.
type failure struct {
	kind     failureKind
	code     string // OPA's error code (failError)
	message  string // OPA's error message (failError)
	location string // file:line:column in the policy, when OPA gives one
}

// run is the outcome of one rule over one input document.
type run struct {
	evaluated bool
	deny      any // the deny set as OPA returns it ([]any)
	fail      *failure
	// builtin are the builtin errors a lenient query collected.
	builtin []topdown.Error
}

// outcome is a run decoded: the valid results and a diagnostic for each
// malformed one.
type outcome struct {
	results []result
	diags   []graph.Diagnostic
}

// Evaluate runs the rules over g: the enabled built-in rules that list one
// of the resource types g holds or none, and the enabled user rules.
// Findings point at the most precise
// recorded range of the attribute each rule names. A rule that fails (a
// runtime error, a builtin error, a timeout) or returns a malformed result
// is an error diagnostic naming the rule; the findings of the other rules
// are kept. The error is only for a graph nothing could be evaluated on
// (its input document cannot be built). When the graph holds sensitive
// values, nothing a rule returns carries one (see sensitive.go).
func (e *Engine) Evaluate(ctx context.Context, g *graph.Graph) (fs []finding.Finding, ds []graph.Diagnostic, err error) {
	defer func() {
		if r := recover(); r != nil {
			fs, ds, err = nil, nil, fmt.Errorf("evaluating policies on %s: internal error: %v", g.Root, r)
		}
	}()
	types := typesOf(g)
	sel := e.selectFor(types)
	if len(sel) == 0 {
		return nil, nil, nil
	}
	st, err := e.ensure(ctx, sel, types)
	if err != nil {
		return nil, nil, err
	}
	v := &evaluation{Engine: e, compiler: st.compiler}
	for _, i := range sel {
		v.rules = append(v.rules, e.all[i])
		v.queries = append(v.queries, st.queries[i])
	}
	return v.evaluate(ctx, g)
}

func (e *evaluation) evaluate(ctx context.Context, g *graph.Graph) ([]finding.Finding, []graph.Diagnostic, error) {
	e.ruleFuncs = len(g.Resources) >= ruleFuncsFrom
	input, err := inputValue(g, func(r *graph.Resource) map[string]any { return r.Values })
	if err != nil {
		return nil, nil, fmt.Errorf("building policy input for %s: %w", g.Root, err)
	}
	runs, outs := e.pass(ctx, g, input, e.limit(g), func(int) bool { return true }, true)
	var findings []finding.Finding
	var diags []graph.Diagnostic
	if hasSensitive(g) {
		findings, diags = e.sanitize(ctx, g, runs, outs)
	} else {
		for i, rule := range e.rules {
			for _, r := range outs[i].results {
				findings = append(findings, e.finding(rule, g, r, r.Attribute, r.Message))
			}
			diags = append(diags, outs[i].diags...)
			if f := runs[i].fail; f != nil && f.kind != failCancelled {
				diags = append(diags, e.failureDiag(rule, g, f, ""))
			}
		}
	}
	if d := cancelledDiag(ctx, e.rules, g, runs); d != nil {
		diags = append(diags, *d)
	}
	sort.SliceStable(findings, func(i, j int) bool { return finding.Less(findings[i], findings[j]) })
	findings = dedupe(findings)
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Summary+diags[i].Detail < diags[j].Summary+diags[j].Detail })
	return findings, diags, nil
}

// pass evaluates the rules for which which(i) holds over one input
// document, one query per rule, in order. The queries share OPA's cache of
// computed rules and functions, so the library is computed once for all the
// rules; after a failed query the cache starts afresh, so that a value left
// half-computed by the failure (the first output of a conflicting function)
// is never used by the next rule. Each rule gets its own time budget.
// strict selects the queries that stop at the first builtin error. Each
// deny set is decoded as soon as its query ends, and only the outcome is
// kept (run.deny is nil): on a large graph the deny sets of every rule as
// OPA returns them would be held at once.
func (e *evaluation) pass(ctx context.Context, g *graph.Graph, input ast.Value, limit time.Duration, which func(i int) bool, strict bool) ([]run, []outcome) {
	runs := make([]run, len(e.rules))
	outs := make([]outcome, len(e.rules))
	cache := newPassCache()
	for i := range e.rules {
		if !which(i) {
			continue
		}
		if ctx.Err() != nil {
			runs[i] = run{fail: &failure{kind: failCancelled}}
			continue
		}
		if e.ruleFuncs {
			cache.funcs = newCallCache()
		}
		runs[i] = e.evalRule(ctx, i, input, limit, cache, strict)
		if runs[i].fail != nil {
			cache = newPassCache()
		}
		outs[i] = e.decode(e.rules[i], g, runs[i])
		runs[i].deny = nil
	}
	return runs, outs
}

// passCache is OPA's cache of computed values for the queries of one pass.
// The documents the rules compute (the library's normalised views) are kept
// for the whole pass, so that each is computed once for every rule that
// reads it. So are the results of function calls, unless the graph is large
// (evaluation.ruleFuncs): keyed by their arguments, which are whole
// resources, there is one per resource and call, and they are then kept
// for the query of one rule only.
type passCache struct {
	docs, funcs topdown.VirtualCache
}

func newPassCache() *passCache {
	return &passCache{docs: topdown.NewVirtualCache(), funcs: newCallCache()}
}

// of returns the cache of ref: the key of a function call starts with the
// function's reference, that of a document with data.
func (c *passCache) of(ref ast.Ref) topdown.VirtualCache {
	if len(ref) > 0 {
		if _, ok := ref[0].Value.(ast.Ref); ok {
			return c.funcs
		}
	}
	return c.docs
}

func (c *passCache) Push() {
	c.docs.Push()
	c.funcs.Push()
}

func (c *passCache) Pop() {
	c.docs.Pop()
	c.funcs.Pop()
}

func (c *passCache) Get(ref ast.Ref) (*ast.Term, bool) { return c.of(ref).Get(ref) }

func (c *passCache) Put(ref ast.Ref, value *ast.Term) { c.of(ref).Put(ref, value) }

func (c *passCache) Keys() []ast.Ref { return append(c.docs.Keys(), c.funcs.Keys()...) }

// callCache is a VirtualCache of function results: one map entry per
// call, keyed by the hash of the function and its arguments. OPA's own
// cache is a tree with a map per argument position (a call of a function
// of six arguments makes six maps), which on a large graph, one call per
// resource, cost more than the results it keeps.
type callCache struct {
	frames []map[int][]*callEntry
}

// callEntry is one call's result: undefined once a call was recorded as
// undefined, as in OPA's cache.
type callEntry struct {
	ref       ast.Ref
	value     *ast.Term
	undefined bool
}

func newCallCache() *callCache {
	c := &callCache{}
	c.Push()
	return c
}

func (c *callCache) Push() { c.frames = append(c.frames, map[int][]*callEntry{}) }

// Pop drops the top frame (OPA pops only what it pushed; the first frame
// stays).
func (c *callCache) Pop() {
	if len(c.frames) > 1 {
		c.frames = c.frames[:len(c.frames)-1]
	}
}

func (c *callCache) top() map[int][]*callEntry { return c.frames[len(c.frames)-1] }

// callHash is the hash of a call, its arguments' positions counted.
func callHash(ref ast.Ref) int {
	h := 0
	for _, t := range ref {
		h = h*31 + t.Value.Hash()
	}
	return h
}

func (c *callCache) find(ref ast.Ref, h int) *callEntry {
	for _, e := range c.top()[h] {
		if e.ref.Equal(ref) {
			return e
		}
	}
	return nil
}

func (c *callCache) Get(ref ast.Ref) (*ast.Term, bool) {
	e := c.find(ref, callHash(ref))
	switch {
	case e == nil:
		return nil, false
	case e.undefined:
		return nil, true
	}
	return e.value, false
}

func (c *callCache) Put(ref ast.Ref, value *ast.Term) {
	h := callHash(ref)
	e := c.find(ref, h)
	if e == nil {
		// OPA reuses the slice of ref for its next call.
		e = &callEntry{ref: append(ast.Ref(nil), ref...)}
		c.top()[h] = append(c.top()[h], e)
	}
	if value == nil {
		e.undefined = true
	} else {
		e.value = value
	}
}

func (c *callCache) Keys() []ast.Ref {
	var keys []ast.Ref
	for _, es := range c.top() {
		for _, e := range es {
			keys = append(keys, e.ref)
		}
	}
	return keys
}

// limit is the time limit of one rule over g.
func (e *Engine) limit(g *graph.Graph) time.Duration {
	return e.timeout + time.Duration(len(g.Resources))*e.perResource
}

// evalRule runs the query of rule i under its own deadline.
func (e *evaluation) evalRule(ctx context.Context, i int, input ast.Value, limit time.Duration, cache topdown.VirtualCache, strict bool) run {
	rctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	if err := e.queries[i].prepare(ctx, e.compiler, e.rules[i]); err != nil {
		return run{fail: &failure{kind: failError, message: oneLine(err.Error())}}
	}
	opts := []rego.EvalOption{rego.EvalParsedInput(input), rego.EvalVirtualCache(cache)}
	q := e.queries[i].strict
	var builtin []topdown.Error
	if !strict {
		q = e.queries[i].lenient
		opts = append(opts, rego.EvalBuiltinErrorList(&builtin))
	}
	rs, err := q.Eval(rctx, opts...)
	r := run{evaluated: true, builtin: builtin}
	switch {
	case err == nil && len(rs) > 0:
		r.deny = rs[0].Bindings[resultVar]
	case err == nil:
		// deny is a partial set, defined even when empty; an undefined
		// result would be an OPA change, not a rule with no findings.
		r.fail = &failure{kind: failError, code: "undefined", message: "the query of the rule's deny set returned no result"}
	case ctx.Err() != nil:
		r = run{fail: &failure{kind: failCancelled}}
	case rctx.Err() != nil || topdown.IsCancel(err):
		r.fail = &failure{kind: failTimeout}
	default:
		r.fail = &failure{kind: failError, message: oneLine(err.Error())}
		var te *topdown.Error
		if errors.As(err, &te) {
			r.fail.code, r.fail.message, r.fail.location = te.Code, oneLine(te.Message), regoLocation(te.Location)
		}
	}
	return r
}

// oneLine joins the lines of an OPA message ("conflicting values:\n  1 at
// a.rego:3\n  2 at a.rego:5") into one, for a diagnostic.
func oneLine(msg string) string {
	lines := strings.Split(strings.TrimSpace(msg), "\n")
	for i := range lines {
		lines[i] = strings.TrimSpace(lines[i])
	}
	if len(lines) == 1 {
		return lines[0]
	}
	return lines[0] + " " + strings.Join(lines[1:], "; ")
}

// regoLocation formats a location in a policy file.
func regoLocation(loc *ast.Location) string {
	if loc == nil || loc.File == "" {
		return ""
	}
	return fmt.Sprintf("%s:%d:%d", loc.File, loc.Row, loc.Col)
}

// decode checks each element of a rule's deny set: a malformed one is a
// diagnostic.
func (e *Engine) decode(rule finding.Rule, g *graph.Graph, r run) outcome {
	var o outcome
	if r.fail != nil || !r.evaluated {
		return o
	}
	items, ok := r.deny.([]any)
	if !ok {
		o.diags = append(o.diags, malformed(rule, g, fmt.Sprintf("deny must be a set, got %T", r.deny)))
		return o
	}
	for _, it := range items {
		res, d := check(rule, g, it)
		if d != nil {
			o.diags = append(o.diags, *d)
			continue
		}
		o.results = append(o.results, res)
	}
	return o
}

// check decodes and validates one element of a deny set.
func check(rule finding.Rule, g *graph.Graph, it any) (result, *graph.Diagnostic) {
	r, ok := plainResult(it)
	if !ok {
		b, _ := json.Marshal(it)
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			d := malformed(rule, g, fmt.Sprintf("want {resource, attribute, message, severity}: %v: %s", err, b))
			return r, &d
		}
	}
	if g.Resource(r.Resource) == nil {
		d := malformed(rule, g, fmt.Sprintf("resource %q is not in the graph", r.Resource))
		return r, &d
	}
	if r.Message == "" {
		d := malformed(rule, g, "message is empty")
		return r, &d
	}
	if r.Severity != "" {
		if _, err := finding.ParseSeverity(r.Severity); err != nil {
			d := malformed(rule, g, err.Error())
			return r, &d
		}
	}
	return r, nil
}

// plainResult reads an element of a deny set that names only the fields
// of a result, exactly, each with a string of valid UTF-8: what the JSON
// decoding in check gives for it, without encoding it (a large graph has
// hundreds of thousands of results). ok is false for any other element.
func plainResult(it any) (r result, ok bool) {
	m, ok := it.(map[string]any)
	if !ok {
		return result{}, false
	}
	for k, v := range m {
		s, ok := v.(string)
		if !ok || !utf8.ValidString(s) {
			return result{}, false
		}
		switch k {
		case "resource":
			r.Resource = s
		case "attribute":
			r.Attribute = s
		case "message":
			r.Message = s
		case "severity":
			r.Severity = s
		default:
			return result{}, false
		}
	}
	return r, true
}

func malformed(rule finding.Rule, g *graph.Graph, detail string) graph.Diagnostic {
	return graph.Diagnostic{
		Severity: graph.SeverityError,
		Summary:  fmt.Sprintf("rule %s returned a malformed result", rule.ID),
		Detail:   fmt.Sprintf("%s (%s, evaluating %s)", detail, rule.File, g.Root),
		Range:    graph.Range{File: g.Root},
	}
}

// failureDiag reports a rule that failed over a graph. withheld, when not
// empty, replaces OPA's error message (which may quote a sensitive value).
func (e *Engine) failureDiag(rule finding.Rule, g *graph.Graph, f *failure, withheld string) graph.Diagnostic {
	d := graph.Diagnostic{Severity: graph.SeverityError, Range: graph.Range{File: g.Root}}
	const lost = "its findings for this root are not reported"
	switch f.kind {
	case failTimeout:
		d.Summary = fmt.Sprintf("rule %s timed out on %s", rule.ID, g.Root)
		d.Detail = fmt.Sprintf("the evaluation exceeded its time limit of %s (%s plus %s per resource, %d resources) (%s); %s",
			e.limit(g), e.timeout, e.perResource, len(g.Resources), rule.File, lost)
	default:
		msg := f.message
		if withheld != "" {
			msg = withheld
		}
		where := f.location
		if where == "" {
			where = rule.File
		}
		code := f.code
		if code != "" {
			code += ": "
		}
		d.Summary = fmt.Sprintf("rule %s failed on %s", rule.ID, g.Root)
		d.Detail = fmt.Sprintf("%s: %s%s (rule %s); %s", where, code, msg, rule.File, lost)
	}
	return d
}

// cancelledDiag reports the rules that were not evaluated because the
// caller's context ended.
func cancelledDiag(ctx context.Context, rules []finding.Rule, g *graph.Graph, runs []run) *graph.Diagnostic {
	var ids []string
	for i, r := range runs {
		if r.fail != nil && r.fail.kind == failCancelled {
			ids = append(ids, rules[i].ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	cause := "cancelled"
	if err := ctx.Err(); err != nil {
		cause = err.Error()
	}
	return &graph.Diagnostic{
		Severity: graph.SeverityError,
		Summary:  fmt.Sprintf("policy evaluation of %s stopped: %s", g.Root, cause),
		Detail:   "rules not evaluated: " + strings.Join(ids, ", "),
		Range:    graph.Range{File: g.Root},
	}
}

// finding builds the finding of a valid result. attribute is the path
// reported (it may be shorter than the one the rule named, see
// sensitive.go); the location is that of the path the rule named. Blocks
// are the resource's header and the module blocks in the repository that
// called it, innermost first; Key is the content key of the attribute
// reported (key.go). Whether an ignore covers the finding is the triage
// stage's business.
func (e *evaluation) finding(rule finding.Rule, g *graph.Graph, r result, attribute, message string) finding.Finding {
	res := g.Resource(r.Resource)
	sev := rule.Severity
	if r.Severity != "" {
		sev, _ = finding.ParseSeverity(r.Severity)
	}
	rg, related := res.Locate(r.Attribute)
	if attribute != r.Attribute {
		// The related locations name the path they describe.
		_, related = res.Locate(attribute)
	}
	blocks := []graph.Range{res.Range}
	for i := len(res.Callers) - 1; i >= 0; i-- {
		c := res.Callers[i]
		if !c.External && c.Range != blocks[len(blocks)-1] {
			blocks = append(blocks, c.Range)
		}
	}
	if e.keys == nil {
		e.keys = keyCache{}
	}
	// Bounded text: an instance key can be as long as a configuration
	// can make a string, and every output repeats it; a few hundred such
	// findings must not make gigabytes of output.
	for i := range related {
		related[i].Description = clip(related[i].Description, maxTextBytes)
	}
	return finding.Finding{
		RuleID:    rule.ID,
		Severity:  sev,
		Message:   clip(message, maxMessageBytes),
		Resource:  clip(res.Address, maxTextBytes),
		Type:      res.Type,
		Attribute: clip(attribute, maxTextBytes),
		Root:      g.Root,
		Location:  finding.Location{Range: rg, Related: related},
		Blocks:    blocks,
		Key:       clip(e.keys.contentKey(res, attribute), maxTextBytes),
	}
}

// Bounds on the text of one finding.
const (
	maxMessageBytes = 4096
	maxTextBytes    = 1024
)

// clip shortens s to at most max bytes (at a rune boundary), saying how
// much was left out.
func clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max - 64
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d more bytes)", len(s)-cut)
}

// dedupe drops a finding equal to the previous one (sorted input): two
// results that differed only in a withheld message.
func dedupe(fs []finding.Finding) []finding.Finding {
	out := fs[:0]
	for i, f := range fs {
		if i > 0 {
			p := fs[i-1]
			if p.RuleID == f.RuleID && p.Resource == f.Resource && p.Attribute == f.Attribute &&
				p.Message == f.Message && p.Severity == f.Severity && p.Location.Range == f.Location.Range {
				continue
			}
		}
		out = append(out, f)
	}
	return out
}
