package cloudformation

// samGlobalTypes maps the sections of a SAM template's Globals to the
// resource types they apply to.
var samGlobalTypes = map[string]string{
	"Function":         "AWS::Serverless::Function",
	"Api":              "AWS::Serverless::Api",
	"HttpApi":          "AWS::Serverless::HttpApi",
	"SimpleTable":      "AWS::Serverless::SimpleTable",
	"LayerVersion":     "AWS::Serverless::LayerVersion",
	"StateMachine":     "AWS::Serverless::StateMachine",
	"CapacityProvider": "AWS::Serverless::CapacityProvider",
}

// isSAM reports whether the template declares the SAM transform
// (Transform: AWS::Serverless-2016-10-31, alone or in a list).
func (t *tmpl) isSAM() bool {
	tr := t.root.Get("Transform")
	if tr == nil {
		return false
	}
	switch tr.Kind {
	case String:
		return tr.Value == samTransform
	case Sequence:
		for _, it := range tr.Items {
			if it.Kind == String && it.Value == samTransform {
				return true
			}
		}
	}
	return false
}

// samGlobals returns the Globals of a SAM template by the resource type
// they apply to; nil for a template without the SAM transform. AWS SAM
// resources are otherwise ordinary resources of the graph (the transform
// is not run).
func (t *tmpl) samGlobals() map[string]*Node {
	if !t.isSAM() {
		return nil
	}
	sec := t.root.Get("Globals")
	if sec == nil {
		return nil
	}
	if sec.Kind != Mapping {
		t.errorf(sec.Range, "invalid Globals section", "Globals must be a mapping of resource kinds (Function, Api, ...) to properties")
		return nil
	}
	out := map[string]*Node{}
	for i, k := range sec.Keys {
		typ, ok := samGlobalTypes[k.Value]
		if !ok {
			t.warnf(k.Range, "unsupported Globals section", k.Value+" is not a kind of resource that SAM Globals apply to; it is ignored")
			continue
		}
		g := sec.Values[i]
		if _, _, fn := intrinsic(g); g == nil || g.Kind != Mapping || fn {
			t.errorf(k.Range, "invalid Globals section", "Globals."+k.Value+" must be a mapping of properties")
			continue
		}
		out[typ] = g
	}
	return out
}

// mergeGlobals merges SAM Globals into a resource's Properties as SAM
// does: a value written in the resource replaces the global one; mappings
// are merged key by key (the resource wins); lists are additive, the
// global elements first ("Lists are additive": SAM's Globals
// documentation). The merged tree keeps every node's own range, so a value
// that came from Globals is located in the Globals section.
func mergeGlobals(g, r *Node) *Node {
	if r == nil {
		return g
	}
	if g == nil {
		return r
	}
	_, _, gFn := intrinsic(g)
	_, _, rFn := intrinsic(r)
	switch {
	case g.Kind == Mapping && r.Kind == Mapping && !gFn && !rFn:
		out := &Node{Kind: Mapping, Range: r.Range, Tag: r.Tag}
		for i, k := range g.Keys {
			v := g.Values[i]
			if rv := r.Get(k.Value); rv != nil {
				v, k = mergeGlobals(v, rv), r.KeyNode(k.Value)
			}
			out.Keys, out.Values = append(out.Keys, k), append(out.Values, v)
		}
		for i, k := range r.Keys {
			if g.Get(k.Value) == nil {
				out.Keys, out.Values = append(out.Keys, k), append(out.Values, r.Values[i])
			}
		}
		return out
	case g.Kind == Sequence && r.Kind == Sequence:
		items := make([]*Node, 0, len(g.Items)+len(r.Items))
		items = append(append(items, g.Items...), r.Items...)
		return &Node{Kind: Sequence, Range: r.Range, Tag: r.Tag, Items: items}
	}
	return r
}
