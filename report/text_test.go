package report

import (
	"bytes"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// naiveMark is quotedLine.mark written as a plain scan of the whole line:
// the reference the indexed version must agree with.
func naiveMark(text string, start, end int) (string, int, int) {
	start = max(start, 1)
	type ch struct {
		r               rune
		col, w          int
		costAt, costEnd int
	}
	var chars []ch
	x, cost, col := 0, 0, 1
	markCost := -1
	for _, r := range text {
		var w int
		if r == '\t' {
			w = tabWidth - x%tabWidth
		} else {
			r = printable(r)
			w = widths.RuneWidth(r)
		}
		if col == start {
			markCost = cost
		}
		chars = append(chars, ch{r: r, col: col, w: w, costAt: cost, costEnd: cost + max(w, 1)})
		x += w
		cost += max(w, 1)
		col++
	}
	if markCost < 0 {
		markCost = cost
	}
	lo, hi := 0, cost
	if cost > maxLineCols {
		lo = max(0, markCost-leftContext)
		hi = lo + maxLineCols
		if hi > cost {
			hi, lo = cost, cost-maxLineCols
		}
	}
	var sb strings.Builder
	pad, n := 0, 0
	if lo > 0 {
		sb.WriteString("...")
		pad = 3
	}
	for _, c := range chars {
		if c.costAt < lo || c.costEnd > hi {
			continue
		}
		if c.r == '\t' {
			sb.WriteString(strings.Repeat(" ", c.w))
		} else {
			sb.WriteRune(c.r)
		}
		if c.col < start {
			pad += c.w
		} else if end < 0 || c.col < end {
			n += c.w
		}
	}
	if hi < cost {
		sb.WriteString("...")
	}
	return sb.String(), pad, max(n, 1)
}

// TestMarkLineAgreesWithAFullScan compares the indexed excerpt with a plain
// scan on random lines of every kind of character (tabs, wide, zero-width,
// control, invalid UTF-8), longer than many checkpoints, at every kind of
// column (before, inside, past the end).
func TestMarkLineAgreesWithAFullScan(t *testing.T) {
	alphabet := []string{"a", "b", " ", "\t", "日", "é", "e\u0301", "\u200d", "\x1b", "\xff", "🙂", "\u202e"}
	rng := rand.New(rand.NewPCG(8, 8))
	for i := range 1000 {
		var sb strings.Builder
		for range rng.IntN(20 * checkpointEvery) {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		text := sb.String()
		runes := utf8.RuneCountInString(text)
		start := rng.IntN(runes+3) - 1
		end := -1
		if rng.IntN(3) > 0 {
			end = start + rng.IntN(300)
		}
		shown, pad, n := markLine(text, start, end)
		wShown, wPad, wN := naiveMark(text, start, end)
		if shown != wShown || pad != wPad || n != wN {
			t.Fatalf("case %d: markLine(%q, %d, %d) =\n%q %d %d\nwant\n%q %d %d", i, text, start, end, shown, pad, n, wShown, wPad, wN)
		}
		// The excerpt is bounded in cells and in characters, whatever the
		// line.
		if w := widths.StringWidth(shown); w > maxLineCols+6 {
			t.Fatalf("case %d: excerpt %d cells wide", i, w)
		}
		if c := utf8.RuneCountInString(shown); c > maxLineCols*tabWidth+6 {
			t.Fatalf("case %d: excerpt of %d characters", i, c)
		}
	}
}

func TestMarkLineLongLines(t *testing.T) {
	tests := []struct {
		name       string
		text       string
		start, end int
		shown      string
		carets     string
	}{
		{
			// 60 wide characters before the mark: the window starts 30
			// cells before it, inside no character.
			name: "wide characters", text: strings.Repeat("日", 60) + "TARGET" + strings.Repeat("本", 100),
			start: 61, end: 67,
			shown:  "..." + strings.Repeat("日", 15) + "TARGET" + strings.Repeat("本", 42) + "...",
			carets: strings.Repeat(" ", 33) + "^^^^^^",
		},
		{
			// The window would start in the middle of a wide character:
			// it is left out whole and the carets stay under the mark.
			name: "window starts inside a wide character", text: strings.Repeat("日", 60) + "aTARGET" + strings.Repeat("b", 200),
			start: 62, end: 68,
			shown:  "..." + strings.Repeat("日", 14) + "aTARGET" + strings.Repeat("b", 84) + "...",
			carets: strings.Repeat(" ", 32) + "^^^^^^",
		},
		{
			// Zero-width characters cost one cell each: a flood of them
			// cannot make the excerpt long.
			name: "combining marks", text: "x" + strings.Repeat("\u0301", 5000) + "TARGET" + strings.Repeat("\u0301", 5000),
			start: 5002, end: 5008,
			shown:  "..." + strings.Repeat("\u0301", 30) + "TARGET" + strings.Repeat("\u0301", 84) + "...",
			carets: "   ^^^^^^",
		},
		{
			name: "no tab stop lost when cut", text: strings.Repeat("a", 201) + "\tTARGET" + strings.Repeat("b", 200),
			start: 203, end: 209,
			// The tab after 201 cells reaches the stop at 204: 3 cells.
			shown:  "..." + strings.Repeat("a", 27) + "   TARGET" + strings.Repeat("b", 84) + "...",
			carets: strings.Repeat(" ", 33) + "^^^^^^",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			shown, pad, n := markLine(tc.text, tc.start, tc.end)
			got := strings.Repeat(" ", pad) + strings.Repeat("^", n)
			if shown != tc.shown || got != tc.carets {
				t.Errorf("markLine =\n%q\n%q\nwant\n%q\n%q", shown, got, tc.shown, tc.carets)
			}
		})
	}
}

// TestTextOneLongLine: findings all over a 768 KiB line of letters with
// combining accents each get an excerpt of bounded size, with the caret
// under their column.
func TestTextOneLongLine(t *testing.T) {
	const pairs = 1 << 18 // "a\u0301": two code points, one cell, cost 2
	line := strings.Repeat("a\u0301", pairs)
	var findings []finding.Finding
	for _, col := range []int{1, 1001, pairs + 1, 2*pairs - 3, 2*pairs + 5} {
		findings = append(findings, finding.Finding{RuleID: "PCL-L-001", Severity: finding.Low, Message: "here",
			Location: finding.Location{Range: graph.Range{File: "long.json",
				Start: graph.Pos{Line: 1, Column: col}, End: graph.Pos{Line: 1, Column: col + 1}}}})
	}
	r := &finding.Report{Findings: findings, Sources: map[string][]byte{"long.json": []byte(line)}}
	var b bytes.Buffer
	if err := WriteText(&b, r, TextOptions{}); err != nil {
		t.Fatal(err)
	}
	var quoted, carets []string
	for _, l := range strings.Split(b.String(), "\n") {
		switch {
		case strings.HasPrefix(l, "  1 |"):
			quoted = append(quoted, l)
		case strings.HasPrefix(l, "    |"):
			carets = append(carets, l)
		}
	}
	accented := func(n int) string { return strings.Repeat("a\u0301", n) }
	want := []string{
		// From the start: 60 letters, cut after 120 code points.
		"  1 | " + accented(60) + "...",
		// 30 code points (15 letters) kept before the mark.
		"  1 | ..." + accented(60) + "...",
		"  1 | ..." + accented(60) + "...",
		// Near the end and past it: the last 120 code points.
		"  1 | ..." + accented(60),
		"  1 | ..." + accented(60),
	}
	if strings.Join(quoted, "\n") != strings.Join(want, "\n") {
		t.Errorf("quoted lines:\n%s\nwant\n%s", strings.Join(quoted, "\n"), strings.Join(want, "\n"))
	}
	want = []string{
		"    | ^",
		"    | " + strings.Repeat(" ", 3+15) + "^",
		"    | " + strings.Repeat(" ", 3+15) + "^",
		"    | " + strings.Repeat(" ", 3+58) + "^",
		"    | " + strings.Repeat(" ", 3+60) + "^", // past the end of the line
	}
	if strings.Join(carets, "\n") != strings.Join(want, "\n") {
		t.Errorf("caret lines:\n%s\nwant\n%s", strings.Join(carets, "\n"), strings.Join(want, "\n"))
	}
}

// TestDocURL: a built-in rule links its catalogue page; a user rule only
// the https page its METADATA declares, never a catalogue page that does
// not exist.
func TestDocURL(t *testing.T) {
	base := "https://github.com/portcullis-iac/portcullis/blob/main/"
	for _, tc := range []struct {
		rule finding.Rule
		want string
	}{
		{finding.Rule{ID: "PCS-AWS-001", Builtin: true}, base + "docs/rules/PCS-AWS-001.md"},
		{finding.Rule{ID: "ACME-TAG-001"}, ""},
		{finding.Rule{ID: "ACME-TAG-001", HelpURI: "https://wiki.example.com/tags"}, "https://wiki.example.com/tags"},
		{finding.Rule{ID: "ACME-TAG-001", HelpURI: "javascript:alert(1)"}, ""},
		{finding.Rule{ID: "ACME-TAG-001", HelpURI: "http://wiki.example.com/tags"}, ""},
	} {
		if got := docURL(base, tc.rule); got != tc.want {
			t.Errorf("docURL(%+v) = %q, want %q", tc.rule, got, tc.want)
		}
	}
}
