package terraform

import "github.com/hashicorp/hcl/v2"

// switchedOff reports whether a managed resource that has no instance was
// switched off, by a count known to be 0 or a for_each known to be an
// empty map or set, rather than refused by an error (a null or negative
// count, a for_each that is a list), which a diagnostic reports where it
// is written. Graph.NotCreated counts the resources switched off.
func (e *evaluator) switchedOff(rc *resourceConfig) bool {
	var expr hcl.Expression
	switch {
	case rc.mode != "managed":
		return false
	case rc.count != nil:
		expr = rc.count
	case rc.forEach != nil:
		expr = rc.forEach
	default:
		return false
	}
	v, _ := e.eval(expr, nil).UnmarkDeep()
	if !v.IsWhollyKnown() || v.IsNull() {
		return false
	}
	if rc.count != nil {
		n, err := convertNumber(v)
		return err == nil && n == 0
	}
	ty := v.Type()
	return (ty.IsMapType() || ty.IsObjectType() || ty.IsSetType()) && v.LengthInt() == 0
}
