package report

import (
	"sort"
	"strings"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// noControl is the group of the findings whose rule lists no control (or
// is not in the report).
const noControl = "(no control)"

// controlGroup is the findings (indexes into a sorted slice) of one control.
type controlGroup struct {
	control  string
	findings []int
}

// byControl groups findings under each control their rule lists: a
// finding is in as many groups as its rule has controls. Every control of
// the report's rules has a group, possibly empty (the rule ran and found
// nothing); findings of rules without controls are under noControl, which
// exists only when it has some. Groups are in ControlLess order.
func byControl(rules map[string]finding.Rule, findings []finding.Finding) []controlGroup {
	index := map[string][]int{}
	for _, r := range rules {
		for _, c := range r.Controls {
			if c = strings.TrimSpace(c); c != "" && index[c] == nil {
				index[c] = []int{}
			}
		}
	}
	for i, f := range findings {
		listed := false
		seen := map[string]bool{}
		for _, c := range rules[f.RuleID].Controls {
			if c = strings.TrimSpace(c); c != "" && !seen[c] {
				seen[c] = true
				listed = true
				index[c] = append(index[c], i)
			}
		}
		if !listed {
			index[noControl] = append(index[noControl], i)
		}
	}
	groups := make([]controlGroup, 0, len(index))
	for c, fs := range index {
		groups = append(groups, controlGroup{c, fs})
	}
	sort.Slice(groups, func(i, j int) bool { return ControlLess(groups[i].control, groups[j].control) })
	return groups
}

// ControlLess orders controls: SOC 2 first (the baseline the built-in
// rules evidence), then the other frameworks by name, each in natural
// order (CC6.2 before CC6.10); noControl last.
func ControlLess(a, b string) bool {
	if (a == noControl) != (b == noControl) {
		return b == noControl
	}
	soc2a, soc2b := strings.HasPrefix(a, "SOC2:"), strings.HasPrefix(b, "SOC2:")
	if soc2a != soc2b {
		return soc2a
	}
	// Strings equal but for leading zeros are ordered as bytes.
	return naturalLess(a, b) || !naturalLess(b, a) && a < b
}

// naturalLess compares strings with their runs of digits compared as
// numbers.
func naturalLess(a, b string) bool {
	for a != "" && b != "" {
		da, db := digits(a), digits(b)
		if da > 0 && db > 0 {
			na, nb := strings.TrimLeft(a[:da], "0"), strings.TrimLeft(b[:db], "0")
			if len(na) != len(nb) {
				return len(na) < len(nb)
			}
			if na != nb {
				return na < nb
			}
			a, b = a[da:], b[db:]
			continue
		}
		if a[0] != b[0] {
			return a[0] < b[0]
		}
		a, b = a[1:], b[1:]
	}
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return false
}

func digits(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	return n
}
