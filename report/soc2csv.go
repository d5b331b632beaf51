package report

import (
	"encoding/csv"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// soc2Header is the header row of WriteSOC2CSV.
var soc2Header = []string{
	"control", "rule_id", "rule_title", "severity", "resource", "resource_type", "file",
	"line", "column", "message", "status", "reason", "owner", "ticket", "expires", "fingerprint",
}

// WriteSOC2CSV writes r as CSV evidence for a SOC 2 audit: a header, then
// one row per finding per SOC 2 control of its rule (the rule's controls
// that start with "SOC2:", written without the prefix: "CC6.1"); a
// finding of a rule with no SOC 2 control has one row with an empty
// control. Suppressed findings are rows too: status is "open" or the kind
// of the suppression (inline, exception, baseline, excluded, unchanged,
// threshold), with its reason, owner, ticket and expiry date.
//
// Rows are sorted by control (natural order, the empty control last), then
// in the findings' canonical order. A cell that a spreadsheet would read
// as a formula (starting with = + - @, a tab or a carriage return) is
// prefixed with a single quote.
func WriteSOC2CSV(w io.Writer, r *finding.Report) error {
	rules := ruleIndex(r.Rules)
	findings, _ := sortedCopies(r)
	type row struct {
		control string
		index   int // in findings
	}
	var rows []row
	for i, f := range findings {
		seen := map[string]bool{}
		for _, c := range rules[f.RuleID].Controls {
			c = strings.TrimSpace(c)
			if id, ok := strings.CutPrefix(c, "SOC2:"); ok && id != "" && !seen[id] {
				seen[id] = true
				rows = append(rows, row{id, i})
			}
		}
		if len(seen) == 0 {
			rows = append(rows, row{"", i})
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := rows[i].control, rows[j].control
		if (a == "") != (b == "") {
			return b == ""
		}
		if a != b {
			return naturalLess(a, b) || !naturalLess(b, a) && a < b
		}
		return rows[i].index < rows[j].index
	})

	cw := csv.NewWriter(w)
	if err := cw.Write(soc2Header); err != nil {
		return err
	}
	for _, rw := range rows {
		f := findings[rw.index]
		rg := f.Location.Range
		status, reason, owner, ticket, expires := "open", "", "", "", ""
		if s := f.Suppressed; s != nil {
			status, reason, owner, ticket, expires = nonEmpty(s.Kind, "suppressed"), s.Reason, s.Owner, s.Ticket, s.Expires
		}
		rec := []string{
			rw.control, f.RuleID, rules[f.RuleID].Title, string(f.Severity), f.Resource, f.Type, rg.File,
			number(rg.Start.Line), number(rg.Start.Column), f.Message, status, reason, owner, ticket, expires,
			f.FingerprintHash(),
		}
		for i := range rec {
			rec[i] = csvCell(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// number formats a line or column, "" when it is not known.
func number(n int) string {
	if n <= 0 {
		return ""
	}
	return strconv.Itoa(n)
}

// csvCell neutralises a cell a spreadsheet would evaluate (OWASP's CSV
// injection advice): one starting with = + - @ tab or CR gets a leading
// single quote. Other control characters are replaced; line breaks stay
// (encoding/csv quotes the cell).
func csvCell(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\n', '\r', '\t':
			return r
		}
		return printable(r)
	}, s)
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
