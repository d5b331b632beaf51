package triage

import (
	"fmt"
	"sort"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// ignoreGroup is one inline ignore as written: the copies of rep.Ignores
// with the same Range (a module file read for several roots gives one copy
// per root) share it, and it counts as matched when any copy matched.
type ignoreGroup struct {
	ig      graph.Ignore // the first copy
	roots   map[string]bool
	anyRoot bool // a copy without a Root covers every root
	active  bool // applies (not malformed, forbidden, incomplete or expired)
	matched bool
}

type lineKey struct {
	file string
	line int
}

// prepareIgnores groups rep.Ignores, reports the ones that cannot apply
// and indexes the others by line and by resource.
func (t *triager) prepareIgnores() {
	groups := map[graph.Range]*ignoreGroup{}
	for _, ig := range t.rep.Ignores {
		g := groups[ig.Range]
		if g == nil {
			g = &ignoreGroup{ig: ig, roots: map[string]bool{}}
			groups[ig.Range] = g
			t.ignores = append(t.ignores, g)
		}
		if ig.Root == "" {
			g.anyRoot = true
		}
		g.roots[ig.Root] = true
	}
	sort.Slice(t.ignores, func(i, j int) bool { return rangeLess(t.ignores[i].ig.Range, t.ignores[j].ig.Range) })

	t.byLine = map[lineKey][]*ignoreGroup{}
	t.byResource = map[string][]*ignoreGroup{}
	for _, g := range t.ignores {
		if !t.checkIgnore(g.ig) {
			continue
		}
		g.active = true
		if g.ig.Resource != "" {
			t.byResource[g.ig.Resource] = append(t.byResource[g.ig.Resource], g)
		} else if g.ig.Line > 0 {
			k := lineKey{g.ig.Range.File, g.ig.Line}
			t.byLine[k] = append(t.byLine[k], g)
		}
	}
}

// checkIgnore reports whether ig may apply, and warns when it may not.
func (t *triager) checkIgnore(ig graph.Ignore) bool {
	if ig.Problem != "" {
		t.warn(ig.Range, "malformed ignore, not applied", ig.Problem)
		return false
	}
	if !t.opts.Inline {
		t.warn(ig.Range, "inline ignores are forbidden by the configuration",
			"this ignore is not applied (ignores.inline is false); record the accepted risk in the exceptions register")
		return false
	}
	ok := true
	var missing []string
	for _, field := range requiredFields(t.opts.Require) {
		if (field == "owner" && strings.TrimSpace(ig.Owner) == "") || (field == "ticket" && strings.TrimSpace(ig.Ticket) == "") {
			missing = append(missing, field)
		}
	}
	if len(missing) > 0 {
		ok = false
		what := "an " + missing[0]
		hint := missing[0] + "=..."
		if len(missing) == 2 {
			what = "an owner and a ticket"
			hint = "owner=... ticket=..."
		} else if missing[0] == "ticket" {
			what = "a ticket"
		}
		t.warn(ig.Range, "ignore without "+what+", which the configuration requires", "this ignore is not applied; add "+hint)
	}
	if ig.Expires != "" && ig.Expires < t.today {
		ok = false
		t.warn(ig.Range, fmt.Sprintf("ignore of %s expired on %s", ruleList(ig.Rules), ig.Expires),
			"it no longer suppresses findings: fix them, or renew the date if the risk is still accepted")
	}
	return ok
}

// requiredFields returns the known fields of Require, owner first, once each.
func requiredFields(req []string) []string {
	var out []string
	for _, f := range []string{"owner", "ticket"} {
		for _, r := range req {
			if strings.EqualFold(strings.TrimSpace(r), f) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

func (g *ignoreGroup) coversRule(id string) bool {
	for _, r := range g.ig.Rules {
		if r == id || r == "*" {
			return true
		}
	}
	return false
}

func (g *ignoreGroup) coversRoot(root string) bool { return g.anyRoot || g.roots[root] }

// ignored finds the ignores that cover f, marks them matched, and returns
// the suppression of the most specific: an ignore on the line the finding
// points at or bound to its resource, then one above the resource block,
// then one above a module block, innermost first.
func (t *triager) ignored(f *finding.Finding) *finding.Suppression {
	if len(t.byLine) == 0 && len(t.byResource) == 0 {
		return nil
	}
	var best *ignoreGroup
	bestRank := 0
	consider := func(cands []*ignoreGroup, rank int) {
		for _, g := range cands {
			if !g.coversRule(f.RuleID) || !g.coversRoot(f.Root) {
				continue
			}
			g.matched = true
			if best == nil || rank < bestRank || (rank == bestRank && rangeLess(g.ig.Range, best.ig.Range)) {
				best, bestRank = g, rank
			}
		}
	}
	consider(t.byResource[f.Resource], 0)
	if r := f.Location.Range; r.File != "" {
		consider(t.byLine[lineKey{r.File, r.Start.Line}], 0)
	}
	for i, b := range f.Blocks {
		if b.File != "" {
			consider(t.byLine[lineKey{b.File, b.Start.Line}], i+1)
		}
	}
	if best == nil {
		return nil
	}
	ig := best.ig
	return &finding.Suppression{
		Kind:    finding.SuppressedInline,
		Reason:  ig.Reason,
		Owner:   ig.Owner,
		Ticket:  ig.Ticket,
		Expires: ig.Expires,
		Range:   ig.Range,
	}
}

// ranAny reports whether one of rules ran ("*" always does).
func (t *triager) ranAny(rules []string) bool {
	for _, r := range rules {
		if r == "*" || t.ran[r] {
			return true
		}
	}
	return false
}

// reportUnmatched warns about the ignores and exceptions that applied to
// nothing. An ignore or exception of rules none of which ran is silent:
// the rule may be disabled on purpose.
func (t *triager) reportUnmatched() {
	for _, g := range t.ignores {
		if !g.active || g.matched || !t.ranAny(g.ig.Rules) {
			continue
		}
		ig := g.ig
		var detail string
		switch {
		case ig.Resource != "":
			detail = fmt.Sprintf("no finding of %s on %s; remove the ignore if the problem is fixed", ruleList(ig.Rules), ig.Resource)
		case ig.Line == 0:
			detail = "it applies to no line: write it on the line a finding points at or directly above it, or above the resource or module block, with no blank line between"
		default:
			detail = fmt.Sprintf("no finding of %s points at line %d, and no resource or module block that produced one starts there; remove the ignore if the problem is fixed", ruleList(ig.Rules), ig.Line)
		}
		t.warn(ig.Range, "ignore matches no finding", detail)
	}
	for _, e := range t.exceptions {
		if !e.active || e.matched || !t.ranAny([]string{e.Rule}) || !t.scanned(e) {
			continue
		}
		t.warn(e.Range, "exception matches no finding",
			fmt.Sprintf("no finding of %s %s; remove the entry if the problem is fixed", ruleList([]string{e.Rule}), e.scope()))
	}
}

// scanned reports whether the scan read a file e's path glob matches: an
// entry for files outside a partial scan (a subdirectory) is not unused.
// Without a list of the files read, every entry counts as in scope.
func (t *triager) scanned(e *exceptionState) bool {
	if e.Path == "" || t.rep.Files == nil {
		return true
	}
	for f := range t.rep.Files {
		if e.path.match(f) {
			return true
		}
	}
	return false
}

// rangeLess orders ranges by file and position.
func rangeLess(a, b graph.Range) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	if a.Start.Line != b.Start.Line {
		return a.Start.Line < b.Start.Line
	}
	if a.Start.Column != b.Start.Column {
		return a.Start.Column < b.Start.Column
	}
	return a.Start.Byte < b.Start.Byte
}
