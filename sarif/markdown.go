package sarif

import "strings"

// markdownBlocks prepares a METADATA text (a description, a remediation)
// for help.markdown so that its fenced code blocks render as code:
//
//   - line ends are normalised and the indentation every line shares is
//     removed (a block scalar indented as a whole would otherwise be an
//     indented code block, or, after a paragraph, more prose);
//   - a fence indented further than the text around it is moved to the
//     left margin with its content (an indented fence after a paragraph
//     line is a lazy continuation of the paragraph: the code renders as
//     prose); the content keeps its indentation relative to the fence;
//   - a blank line separates every fence from the text around it;
//   - a fence left open is closed, so that it does not swallow the rest of
//     the help (controls, the documentation link).
//
// Text outside fences is left as written.
func markdownBlocks(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(strings.Trim(s, "\n"), "\n")
	lines = dedent(lines)

	var out []string
	blankBefore := func() {
		if len(out) > 0 && strings.TrimSpace(out[len(out)-1]) != "" {
			out = append(out, "")
		}
	}
	var fence string // the open fence's marker ("```", "~~~~"), "" outside
	indent := 0      // the open fence's indentation
	for _, line := range lines {
		if fence == "" {
			if marker, n := fenceOpen(line); marker != "" {
				blankBefore()
				out = append(out, line[n:])
				fence, indent = marker, n
				continue
			}
			if len(out) > 0 && isFence(out[len(out)-1]) && strings.TrimSpace(line) != "" {
				out = append(out, "") // after a closing fence
			}
			out = append(out, line)
			continue
		}
		body := trimIndent(line, indent)
		out = append(out, body)
		if closes(body, fence) {
			out[len(out)-1] = strings.TrimSpace(body)
			fence = ""
		}
	}
	if fence != "" {
		out = append(out, fence)
	}
	return strings.Join(out, "\n")
}

// fenceOpen returns the marker of a line that opens a fenced code block
// (three or more backticks or tildes, after any indentation) and the
// indentation's width, or "" when the line opens none.
func fenceOpen(line string) (string, int) {
	n := len(line) - len(strings.TrimLeft(line, " "))
	rest := line[n:]
	for _, c := range []byte{'`', '~'} {
		m := len(rest) - len(strings.TrimLeft(rest, string(c)))
		if m >= 3 {
			if c == '`' && strings.Contains(rest[m:], "`") {
				return "", 0 // inline code, not a fence (CommonMark)
			}
			return rest[:m], n
		}
	}
	return "", 0
}

// closes reports whether line closes the fence opened by marker: at least
// as many of the same character, then only spaces.
func closes(line, marker string) bool {
	t := strings.TrimLeft(line, " ")
	m := len(t) - len(strings.TrimLeft(t, marker[:1]))
	return m >= len(marker) && strings.TrimSpace(t[m:]) == ""
}

func isFence(line string) bool {
	m, _ := fenceOpen(line)
	return m != "" && strings.TrimSpace(line) == strings.Repeat(m[:1], len(strings.TrimSpace(line)))
}

// trimIndent removes up to n leading spaces.
func trimIndent(line string, n int) string {
	i := 0
	for i < n && i < len(line) && line[i] == ' ' {
		i++
	}
	return line[i:]
}

// dedent removes the leading spaces that every non-blank line shares.
func dedent(lines []string) []string {
	common := -1
	for _, l := range lines {
		if strings.TrimSpace(l) == "" {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, " "))
		if common < 0 || n < common {
			common = n
		}
	}
	if common <= 0 {
		return lines
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = trimIndent(l, common)
	}
	return out
}
