package terraform

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// ignoreComment matches an inline ignore:
//
//	# portcullis:ignore PCS-AWS-001 the reason, required
//	name = "x" // portcullis:ignore * reason (a trailing comment)
var ignoreComment = regexp.MustCompile(`(?:#|//|/\*)\s*portcullis:ignore\s+(\S+)\s*(.*?)\s*(?:\*/)?\s*$`)

// suppressions reads the inline ignores of a resource block: comment lines
// directly above its header, and comment lines inside the block. An ignore
// without a reason is reported and not applied: auditors need the why.
func (e *evaluator) suppressions(block *hcl.Block) []graph.Suppression {
	src, ok := e.st.pos.source(block.DefRange.Filename)
	if !ok || !bytes.Contains(src, []byte("portcullis:ignore")) {
		return nil
	}
	lines := bytes.Split(src, []byte("\n"))
	lineStart := make([]int, len(lines))
	for i := 1; i < len(lines); i++ {
		lineStart[i] = lineStart[i-1] + len(lines[i-1]) + 1
	}
	start := block.DefRange.Start.Line - 1 // 0-based line of the header
	end := block.Body.MissingItemRange().End.Line - 1
	if r, ok := block.Body.(interface{ Range() hcl.Range }); ok {
		end = r.Range().End.Line - 1
	}
	var idx []int
	for i := start - 1; i >= 0; i-- { // the comment lines right above
		if !isComment(lines[i]) {
			break
		}
		idx = append(idx, i)
	}
	for i := start; i <= end && i < len(lines); i++ {
		idx = append(idx, i)
	}
	var out []graph.Suppression
	for _, i := range idx {
		m := ignoreComment.FindSubmatch(lines[i])
		if m == nil {
			continue
		}
		text := bytes.TrimRight(lines[i], "\r")
		col := bytes.Index(text, []byte("portcullis:ignore"))
		file := block.DefRange.Filename
		rg := graph.Range{File: file,
			Start: e.st.pos.pos(file, hcl.Pos{Line: i + 1, Byte: lineStart[i] + col}),
			End:   e.st.pos.pos(file, hcl.Pos{Line: i + 1, Byte: lineStart[i] + len(text)})}
		rule, reason := string(m[1]), strings.TrimSpace(string(m[2]))
		if reason == "" {
			e.st.diags = append(e.st.diags, graph.Diagnostic{Severity: graph.SeverityWarning,
				Summary: "ignore without a reason",
				Detail:  "portcullis:ignore " + rule + " needs a reason after the rule id; it is not applied",
				Range:   rg})
			continue
		}
		out = append(out, graph.Suppression{RuleID: rule, Reason: reason, Range: rg})
	}
	return out
}

func isComment(line []byte) bool {
	t := bytes.TrimSpace(line)
	return bytes.HasPrefix(t, []byte("#")) || bytes.HasPrefix(t, []byte("//")) || bytes.HasPrefix(t, []byte("/*")) || bytes.HasPrefix(t, []byte("*"))
}
