package terraform

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
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

// resourceValue is the value of a resource reference: an instance object
// whose configured attributes are known and every other attribute named in
// attrs is unknown, aggregated over instances as Terraform does (a tuple for
// count, an object for for_each).
func (e *evaluator) resourceValue(rc *resourceConfig, attrs map[string]bool) cty.Value {
	memo := rc.addr() + "|" + strings.Join(sortedKeys(attrs), ",")
	if v, ok := e.refVals[memo]; ok {
		return v
	}
	v := markSensitiveExpansion(e.buildResourceValue(rc, attrs), e.expansions[rc.addr()])
	for k := range e.st.inProgress {
		if strings.HasPrefix(k, e.prefixed(rc.addr())) {
			return v // part of a cycle: do not remember a value cut short
		}
	}
	e.refVals[memo] = v
	return v
}

func (e *evaluator) buildResourceValue(rc *resourceConfig, attrs map[string]bool) cty.Value {
	insts := e.expand(rc)
	if rc.count == nil && rc.forEach == nil {
		if len(insts) == 0 {
			return cty.DynamicVal
		}
		return withAttrs(e.instanceValue(rc, insts[0]), attrs)
	}
	for _, in := range insts {
		if in.unknown {
			return cty.DynamicVal
		}
	}
	if rc.count != nil {
		if len(insts) == 0 {
			return cty.EmptyTupleVal
		}
		elems := make([]cty.Value, len(insts))
		for i, in := range insts {
			elems[i] = withAttrs(e.instanceValue(rc, in), attrs)
		}
		return cty.TupleVal(elems)
	}
	obj := map[string]cty.Value{}
	for _, in := range insts {
		obj[in.key.AsString()] = withAttrs(e.instanceValue(rc, in), attrs)
	}
	return cty.ObjectVal(obj)
}

// withAttrs makes each attribute of attrs that obj does not configure (absent
// or null) unknown: the provider may compute it.
func withAttrs(obj cty.Value, attrs map[string]bool) cty.Value {
	if !obj.IsKnown() || obj.IsNull() || !obj.Type().IsObjectType() {
		return cty.DynamicVal
	}
	m := obj.AsValueMap()
	if m == nil {
		m = map[string]cty.Value{}
	}
	for a := range attrs {
		if a == "*" {
			continue
		}
		if v, ok := m[a]; !ok || v.IsNull() {
			m[a] = cty.DynamicVal
		}
	}
	return cty.ObjectVal(m)
}

// instanceValue evaluates the configured attributes of one instance.
func (e *evaluator) instanceValue(rc *resourceConfig, in instance) cty.Value {
	addr := instanceAddr(rc.addr(), in)
	if v, ok := e.instVals[addr]; ok {
		return v
	}
	key := addr
	if !e.push(key, rc.block.DefRange) {
		return cty.DynamicVal
	}
	v := e.body(rc.block.Body, in.scope, "", true, nil)
	e.pop(key)
	e.instVals[addr] = v
	return v
}

// instanceAddr is Terraform's instance address: name, name[0], name["k"];
// a representative instance of an unknown collection is name[*].
func instanceAddr(base string, in instance) string {
	switch {
	case in.key == cty.NilVal:
		return base
	case in.sensitive:
		return base + "[" + strconv.Quote(graph.SensitivePlaceholder) + "]"
	case in.unknown || !in.key.IsKnown():
		return base + "[*]"
	case in.key.Type() == cty.Number:
		bf := in.key.AsBigFloat()
		return base + "[" + bf.Text('f', -1) + "]"
	default:
		return base + "[" + strconv.Quote(in.key.AsString()) + "]"
	}
}

// expand evaluates a resource's count or for_each into its instances.
func (e *evaluator) expand(rc *resourceConfig) []instance {
	addr := rc.addr()
	if insts, ok := e.expansions[addr]; ok {
		return insts
	}
	key := "expand:" + addr
	if !e.push(key, rc.block.DefRange) {
		return []instance{{key: cty.UnknownVal(cty.DynamicPseudoType), unknown: true,
			scope: &scope{count: cty.DynamicVal, each: cty.DynamicVal}}}
	}
	var insts []instance
	switch {
	case rc.count != nil:
		insts = e.expandCount(rc.count)
	case rc.forEach != nil:
		insts = e.expandForEach(rc.forEach)
	default:
		insts = e.admitted([]instance{{}}, rc.block.DefRange, instance{})
	}
	e.pop(key)
	e.expansions[addr] = insts
	return insts
}

func (e *evaluator) expandCount(expr hcl.Expression) []instance {
	unknown := []instance{{key: cty.UnknownVal(cty.Number), unknown: true,
		scope: &scope{count: cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}}}
	v, marks := e.eval(expr, nil).Unmark()
	if _, secret := marks[sensitiveMark{}]; secret {
		rep := e.sensitiveCount(expr.Range())
		return e.admitted([]instance{rep}, expr.Range(), rep)
	}
	if !v.IsKnown() {
		return unknown
	}
	if v.IsNull() {
		e.diag(graph.SeverityError, "invalid count argument", "count must not be null", expr.Range())
		return nil
	}
	n, err := convertNumber(v)
	if err != nil {
		e.diag(graph.SeverityWarning, "invalid count argument", err.Error(), expr.Range())
		return unknown
	}
	if n < 0 {
		e.diag(graph.SeverityError, "invalid count argument", "count must not be negative", expr.Range())
		return nil
	}
	if k := e.st.budget.admit(n, expr.Range()); k < n {
		rep := unknown[0]
		rep.dropped = k == 0
		return []instance{rep}
	}
	insts := make([]instance, n)
	for i := range insts {
		idx := cty.NumberIntVal(int64(i))
		insts[i] = instance{key: idx, scope: &scope{count: cty.ObjectVal(map[string]cty.Value{"index": idx})}}
	}
	return insts
}

func convertNumber(v cty.Value) (int, error) {
	if v.Type() == cty.String {
		f, _, err := big.ParseFloat(v.AsString(), 10, 512, big.ToNearestEven)
		if err != nil {
			return 0, fmt.Errorf("count must be a whole number, got %q", v.AsString())
		}
		v = cty.NumberVal(f)
	}
	if v.Type() != cty.Number {
		return 0, fmt.Errorf("count must be a whole number, got %s", v.Type().FriendlyName())
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return 0, fmt.Errorf("count must be a whole number, got %s", bf.Text('f', -1))
	}
	i, _ := bf.Int64()
	if i > math.MaxInt32 {
		i = math.MaxInt32 // more than any budget admits
	}
	return int(i), nil
}

// eachInstances turns a for_each collection into instances; bind builds the
// scope of each. Unknown collections give one representative instance.
func (e *evaluator) eachInstances(v cty.Value, at hcl.Range, what string, bind func(k, v cty.Value) *scope) []instance {
	// Iterate over the unmarked collection; the collection's marks (origins,
	// sensitivity) carry over to each element value.
	v, marks := v.Unmark()
	if rep, secret := e.sensitiveForEach(marks, what, at, bind); secret {
		return []instance{rep}
	}
	unknownInst := []instance{{key: cty.UnknownVal(cty.String), unknown: true,
		scope: bind(cty.UnknownVal(cty.String), cty.DynamicVal.WithMarks(marks))}}
	if !v.IsKnown() {
		return unknownInst
	}
	if v.IsNull() {
		e.diag(graph.SeverityError, "invalid for_each argument", what+" must not be null", at)
		return nil
	}
	ty := v.Type()
	if !ty.IsMapType() && !ty.IsObjectType() && !ty.IsSetType() && !ty.IsListType() && !ty.IsTupleType() {
		e.diag(graph.SeverityError, "invalid for_each argument",
			fmt.Sprintf("%s must be a map or a set of strings, got %s", what, ty.FriendlyName()), at)
		return nil
	}
	if !v.IsWhollyKnown() && ty.IsSetType() {
		// A set with unknown elements has an unknown number of elements; a
		// list knows its length even when elements are unknown.
		return unknownInst
	}
	var insts []instance
	for it := v.ElementIterator(); it.Next(); {
		k, val := it.Element()
		if ty.IsSetType() {
			k = val // a set's key is the element; a list's is its index
		}
		k, _ = k.UnmarkDeep()
		val = val.WithMarks(marks)
		if !k.IsKnown() {
			return unknownInst
		}
		if k.IsNull() || k.Type() != cty.String {
			// Terraform requires string keys for resources; dynamic blocks
			// accept any collection and use the index as the key.
			if what == "for_each" && !ty.IsListType() && !ty.IsTupleType() {
				e.diag(graph.SeverityError, "invalid for_each argument", "for_each set elements must be strings", at)
				return nil
			}
		}
		insts = append(insts, instance{key: k, scope: bind(k, val)})
	}
	return insts
}

func (e *evaluator) expandForEach(expr hcl.Expression) []instance {
	v := e.eval(expr, nil)
	rep := instance{key: cty.UnknownVal(cty.String), unknown: true,
		scope: &scope{each: cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})}}
	if u, marks := v.Unmark(); !marks.Has(sensitiveMark{}) && u.IsKnown() && !u.IsNull() && u.CanIterateElements() && u.LengthInt() > e.st.budget.room() {
		// Past the budget: not even the instances are built.
		return e.admitted(make([]instance, u.LengthInt()), expr.Range(), rep)
	}
	insts := e.eachInstances(v, expr.Range(), "for_each", func(k, val cty.Value) *scope {
		return &scope{each: cty.ObjectVal(map[string]cty.Value{"key": k, "value": val})}
	})
	if v.IsKnown() && !v.IsNull() {
		if ty := v.Type(); ty.IsListType() || ty.IsTupleType() {
			e.diag(graph.SeverityError, "invalid for_each argument",
				"for_each must be a map or a set of strings; use toset() to convert a list", expr.Range())
			return nil
		}
	}
	sort.SliceStable(insts, func(i, j int) bool {
		a, b := insts[i].key, insts[j].key
		if a.IsKnown() && b.IsKnown() && a.Type() == cty.String && b.Type() == cty.String {
			return a.AsString() < b.AsString()
		}
		return false
	})
	return e.admitted(insts, expr.Range(), rep)
}

// admitted bounds an expansion at r by the instance budget: past it the
// expansion is one representative instance rep (with an unknown key), and
// once no instance is left, a dropped one.
func (e *evaluator) admitted(insts []instance, r hcl.Range, rep instance) []instance {
	switch k := e.st.budget.admit(len(insts), r); {
	case k == len(insts):
		return insts
	case k == 0:
		rep.dropped = true
	}
	return []instance{rep}
}

// recorder collects the ranges and references of one instance while its
// body is evaluated. A nil recorder evaluates values only.
type recorder struct {
	res   *graph.Resource
	depth int  // locals, variables and outputs followed to record an edge
	deep  bool // the depth limit was reported
}

func (r *recorder) setRange(path string, rg graph.Range) {
	if r == nil {
		return
	}
	if _, ok := r.res.Ranges[path]; !ok {
		r.res.Ranges[path] = rg
	}
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// Arguments and blocks that configure Terraform itself rather than the resource.
var metaAttrs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true}
var metaBlocks = map[string]bool{"lifecycle": true, "provisioner": true, "connection": true}

// body evaluates a resource body (top) or a nested block body into an object
// value: attributes by name, nested blocks as tuples of objects by type.
func (e *evaluator) body(b hcl.Body, sc *scope, prefix string, top bool, rec *recorder) cty.Value {
	if lb, ok := b.(*layeredBody); ok {
		return e.layered(lb, sc, prefix, top, rec)
	}
	sb, ok := b.(*hclsyntax.Body)
	if !ok {
		return e.jsonBody(b, sc, prefix, top, rec)
	}
	obj := map[string]cty.Value{}
	names := make([]string, 0, len(sb.Attributes))
	for name := range sb.Attributes {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if top && metaAttrs[name] {
			continue
		}
		a := sb.Attributes[name]
		obj[name] = e.attribute(a.Expr, sc, join(prefix, name), rec)
	}
	blocks := map[string][]cty.Value{}
	for _, blk := range sb.Blocks {
		if top && metaBlocks[blk.Type] {
			continue
		}
		if blk.Type == "dynamic" {
			e.dynamic(blk, sc, prefix, blocks, rec)
			continue
		}
		if _, isAttr := obj[blk.Type]; isAttr {
			e.diag(graph.SeverityError, "duplicate argument",
				fmt.Sprintf("%q is set both as an argument and as a block", blk.Type), blk.DefRange())
			continue
		}
		p := join(prefix, blk.Type+"."+strconv.Itoa(len(blocks[blk.Type])))
		rec.setRange(p, e.st.pos.rng(blk.DefRange()))
		blocks[blk.Type] = append(blocks[blk.Type], e.body(blk.Body, sc, p, false, rec))
	}
	for typ, vals := range blocks {
		obj[typ] = cty.TupleVal(vals)
	}
	return cty.ObjectVal(obj)
}

var dynamicSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "for_each", Required: true}, {Name: "iterator"}, {Name: "labels"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "content"}},
}

// dynamic expands a dynamic block; generated blocks get the ranges of the
// content block, where a user changes them.
func (e *evaluator) dynamic(blk *hclsyntax.Block, sc *scope, prefix string, blocks map[string][]cty.Value, rec *recorder) {
	if len(blk.Labels) != 1 {
		e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block needs exactly one label: the block type", blk.DefRange())
		return
	}
	typ := blk.Labels[0]
	rec.dynamicBlock(prefix, typ)
	content, diags := blk.Body.Content(dynamicSchema)
	for _, d := range diags {
		e.st.addDiag(e.st.pos.diagnostic(d))
	}
	if content == nil || len(content.Blocks) != 1 {
		if !diags.HasErrors() {
			e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block needs exactly one content block", blk.DefRange())
		}
		return
	}
	fe, ok := content.Attributes["for_each"]
	if !ok {
		return
	}
	iter := typ
	if a, ok := content.Attributes["iterator"]; ok {
		if name := hcl.ExprAsKeyword(a.Expr); name != "" {
			iter = name
		} else {
			e.diag(graph.SeverityError, "invalid dynamic block", "iterator must be a bare name", a.Expr.Range())
			return
		}
	}
	contentBlock := content.Blocks[0]
	cb, ok := contentBlock.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	coll := e.eval(fe.Expr, sc)
	b := e.st.budget
	start, at := b.enter(fe.Expr.Range())
	defer b.leave(start, at)
	insts := e.dynamicInstances(coll, fe.Expr.Range(), sc, iter)
	for _, in := range insts {
		p := join(prefix, typ+"."+strconv.Itoa(len(blocks[typ])))
		rec.setRange(p, e.st.pos.rng(contentBlock.DefRange))
		v := e.body(cb, in.scope, p, false, rec)
		if in.unknown && rec != nil {
			rec.res.Meta["dynamic_unknown"] = appendMeta(rec.res.Meta["dynamic_unknown"], p)
		}
		blocks[typ] = append(blocks[typ], v)
	}
}

// dynamicInstances expands a dynamic block's for_each: each generated
// block costs BlockOverhead up front; past the budget the block is one
// representative with an unknown key. A sensitive collection is one
// representative block (see sensitiveForEach).
func (e *evaluator) dynamicInstances(coll cty.Value, at hcl.Range, sc *scope, iter string) []instance {
	u, marks := coll.Unmark()
	n := 0
	switch {
	case marks.Has(sensitiveMark{}):
		n = 1 // one representative block, whatever the collection's size
	case u.IsKnown() && !u.IsNull() && u.CanIterateElements():
		n = u.LengthInt()
	}
	if n > 0 && !e.st.budget.spend(int64(n)*BlockOverhead, at) {
		return []instance{{key: cty.UnknownVal(cty.String), unknown: true,
			scope: sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal.WithMarks(marks)}))}}
	}
	return e.eachInstances(coll, at, "dynamic block for_each", func(k, v cty.Value) *scope {
		return sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": k, "value": v}))
	})
}

// dynamicBlock records in meta.dynamic_blocks the block type a top-level
// dynamic block writes (prefix ""), once: the plan loader needs it, because
// plan JSON leaves dynamic blocks out of its configuration.
func (r *recorder) dynamicBlock(prefix, typ string) {
	if r == nil || prefix != "" {
		return
	}
	l, _ := r.res.Meta["dynamic_blocks"].([]any)
	for _, t := range l {
		if t == typ {
			return
		}
	}
	r.res.Meta["dynamic_blocks"] = append(l, typ)
}

func appendMeta(v any, s string) any {
	l, _ := v.([]any)
	return append(l, s)
}

// jsonBody evaluates a body written in JSON syntax. Without provider schemas
// JSON cannot tell a block from an object-valued argument; both evaluate to
// the same value shape (an object, or a list of objects), which is what
// policies read.
func (e *evaluator) jsonBody(b hcl.Body, sc *scope, prefix string, top bool, rec *recorder) cty.Value {
	attrs, diags := b.JustAttributes()
	for _, d := range diags {
		e.st.addDiag(e.st.pos.diagnostic(d))
	}
	obj := map[string]cty.Value{}
	var dynamic hcl.Expression
	for _, name := range sortedKeys(attrs) {
		a := attrs[name]
		if top && (metaAttrs[name] || metaBlocks[name]) {
			continue
		}
		if name == "dynamic" {
			dynamic = a.Expr
			continue
		}
		obj[name] = e.attribute(a.Expr, sc, join(prefix, name), rec)
	}
	if dynamic != nil {
		e.jsonDynamic(dynamic, sc, prefix, obj, rec)
	}
	return cty.ObjectVal(obj)
}

// jsonObject evaluates an object written in JSON syntax as a block body:
// its properties are arguments, and a "dynamic" property generates blocks.
func (e *evaluator) jsonObject(expr hcl.Expression, sc *scope, prefix string, rec *recorder) cty.Value {
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return e.attribute(expr, sc, prefix, rec)
	}
	obj := map[string]cty.Value{}
	var dynamic hcl.Expression
	for _, kv := range pairs {
		k, d := kv.Key.Value(nil)
		if d.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
			continue
		}
		if name := k.AsString(); name == "dynamic" {
			dynamic = kv.Value
		} else {
			obj[name] = e.attribute(kv.Value, sc, join(prefix, name), rec)
		}
	}
	if dynamic != nil {
		e.jsonDynamic(dynamic, sc, prefix, obj, rec)
	}
	return cty.ObjectVal(obj)
}

// jsonDynamic expands the dynamic blocks of a JSON-syntax body:
//
//	"dynamic": {"ingress": {"for_each": "${var.rules}", "iterator": "rule", "content": {...}}}
//
// (one object, or an array of them, per block type). Generated blocks are
// appended to the blocks of that type written directly.
func (e *evaluator) jsonDynamic(expr hcl.Expression, sc *scope, prefix string, obj map[string]cty.Value, rec *recorder) {
	types, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		e.diag(graph.SeverityError, "invalid dynamic block", "dynamic must be an object of block types", expr.Range())
		return
	}
	for _, tv := range types {
		k, d := tv.Key.Value(nil)
		if d.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
			continue
		}
		typ := k.AsString()
		rec.dynamicBlock(prefix, typ)
		specs := []hcl.Expression{tv.Value}
		if list, d := hcl.ExprList(tv.Value); !d.HasErrors() {
			specs = list
		}
		var blocks []cty.Value
		if existing, ok := obj[typ]; ok && existing.IsKnown() && !existing.IsNull() && (existing.Type().IsTupleType() || existing.Type().IsListType()) {
			blocks = existing.AsValueSlice()
		}
		for _, spec := range specs {
			fields := map[string]hcl.Expression{}
			pairs, d := hcl.ExprMap(spec)
			if d.HasErrors() {
				e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block must be an object", spec.Range())
				continue
			}
			for _, kv := range pairs {
				if fk, d := kv.Key.Value(nil); !d.HasErrors() && fk.Type() == cty.String && fk.IsKnown() && !fk.IsNull() {
					fields[fk.AsString()] = kv.Value
				}
			}
			fe, content := fields["for_each"], fields["content"]
			if fe == nil || content == nil {
				e.diag(graph.SeverityError, "invalid dynamic block", "a dynamic block needs for_each and content", spec.Range())
				continue
			}
			iter := typ
			if it, ok := fields["iterator"]; ok {
				if v, d := it.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					iter = v.AsString()
				}
			}
			b := e.st.budget
			start, at := b.enter(fe.Range())
			insts := e.dynamicInstances(e.eval(fe, sc), fe.Range(), sc, iter)
			for _, in := range insts {
				p := join(prefix, typ+"."+strconv.Itoa(len(blocks)))
				rec.setRange(p, e.st.pos.rng(content.Range()))
				blocks = append(blocks, e.jsonObject(content, in.scope, p, rec))
				if in.unknown && rec != nil {
					rec.res.Meta["dynamic_unknown"] = appendMeta(rec.res.Meta["dynamic_unknown"], p)
				}
			}
			b.leave(start, at)
		}
		obj[typ] = cty.TupleVal(blocks)
	}
}

// attribute evaluates one attribute and records the ranges of the
// expression and of its literal elements, and the references it makes.
func (e *evaluator) attribute(expr hcl.Expression, sc *scope, path string, rec *recorder) cty.Value {
	v := e.eval(expr, sc)
	if rec != nil {
		e.recordRanges(expr, path, rec)
		e.recordRefs(expr, sc, path, rec, map[string]bool{})
	}
	return v
}

// recordRanges records the range of expr at path and descends into tuple
// and object constructors, so list elements and object keys get their own.
func (e *evaluator) recordRanges(expr hcl.Expression, path string, rec *recorder) {
	rec.setRange(path, e.st.pos.rng(expr.Range()))
	if elems, diags := hcl.ExprList(expr); !diags.HasErrors() && isLiteralList(expr) {
		for i, el := range elems {
			e.recordRanges(el, path+"."+strconv.Itoa(i), rec)
		}
		return
	}
	if pairs, diags := hcl.ExprMap(expr); !diags.HasErrors() && isLiteralMap(expr) {
		for _, kv := range pairs {
			k, d := kv.Key.Value(nil)
			if d.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
				continue
			}
			e.recordRanges(kv.Value, path+"."+k.AsString(), rec)
		}
	}
}

func isLiteralList(expr hcl.Expression) bool {
	switch expr.(type) {
	case *hclsyntax.TupleConsExpr:
		return true
	case hclsyntax.Expression:
		return false
	}
	return true // JSON arrays
}

func isLiteralMap(expr hcl.Expression) bool {
	switch expr.(type) {
	case *hclsyntax.ObjectConsExpr:
		return true
	case hclsyntax.Expression:
		return false
	}
	return true // JSON objects
}

// recordRefs records an edge for every resource the expression refers to,
// directly or through local values, module outputs and module arguments.
func (e *evaluator) recordRefs(expr hcl.Expression, sc *scope, path string, rec *recorder, seen map[string]bool) {
	e.recordExpr(expr, sc, nil, path, rec, seen)
}

// recordExpr records the edges of expr, evaluated in scope sc. at, when set,
// is the range in the referring attribute that every edge is reported at.
func (e *evaluator) recordExpr(expr hcl.Expression, sc *scope, at *hcl.Range, path string, rec *recorder, seen map[string]bool) {
	if at != nil {
		// Following a local, variable or output: as deep as evaluation
		// goes, each step paid for.
		if rec.depth >= MaxReferenceDepth {
			if !rec.deep {
				rec.deep = true
				e.diag(graph.SeverityError, "references nested too deep",
					fmt.Sprintf("the references of this value go through more than %d locals, variables and outputs; edges past them are not recorded", MaxReferenceDepth), *at)
			}
			return
		}
		if !e.st.budget.spend(LoopOverhead, *at) {
			return
		}
		rec.depth++
		defer func() { rec.depth-- }()
	}
	keys := e.indexKeys(expr, sc)
	for _, t := range expr.Variables() {
		r := t.SourceRange()
		if at != nil {
			r = *at
		}
		e.recordTraversal(t, keys[t.SourceRange()], r, path, rec, seen)
	}
}

// dynIndex is an instance key computed in the referring scope:
// aws_security_group.b[count.index].id has the key of count.index.
type dynIndex struct {
	key  cty.Value
	attr string
}

// indexKeys evaluates the dynamic instance keys of the references in expr,
// by the source range of the referenced traversal.
func (e *evaluator) indexKeys(expr hcl.Expression, sc *scope) map[hcl.Range]*dynIndex {
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return nil
	}
	var out map[hcl.Range]*dynIndex
	entry := func(st *hclsyntax.ScopeTraversalExpr) *dynIndex {
		if !e.isReference(st.Traversal) {
			return nil
		}
		if out == nil {
			out = map[hcl.Range]*dynIndex{}
		}
		r := st.Traversal.SourceRange()
		if out[r] == nil {
			out[r] = &dynIndex{key: cty.NilVal}
		}
		return out[r]
	}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		switch x := n.(type) {
		case *hclsyntax.IndexExpr:
			if st, ok := x.Collection.(*hclsyntax.ScopeTraversalExpr); ok {
				if d := entry(st); d != nil && d.key == cty.NilVal {
					d.key = e.evalQuiet(x.Key, sc)
				}
			}
		case *hclsyntax.RelativeTraversalExpr:
			if ie, ok := x.Source.(*hclsyntax.IndexExpr); ok {
				if st, ok := ie.Collection.(*hclsyntax.ScopeTraversalExpr); ok && len(x.Traversal) > 0 {
					if a, ok := x.Traversal[0].(hcl.TraverseAttr); ok {
						if d := entry(st); d != nil {
							d.attr = a.Name
						}
					}
				}
			}
		}
		return nil
	})
	return out
}

// isReference reports whether t names a resource, data source or module.
func (e *evaluator) isReference(t hcl.Traversal) bool {
	switch root := t.RootName(); root {
	case "data", "module":
		return true
	default:
		name, ok := attrStep(t, 1)
		if !ok {
			return false
		}
		_, declared := e.cfg.byAddr[root+"."+name]
		return declared
	}
}

// evalQuiet evaluates expr without reporting diagnostics: the expression
// is evaluated (and its problems reported) as part of its attribute. A
// sensitive result is unknown: an edge must not tell which key it is.
func (e *evaluator) evalQuiet(expr hcl.Expression, sc *scope) cty.Value {
	n := len(e.st.diags)
	v := e.eval(expr, sc)
	e.st.diags = e.st.diags[:n]
	if hasSensitive(v) {
		return cty.DynamicVal
	}
	v, _ = v.UnmarkDeep()
	return v
}

func (e *evaluator) recordTraversal(t hcl.Traversal, dyn *dynIndex, at hcl.Range, path string, rec *recorder, seen map[string]bool) {
	root := t.RootName()
	var rc *resourceConfig
	next := 2
	switch root {
	case "local":
		name, ok := attrStep(t, 1)
		if !ok || seen[e.prefixed("local."+name)] {
			return
		}
		seen[e.prefixed("local."+name)] = true
		if a, ok := e.cfg.locals[name]; ok {
			e.recordExpr(a.Expr, nil, &at, path, rec, seen)
		}
		return
	case "var":
		// In a child module, follow the variable to the argument the caller
		// passed, so edges cross module boundaries.
		name, ok := attrStep(t, 1)
		if !ok || e.parent == nil || seen[e.prefixed("var."+name)] {
			return
		}
		seen[e.prefixed("var."+name)] = true
		if a, ok := e.callArgs[name]; ok {
			e.parent.recordExpr(a.Expr, e.callScope, &at, path, rec, seen)
		}
		return
	case "module":
		// Follow the output into the called instance (or every instance
		// when the key is not known).
		name, ok := attrStep(t, 1)
		if !ok {
			return
		}
		key := cty.NilVal
		if len(t) > 2 {
			if idx, ok := t[2].(hcl.TraverseIndex); ok {
				key = idx.Key
			}
		}
		if key == cty.NilVal && dyn != nil {
			key = dyn.key
		}
		out, hasOut := refAttr(t, 2)
		if !hasOut && dyn != nil && dyn.attr != "" {
			out, hasOut = dyn.attr, true
		}
		if !hasOut {
			return
		}
		if e.registryOutputRefs(name, key, out, at, path, rec) {
			return // a module understood without its code (registry.go)
		}
		for _, child := range e.childrenOf(name) {
			if key != cty.NilVal && key.IsKnown() && !key.IsNull() &&
				child.modulePath != e.prefixed(instanceAddr("module."+name, instance{key: key})) &&
				!strings.HasSuffix(child.modulePath, "[*]") {
				continue
			}
			k := child.prefixed("output." + out)
			if seen[k] {
				continue
			}
			seen[k] = true
			if a, ok := child.cfg.outputs[out]; ok {
				child.recordExpr(a.Expr, nil, &at, path, rec, seen)
			}
		}
		return
	case "data":
		typ, ok1 := attrStep(t, 1)
		name, ok2 := attrStep(t, 2)
		if !ok1 || !ok2 {
			return
		}
		rc = e.cfg.byAddr["data."+typ+"."+name]
		next = 3
	default:
		name, ok := attrStep(t, 1)
		if !ok {
			return
		}
		rc = e.cfg.byAddr[root+"."+name]
	}
	if rc == nil {
		return
	}
	targetAttr, _ := refAttr(t, next)
	key := cty.NilVal
	if len(t) > next {
		if idx, ok := t[next].(hcl.TraverseIndex); ok {
			key = idx.Key
		}
	}
	if key == cty.NilVal && dyn != nil {
		key = dyn.key
		if targetAttr == "" {
			targetAttr = dyn.attr
		}
	}
	insts := e.expand(rc)
	var targets []string
	switch {
	case len(insts) == 1 && insts[0].unknown:
		// The instances are not known: the edge goes to the representative.
		targets = []string{instanceAddr(rc.addr(), insts[0])}
	case key != cty.NilVal && key.IsKnown() && !key.IsNull():
		targets = []string{instanceAddr(rc.addr(), instance{key: key})}
	default:
		for _, in := range insts {
			targets = append(targets, instanceAddr(rc.addr(), in))
		}
	}
	if !e.st.budget.spend(int64(len(targets))*LoopOverhead, at) {
		return
	}
	rg := e.st.pos.rng(at)
	for _, target := range targets {
		rec.res.Refs = append(rec.res.Refs, graph.Ref{Attribute: path, Target: e.prefixed(target), TargetAttribute: targetAttr, Range: rg})
	}
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

// relAttrsOf adds to into the attribute names that expr reads after a splat
// or a computed index (aws_subnet.x[*].id, aws_subnet.x[count.index].id):
// a reference to a whole resource must offer them, unknown when the
// configuration does not set them.
func relAttrsOf(expr hcl.Expression, into map[string]bool) map[string]bool {
	if into != nil {
		return into
	}
	into = map[string]bool{}
	se, ok := expr.(hclsyntax.Expression)
	if !ok {
		return into
	}
	_ = hclsyntax.VisitAll(se, func(n hclsyntax.Node) hcl.Diagnostics {
		if rt, ok := n.(*hclsyntax.RelativeTraversalExpr); ok && len(rt.Traversal) > 0 {
			if a, ok := rt.Traversal[0].(hcl.TraverseAttr); ok {
				into[a.Name] = true
			}
		}
		return nil
	})
	return into
}
