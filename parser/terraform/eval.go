package terraform

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// evaluator evaluates one module instance on demand: every value is computed
// when first needed and memoised; a call stack shared by the whole module
// tree detects cycles.
type evaluator struct {
	st         *loadState
	cfg        *moduleConfig
	modulePath string // "" for the root module; module.a["k"].module.b
	callPath   string // dotted call names without keys: "a.b" (modules.json keys)
	depth      int
	parent     *evaluator
	callers    []graph.Origin // the module blocks from the root down to this instance
	callArgs   hcl.Attributes // the arguments of the call that created this instance
	callScope  *scope         // the caller's scope for this instance (count/each of the call)
	callFrom   cty.Value      // the value that decided the call's instance (see instance.from)
	callKey    cty.Value      // the key of the call's instance (see instance.key)
	funcs      map[string]function.Function

	vars       map[string]cty.Value
	locals     map[string]cty.Value
	outputs    map[string]cty.Value
	expansions map[string][]instance // resource config address → instances
	instVals   map[string]cty.Value  // instance address → configured object
	refVals    map[string]cty.Value  // resource address and attributes read → reference value
	calls      map[string][]instance // module call name → instances
	children   map[string]*evaluator // module instance address → evaluator
}

// instance is one expansion of a resource (or dynamic block element).
type instance struct {
	key     cty.Value // NilVal without count/for_each; a number, a string, or unknown
	scope   *scope
	unknown bool // a representative instance standing for an unknown collection
	// sensitive marks the one representative instance of a sensitive
	// for_each or count: its address shows a placeholder, never a key.
	sensitive bool
	// dropped: past the instance budget, nothing is evaluated for it (a
	// module's outputs and a resource's value are unknown).
	dropped bool
	// from is the value that decided this instance, with its marks: the
	// for_each element, or the count (true, marked as the count was);
	// NilVal without count or for_each.
	from cty.Value
}

// scope is what names bound by the enclosing constructs resolve to.
type scope struct {
	count     cty.Value // object {index}; NilVal when not in a counted resource
	each      cty.Value // object {key, value}; NilVal when not in for_each
	iterators map[string]cty.Value
}

func (s *scope) with(name string, v cty.Value) *scope {
	n := &scope{iterators: map[string]cty.Value{}}
	if s != nil {
		n.count, n.each = s.count, s.each
		for k, x := range s.iterators {
			n.iterators[k] = x
		}
	}
	n.iterators[name] = v
	return n
}

func newEvaluator(st *loadState, cfg *moduleConfig, modulePath string) *evaluator {
	e := &evaluator{
		st:         st,
		cfg:        cfg,
		modulePath: modulePath,
		funcs:      st.functions(),
		vars:       map[string]cty.Value{},
		locals:     map[string]cty.Value{},
		outputs:    map[string]cty.Value{},
		expansions: map[string][]instance{},
		instVals:   map[string]cty.Value{},
		refVals:    map[string]cty.Value{},
		calls:      map[string][]instance{},
		children:   map[string]*evaluator{},
	}
	st.useConfig(cfg)
	return e
}

func (e *evaluator) diag(sev graph.Severity, summary, detail string, r hcl.Range) {
	e.st.addDiag(graph.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: e.st.pos.rng(r)})
}

// push enters the evaluation of key (made unique across module instances);
// it reports a cycle and returns false if key is already being evaluated.
func (e *evaluator) push(key string, at hcl.Range) bool {
	key = e.prefixed(key)
	st := e.st
	if len(st.stack) >= MaxReferenceDepth {
		e.diag(graph.SeverityError, "references nested too deep",
			fmt.Sprintf("evaluating this needs a chain of more than %d values (locals, variables, outputs, resources) each waiting for the next; it is unknown", MaxReferenceDepth), at)
		return false
	}
	if st.inProgress[key] {
		i := len(st.stack) - 1
		for i > 0 && st.stack[i] != key {
			i--
		}
		cycle := append(append([]string{}, st.stack[i:]...), key)
		e.diag(graph.SeverityWarning, "cycle in references", strings.Join(cycle, " -> "), at)
		return false
	}
	st.inProgress[key] = true
	st.stack = append(st.stack, key)
	return true
}

func (e *evaluator) pop(key string) {
	key = e.prefixed(key)
	delete(e.st.inProgress, key)
	e.st.stack = e.st.stack[:len(e.st.stack)-1]
}

// eval evaluates expr in scope sc. Errors become diagnostics and an unknown
// result; a panic in a function or in cty becomes a diagnostic too.
func (e *evaluator) eval(expr hcl.Expression, sc *scope) (v cty.Value) {
	var ctx *hcl.EvalContext
	b := e.st.budget
	start, at := b.enter(expr.Range())
	defer b.leave(start, at)
	defer func() {
		if r := recover(); r != nil {
			e.diag(graph.SeverityError, "internal error while evaluating an expression", panicDetail(r, ctx), expr.Range())
			v = cty.DynamicVal
		}
	}()
	ctx = e.context(expr, sc)
	var diags hcl.Diagnostics
	saved := b.refusals
	b.refusals = nil
	if isJSONExpression(expr) {
		v, diags = e.jsonValue(expr, ctx)
	} else {
		v, diags = expr.Value(ctx)
	}
	refusals := b.refusals
	b.refusals = saved
	secret := e.inputsSensitive(expr, ctx, sc)
	kept := diags[:0:0]
	for _, d := range diags {
		if rr := refusedReadOf(d); rr != nil && d.Subject != nil {
			e.refusedDiag(rr, *d.Subject, secret)
			refusals = slices.DeleteFunc(refusals, func(x *refusedRead) bool { return x == rr })
			continue
		}
		if !e.computedAttribute(d) && !refusedByBudget(d) {
			kept = append(kept, d)
		}
	}
	for _, rr := range refusals {
		// Swallowed by can() or try(): reported at the expression, whose
		// value is unknown rather than the fallback.
		e.refusedDiag(rr, expr.Range(), secret)
	}
	swallowed := len(refusals) > 0
	for _, d := range e.evalDiagnostics(kept, expr, ctx, sc) {
		e.st.addDiag(d)
	}
	if diags.HasErrors() || swallowed {
		v = cty.DynamicVal
	} else if !b.charge(v, expr.Range()) {
		v = cty.DynamicVal
	}
	if secret {
		v = v.Mark(sensitiveMark{})
	}
	return v
}

// refusedReadOf returns the refused file read a diagnostic reports, if any.
func refusedReadOf(d *hcl.Diagnostic) *refusedRead {
	x, ok := d.Extra.(hclsyntax.FunctionCallDiagExtra)
	if !ok {
		return nil
	}
	var rr *refusedRead
	if errors.As(x.FunctionCallError(), &rr) {
		return rr
	}
	return nil
}

// refusedDiag reports a file a file function was refused (see
// refusedRead): an error, since the value it would have given may decide
// a finding. The path is not shown when it comes from a sensitive value.
func (e *evaluator) refusedDiag(rr *refusedRead, at hcl.Range, secret bool) {
	detail := rr.Error()
	if secret {
		detail = "cannot read a file whose path involves a sensitive value (not shown): " + safefs.Cause(rr.err).Error()
	}
	e.diag(graph.SeverityError, "cannot read file", detail+"; the value is unknown", at)
}

// computedAttribute reports whether d is hcl's "Unsupported attribute" on a
// reference to another resource or module: the configuration does not set
// that attribute (it is computed by the provider, such as
// vpc_config[0].cluster_security_group_id, or read through a splat), so its
// value is unknown, not an error.
func (e *evaluator) computedAttribute(d *hcl.Diagnostic) bool {
	if d.Summary != "Unsupported attribute" || d.Expression == nil {
		return false
	}
	for _, t := range d.Expression.Variables() {
		switch root := t.RootName(); root {
		case "data", "module":
			return true
		default:
			if name, ok := attrStep(t, 1); ok {
				if _, declared := e.cfg.byAddr[root+"."+name]; declared {
					return true
				}
			}
		}
	}
	return false
}

// context builds the evaluation context of expr from the traversals it
// contains, resolving only the names it uses.
func (e *evaluator) context(expr hcl.Expression, sc *scope) *hcl.EvalContext {
	vars := map[string]cty.Value{}
	localNames := map[string]hcl.Range{}
	varNames := map[string]hcl.Range{}
	type resKey struct{ mode, typ, name string }
	resAttrs := map[resKey]map[string]bool{}
	moduleOutputs := map[string]map[string]bool{}
	var relAttrs map[string]bool // attributes read after a splat or computed index
	for _, t := range expr.Variables() {
		root := t.RootName()
		if sc != nil {
			if v, ok := sc.iterators[root]; ok {
				vars[root] = v
				continue
			}
		}
		switch root {
		case "var":
			if name, ok := attrStep(t, 1); ok {
				varNames[name] = t.SourceRange()
			}
		case "local":
			if name, ok := attrStep(t, 1); ok {
				localNames[name] = t.SourceRange()
			}
		case "count":
			if sc != nil && sc.count != cty.NilVal {
				vars["count"] = sc.count
			} else {
				vars["count"] = cty.DynamicVal
			}
		case "each":
			if sc != nil && sc.each != cty.NilVal {
				vars["each"] = sc.each
			} else {
				vars["each"] = cty.DynamicVal
			}
		case "path":
			// As in Terraform, paths are relative to the working directory,
			// the root module's directory.
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(relSlash(e.st.rootDir, e.cfg.dir)),
				"root":   cty.StringVal("."),
				"cwd":    cty.StringVal("."),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{
				"workspace": cty.StringVal("default"),
				"applying":  cty.False, // a plan, not an apply
			})
		case "ephemeral":
			// Ephemeral resources exist only during a run: unknown.
			vars["ephemeral"] = cty.DynamicVal
		case "module":
			if name, ok := attrStep(t, 1); ok {
				if moduleOutputs[name] == nil {
					moduleOutputs[name] = map[string]bool{}
				}
				if out, ok := refAttr(t, 2); ok {
					moduleOutputs[name][out] = true
				} else {
					moduleOutputs[name]["*"] = true
				}
			}
		case "data":
			typ, ok1 := attrStep(t, 1)
			name, ok2 := attrStep(t, 2)
			if ok1 && ok2 {
				k := resKey{"data", typ, name}
				if resAttrs[k] == nil {
					resAttrs[k] = map[string]bool{}
				}
				if a, ok := refAttr(t, 3); ok {
					resAttrs[k][a] = true
				} else {
					relAttrs = relAttrsOf(expr, relAttrs)
					resAttrs[k]["*"] = true
				}
			}
		default:
			name, ok := attrStep(t, 1)
			if !ok {
				continue
			}
			k := resKey{"managed", root, name}
			if _, declared := e.cfg.byAddr[root+"."+name]; !declared {
				continue // hcl reports the unknown variable
			}
			if resAttrs[k] == nil {
				resAttrs[k] = map[string]bool{}
			}
			if a, ok := refAttr(t, 2); ok {
				resAttrs[k][a] = true
			} else {
				relAttrs = relAttrsOf(expr, relAttrs)
				resAttrs[k]["*"] = true
			}
		}
	}
	if len(varNames) > 0 {
		obj := map[string]cty.Value{}
		for _, name := range sortedKeys(varNames) {
			obj[name] = e.variable(name, varNames[name])
		}
		vars["var"] = cty.ObjectVal(obj)
	}
	if len(localNames) > 0 {
		obj := map[string]cty.Value{}
		for _, name := range sortedKeys(localNames) {
			obj[name] = e.local(name, localNames[name])
		}
		vars["local"] = cty.ObjectVal(obj)
	}
	if len(moduleOutputs) > 0 {
		obj := map[string]cty.Value{}
		for _, name := range sortedKeys(moduleOutputs) {
			obj[name] = markSensitiveExpansion(e.moduleValue(name, moduleOutputs[name], expr.Range()), e.calls[name])
		}
		vars["module"] = cty.ObjectVal(obj)
	}
	if len(resAttrs) > 0 {
		byType := map[string]map[string]cty.Value{}
		dataByType := map[string]map[string]cty.Value{}
		keys := make([]resKey, 0, len(resAttrs))
		for k := range resAttrs {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			a, b := keys[i], keys[j]
			return a.mode+"."+a.typ+"."+a.name < b.mode+"."+b.typ+"."+b.name
		})
		for _, k := range keys {
			attrs := resAttrs[k]
			target := byType
			addr := k.typ + "." + k.name
			if k.mode == "data" {
				target = dataByType
				addr = "data." + addr
			}
			if target[k.typ] == nil {
				target[k.typ] = map[string]cty.Value{}
			}
			rc := e.cfg.byAddr[addr]
			if rc == nil {
				target[k.typ][k.name] = cty.DynamicVal
				continue
			}
			if attrs["*"] {
				// Used whole, through a splat or a computed index: every
				// attribute the expression reads that way may be computed.
				attrs = map[string]bool{"*": true}
				for n := range relAttrs {
					attrs[n] = true
				}
				for n := range e.cfg.attrNames {
					attrs[n] = true
				}
			}
			target[k.typ][k.name] = e.resourceValue(rc, attrs)
		}
		for typ, names := range byType {
			vars[typ] = cty.ObjectVal(names)
		}
		if len(dataByType) > 0 {
			d := map[string]cty.Value{}
			for typ, names := range dataByType {
				d[typ] = cty.ObjectVal(names)
			}
			vars["data"] = cty.ObjectVal(d)
		}
	}
	vars[budgetVariable] = e.st.budget.value()
	return &hcl.EvalContext{Variables: vars, Functions: e.withProviderFunctions(expr)}
}

// withProviderFunctions adds the provider-defined functions that expr calls
// (provider::aws::arn_parse): their results are unknown, as no provider runs.
func (e *evaluator) withProviderFunctions(expr hcl.Expression) map[string]function.Function {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return e.funcs
	}
	var names []string
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok && isProviderFunction(call.Name) {
			names = append(names, call.Name)
		}
		return nil
	})
	if len(names) == 0 {
		return e.funcs
	}
	fns := make(map[string]function.Function, len(e.funcs)+len(names))
	for k, f := range e.funcs {
		fns[k] = f
	}
	for _, n := range names {
		fns[n] = providerFunction()
	}
	return fns
}

// attrStep returns the attribute name at step i of t.
func attrStep(t hcl.Traversal, i int) (string, bool) {
	if len(t) <= i {
		return "", false
	}
	if a, ok := t[i].(hcl.TraverseAttr); ok {
		return a.Name, true
	}
	return "", false
}

// refAttr returns the attribute a resource traversal reads after the
// resource name at step i, skipping one instance index.
func refAttr(t hcl.Traversal, i int) (string, bool) {
	if len(t) > i {
		if _, ok := t[i].(hcl.TraverseIndex); ok {
			i++
		}
	}
	return attrStep(t, i)
}

// local evaluates a local value on demand.
func (e *evaluator) local(name string, at hcl.Range) cty.Value {
	if v, ok := e.locals[name]; ok {
		return v
	}
	a, ok := e.cfg.locals[name]
	if !ok {
		e.diag(graph.SeverityWarning, "reference to undeclared local value",
			fmt.Sprintf("local.%s is not declared in %s", name, e.cfg.dir), at)
		return cty.DynamicVal
	}
	key := "local." + name
	if !e.push(key, a.NameRange) {
		return cty.DynamicVal
	}
	v := e.eval(a.Expr, nil)
	e.pop(key)
	e.locals[name] = v
	return v
}

func (e *evaluator) prefixed(addr string) string {
	if e.modulePath == "" {
		return addr
	}
	return e.modulePath + "." + addr
}

// relSlash returns target relative to base; both are clean slash paths
// relative to the same root.
func relSlash(base, target string) string {
	split := func(p string) []string {
		if p == "." || p == "" {
			return nil
		}
		return strings.Split(p, "/")
	}
	b, t := split(base), split(target)
	i := 0
	for i < len(b) && i < len(t) && b[i] == t[i] {
		i++
	}
	parts := make([]string, 0, len(b)-i+len(t)-i)
	for range b[i:] {
		parts = append(parts, "..")
	}
	parts = append(parts, t[i:]...)
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

// sortedKeys returns the keys of m in order, so that evaluation order (and
// the diagnostics it reports) never depends on map iteration.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
