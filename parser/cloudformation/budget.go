package cloudformation

import (
	"fmt"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The evaluation budget of one template.
//
// Evaluating a template spends bytes (every value built, counted as
// MaxValueBytes says) and steps (every node evaluated). Each resource has
// an allowance of its own, ResourceValueBytes and resourceSteps, spent
// first; so has what the template evaluates outside resources (parameter
// values, Fn::ForEach collections and expansion). What a resource needs
// beyond its allowance comes from the pool the whole template shares,
// MaxValueBytes and maxSteps. A value that neither can pay for is refused:
// it is unknown, and so is every list and mapping being built around it,
// up to the resource's Properties (or the parameter's value, or the rest
// of an Fn::ForEach expansion). So a template that spends the pool early
// cannot hide the resources after it: each is still evaluated from its own
// allowance, and a resource whose own values fit in it is evaluated as if
// the pool were untouched. The first refusal is one error diagnostic; the
// resources with values refused after it are counted in it.
//
// What evaluation builds is bounded by
// MaxValueBytes + (MaxResources+1)*ResourceValueBytes bytes as counted
// (about 220 MiB) and maxSteps + (MaxResources+1)*resourceSteps steps; a
// function builds its result only when the budget can pay for it.
const (
	// ResourceValueBytes is the allowance of values of each resource (and
	// of the template's evaluation outside resources), spent before the
	// shared MaxValueBytes: about a hundred values, more than most
	// resources build.
	ResourceValueBytes = 16 << 10
	// resourceSteps is the allowance of steps of each resource, spent
	// before the shared maxSteps.
	resourceSteps = 1024
)

// budget is the state of a template's evaluation budget.
type budget struct {
	bytes, steps         int // spent from the shared pool
	unitBytes, unitSteps int // spent from the current unit's own allowance
	// unitRefused is set when a value of the current unit was refused.
	unitRefused bool
	// refusals counts the values refused: a list or mapping being built
	// stops (and is unknown) when it changes while building an element.
	refusals int
	// refusedUnits counts the units (resources, and the template's
	// evaluation outside them) with a refused value.
	refusedUnits int
	// diag is the index in tmpl.diags of the diagnostic of the first
	// refusal, -1 before it.
	diag int
}

// beginUnit starts the evaluation of a resource (or, first of all, of
// what the template evaluates outside resources) with its own allowance.
func (t *tmpl) beginUnit() {
	t.budget.unitBytes, t.budget.unitSteps, t.budget.unitRefused = 0, 0, false
}

// left is how many bytes of values may still be built in this unit.
func (t *tmpl) left() int {
	return ResourceValueBytes - t.budget.unitBytes + MaxValueBytes - t.budget.bytes
}

// afford reports whether n bytes of values can be built now, without
// spending them; when they cannot, the value is refused (at is where).
func (t *tmpl) afford(n int, at graph.Range) bool {
	if n <= t.left() {
		return true
	}
	t.refuse(at, false)
	return false
}

// charge spends n bytes of values built at at, from the unit's allowance
// first, then from the shared pool; false (a refusal) when they do not
// fit.
func (t *tmpl) charge(n int, at graph.Range) bool {
	if !t.afford(n, at) {
		return false
	}
	own := min(n, ResourceValueBytes-t.budget.unitBytes)
	t.budget.unitBytes += own
	t.budget.bytes += n - own
	return true
}

// step spends one evaluation step at at; false (a refusal) when none is
// left.
func (t *tmpl) step(at graph.Range) bool {
	switch {
	case t.budget.unitSteps < resourceSteps:
		t.budget.unitSteps++
	case t.budget.steps < maxSteps:
		t.budget.steps++
	default:
		t.refuse(at, true)
		return false
	}
	return true
}

// refuse records a value refused by the budget at at: the first refusal
// is an error diagnostic; the units with refusals after it are counted in
// it (see finishBudget).
func (t *tmpl) refuse(at graph.Range, steps bool) {
	b := &t.budget
	b.refusals++
	if !b.unitRefused {
		b.unitRefused = true
		b.refusedUnits++
	}
	if b.diag >= 0 {
		return
	}
	b.diag = len(t.diags)
	if steps {
		t.errorf(at, "template too complex",
			fmt.Sprintf("evaluating the template takes more steps than its budget allows: %d for each resource, and %d more shared by the whole template "+
				"(YAML aliases expanding to a very large tree?); what was being evaluated here is unknown", resourceSteps, maxSteps))
		return
	}
	t.errorf(at, "template too complex",
		fmt.Sprintf("evaluating the template builds more values than its budget allows: %d bytes for each resource, and %d more shared by the whole template "+
			"(Fn::Join or Fn::Sub over large strings, copies of very large lists, nested Fn::ForEach, YAML aliases?); "+
			"what was being built here is unknown", ResourceValueBytes, MaxValueBytes))
}

// finishBudget completes the diagnostic of the first refusal with the
// number of other units whose values were refused.
func (t *tmpl) finishBudget() {
	b := &t.budget
	if b.diag < 0 || b.diag >= len(t.diags) || b.refusedUnits < 2 {
		return
	}
	others := b.refusedUnits - 1
	noun := "resources"
	if others == 1 {
		noun = "resource"
	}
	t.diags[b.diag].Detail += fmt.Sprintf("; the budget leaves values of %d more %s unknown", others, noun)
}
