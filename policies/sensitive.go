package policies

// Sensitive values and what rules return.
//
// Rules judge with the real values: a CIDR read from a sensitive variable
// still opens ingress to the internet. But nothing a rule returns may carry
// a sensitive value into the output, even transformed by the rule (upper-
// cased, base64-encoded, concatenated), and a search for the value in the
// finished message cannot see through a transformation. So the engine
// follows the value instead, by differential evaluation, on the graphs that
// hold a sensitive value:
//
//   - pass A: the rules over the real values (the findings that count);
//   - pass B: the rules that returned something in A, over the same graph
//     with every sensitive value replaced by a canary: a distinctive random
//     value of the same kind (a string of lower-case letters and digits, a
//     14- or 15-digit integer; a sensitive object's keys are canaries too);
//   - pass C: where needed, B again with other canaries (other lengths).
//
// B never saw a sensitive value, so B's output carries none. For each
// finding of A, its counterpart is the finding of B with the same rule,
// resource and attribute:
//
//   - same message in B: the message does not depend on a sensitive value;
//     A's is reported;
//   - one counterpart with another message: the message quotes a sensitive
//     value. B's message, with each canary (as is or upper-cased) replaced by
//     "(sensitive)", is reported if C's gives the same text: otherwise a
//     canary went through a transformation (base64, hashing, slicing) that
//     the replacement cannot see, and the message is withheld;
//   - no counterpart (the finding exists only because of the real value) or
//     several: the message is withheld (the rule's title and a fixed text),
//     and the attribute path is cut to its longest prefix that is the
//     structure of the resource's values, never a key of a sensitive object.
//
// The finding itself, its severity and its location come from A: they are
// the rule's judgement, which is made with the real values. A malformed
// result or a runtime error whose text B does not reproduce is reported
// with its details withheld.

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

const (
	withheldMessage = "the message is withheld: it is computed from a sensitive value"
	withheldDetail  = "the details are withheld: they are computed from a sensitive value"
	withheldError   = "the error message is withheld: it may quote a sensitive value"
)

// hasSensitive reports whether any resource of g holds a known sensitive
// value (a sensitive value that is unknown is not in the input).
func hasSensitive(g *graph.Graph) bool {
	for _, r := range g.Resources {
		if holdsSensitive(r.Values, r.Sensitive) {
			return true
		}
	}
	return false
}

// holdsSensitive reports whether sensitive marks a value present in v.
func holdsSensitive(v, sensitive any) bool {
	switch s := sensitive.(type) {
	case bool:
		return s
	case map[string]any:
		m, _ := v.(map[string]any)
		for k, sub := range s {
			if x, ok := m[k]; ok && holdsSensitive(x, sub) {
				return true
			}
		}
	case []any:
		l, _ := v.([]any)
		for i, sub := range s {
			if i < len(l) && holdsSensitive(l[i], sub) {
				return true
			}
		}
	}
	return false
}

// canaries hands out the replacement values of one masked pass and
// replaces them in text.
type canaries struct {
	prefix string // "pcs" and random lower-case letters a-y
	base   int64  // the first number canary
	strs   []string
	nums   []string
	repl   *strings.Replacer
}

// newCanaries makes a canary set whose strings hold the given number of
// random letters and whose numbers have the given number of digits (at most
// 15: below 2^53, a number canary is printed as written).
func newCanaries(letters, digits int) *canaries {
	b := make([]byte, letters)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = 'a' + b[i]%25
	}
	low := int64(1)
	for range digits - 1 {
		low *= 10
	}
	// In [10^(d-1), 9*10^(d-1)): the canaries after the base keep d digits.
	offset, err := rand.Int(rand.Reader, big.NewInt(8*low))
	if err != nil {
		offset = big.NewInt(0)
	}
	return &canaries{prefix: "pcs" + string(b), base: low + offset.Int64()}
}

func (c *canaries) str() string {
	s := c.prefix + strconv.Itoa(len(c.strs)) + "z"
	c.strs = append(c.strs, s)
	return s
}

func (c *canaries) num() json.Number {
	s := strconv.FormatInt(c.base+int64(len(c.nums)), 10)
	c.nums = append(c.nums, s)
	return json.Number(s)
}

// mask returns v with every value that sensitive marks replaced by
// canaries. Only the marked paths are copied.
func (c *canaries) mask(v, sensitive any) any { return replaceSensitive(v, sensitive, c.all) }

// replaceSensitive returns v with every value that sensitive marks (the
// after_sensitive conventions: true, or a map or list of marks) replaced by
// leaf of it. Only the marked paths are copied.
func replaceSensitive(v, sensitive any, leaf func(any) any) any {
	switch s := sensitive.(type) {
	case bool:
		if s {
			return leaf(v)
		}
	case map[string]any:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := make(map[string]any, len(m))
		for k, x := range m {
			out[k] = replaceSensitive(x, s[k], leaf)
		}
		return out
	case []any:
		l, ok := v.([]any)
		if !ok {
			return v
		}
		out := make([]any, len(l))
		for i, x := range l {
			var si any
			if i < len(s) {
				si = s[i]
			}
			out[i] = replaceSensitive(x, si, leaf)
		}
		return out
	}
	return v
}

// masked returns v with every value sensitive marks replaced by the
// placeholder: what may be shown or hashed.
func masked(v, sensitive any) any {
	return replaceSensitive(v, sensitive, func(any) any { return graph.SensitivePlaceholder })
}

// all replaces a wholly sensitive value: every leaf, and the keys of its
// objects (the keys of a sensitive map are as secret as its values). Lists
// keep their length. A boolean or null becomes a string canary: there is no
// canary of those kinds.
func (c *canaries) all(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for _, y := range x {
			out[c.str()] = c.all(y)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = c.all(y)
		}
		return out
	case json.Number, int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return c.num()
	default:
		return c.str()
	}
}

// replace replaces each canary, as is or upper-cased, by graph.SensitivePlaceholder.
func (c *canaries) replace(s string) string {
	if c.repl == nil {
		var pairs []string
		for _, x := range c.strs {
			pairs = append(pairs, x, graph.SensitivePlaceholder, strings.ToUpper(x), graph.SensitivePlaceholder)
		}
		for _, x := range c.nums {
			pairs = append(pairs, x, graph.SensitivePlaceholder)
		}
		c.repl = strings.NewReplacer(pairs...)
	}
	return c.repl.Replace(s)
}

// maskedPass evaluates the rules for which which(i) holds over g with its
// sensitive values replaced by c's canaries, with lenient queries (a canary
// that makes a builtin fail costs only the expression). alone(i) rules run
// each with a cache of their own, so that their runtime errors are
// reproduced rather than served from the cache of another rule.
func (e *evaluation) maskedPass(ctx context.Context, g *graph.Graph, c *canaries, which, alone func(int) bool) ([]run, []outcome) {
	runs := make([]run, len(e.rules))
	outs := make([]outcome, len(e.rules))
	needed := false
	for i := range e.rules {
		needed = needed || which(i)
	}
	if !needed {
		return runs, outs
	}
	in, err := inputValue(g, func(r *graph.Resource) map[string]any {
		if !holdsSensitive(r.Values, r.Sensitive) {
			return r.Values
		}
		m, _ := c.mask(r.Values, r.Sensitive).(map[string]any)
		return m
	})
	if err != nil {
		// Pass A built the same document; without B every message that
		// could depend on a sensitive value is withheld.
		return runs, outs
	}
	limit := e.limit(g)
	runs, outs = e.pass(ctx, g, in, limit, func(i int) bool { return which(i) && !alone(i) }, false)
	for i := range e.rules {
		if which(i) && alone(i) {
			r, o := e.pass(ctx, g, in, limit, func(j int) bool { return j == i }, false)
			runs[i], outs[i] = r[i], o[i]
		}
	}
	return runs, outs
}

// resultKey identifies the counterpart of a result in another pass.
type resultKey struct{ resource, attribute string }

// verdict is what may be reported of one result of pass A.
type verdict struct {
	message   string // the message to report; "" while a candidate waits for pass C
	candidate string // B's message with its canaries replaced
	attrSafe  bool   // B has a result at the same attribute
}

// sanitize builds the findings and diagnostics of a graph holding sensitive
// values from pass A's runs and outcomes (see the top of this file).
func (e *evaluation) sanitize(ctx context.Context, g *graph.Graph, runs []run, outs []outcome) ([]finding.Finding, []graph.Diagnostic) {
	failed := func(i int) bool { return runs[i].fail != nil && runs[i].fail.kind == failError }
	returned := func(i int) bool { return len(outs[i].results) > 0 || len(outs[i].diags) > 0 || failed(i) }
	cb := newCanaries(12, 15)
	bRuns, bOuts := e.maskedPass(ctx, g, cb, returned, failed)

	verdicts := make([][]verdict, len(e.rules))
	pending := make([]bool, len(e.rules))
	for i := range e.rules {
		verdicts[i] = match(outs[i].results, bOuts[i].results, cb)
		for _, v := range verdicts[i] {
			if v.candidate != "" {
				pending[i] = true
			}
		}
	}
	cc := newCanaries(14, 14)
	_, cOuts := e.maskedPass(ctx, g, cc, func(i int) bool { return pending[i] }, func(int) bool { return false })

	var findings []finding.Finding
	var diags []graph.Diagnostic
	for i, rule := range e.rules {
		confirmed := map[resultKey]map[string]bool{}
		for _, r := range cOuts[i].results {
			k := resultKey{r.Resource, r.Attribute}
			if confirmed[k] == nil {
				confirmed[k] = map[string]bool{}
			}
			confirmed[k][cc.replace(r.Message)] = true
		}
		for j, r := range outs[i].results {
			v := verdicts[i][j]
			if v.candidate != "" && confirmed[resultKey{r.Resource, r.Attribute}][v.candidate] {
				v.message = v.candidate
			}
			attribute := r.Attribute
			if v.message == "" {
				v.message = fmt.Sprintf("%s (%s)", rule.Title, withheldMessage)
				if !v.attrSafe {
					attribute = safePath(g.Resource(r.Resource), r.Attribute)
				}
			}
			findings = append(findings, e.finding(rule, g, r, attribute, v.message))
		}
		seen := map[graph.Diagnostic]bool{}
		for _, d := range bOuts[i].diags {
			seen[d] = true
		}
		for _, d := range outs[i].diags {
			if !seen[d] {
				d = malformed(rule, g, withheldDetail)
			}
			diags = append(diags, d)
		}
		if f := runs[i].fail; f != nil && f.kind != failCancelled {
			withheld := ""
			if f.kind == failError && !reproduced(f, bRuns[i]) {
				withheld = withheldError
			}
			diags = append(diags, e.failureDiag(rule, g, f, withheld))
		}
	}
	return findings, diags
}

// reproduced reports whether the masked run of a rule met the error f
// with the same text: then the text quotes no sensitive value.
func reproduced(f *failure, b run) bool {
	if b.fail != nil && b.fail.kind == failError && b.fail.message == f.message {
		return true
	}
	for _, be := range b.builtin {
		if be.Message == f.message {
			return true
		}
	}
	return false
}

// match pairs the results of pass A with those of pass B (see the top of
// this file).
func match(a, b []result, c *canaries) []verdict {
	groups := map[resultKey][]string{}
	for _, r := range b {
		k := resultKey{r.Resource, r.Attribute}
		groups[k] = append(groups[k], r.Message)
	}
	verdicts := make([]verdict, len(a))
	left := map[resultKey][]int{}
	for j, r := range a {
		k := resultKey{r.Resource, r.Attribute}
		msgs, ok := groups[k]
		verdicts[j].attrSafe = ok
		if n := indexOf(msgs, r.Message); n >= 0 {
			verdicts[j].message = r.Message
			groups[k] = append(msgs[:n:n], msgs[n+1:]...)
			continue
		}
		left[k] = append(left[k], j)
	}
	for k, js := range left {
		// One result left on each side is a pair; with several, which goes
		// with which cannot be told, and each message is withheld.
		if msgs := groups[k]; len(js) == 1 && len(msgs) == 1 {
			verdicts[js[0]].candidate = c.replace(msgs[0])
		}
	}
	return verdicts
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// safePath returns the longest prefix of an attribute path that walks the
// structure of the resource's values (known or unknown) without using a
// key of a sensitive object: a path a rule built from a sensitive value is
// cut before that value.
func safePath(res *graph.Resource, path string) string {
	if path == "" {
		return ""
	}
	segs := strings.Split(path, ".")
	var values, unknown, sensitive any = res.Values, res.Unknown, res.Sensitive
	n := 0
	for _, seg := range segs {
		wholly := sensitive == true
		v, vok, vlist := child(values, seg)
		u, uok, ulist := child(unknown, seg)
		if !vok && !uok {
			break
		}
		if wholly && !vlist && !ulist {
			// The keys of a sensitive object are sensitive; list indexes are
			// positions.
			break
		}
		values, unknown = v, u
		if !wholly {
			sensitive, _, _ = child(sensitive, seg)
		}
		n++
	}
	return strings.Join(segs[:n], ".")
}

// child steps into an object (by key) or a list (by canonical index).
func child(node any, seg string) (v any, ok, list bool) {
	switch x := node.(type) {
	case map[string]any:
		v, ok = x[seg]
		return v, ok, false
	case []any:
		i, err := strconv.Atoi(seg)
		if err != nil || i < 0 || i >= len(x) || strconv.Itoa(i) != seg {
			return nil, false, true
		}
		return x[i], true, true
	}
	return nil, false, false
}
