package cloudformation

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The seeds are in testdata/fuzz/FuzzParamFile. Run it with
//
//	go test -run '^$' -fuzz FuzzParamFile -fuzztime 5m -parallel 1 ./parser/cloudformation/
//
// Properties: parsing a parameter file (either form) never panics; every
// diagnostic is an error inside the file; every entry's value is located
// exactly (its span decodes, as JSON, to the entry's text); and a valid
// JSON array or object of modest depth is never "invalid".
func FuzzParamFile(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		entries, diags := parseParamFile("p.json", src)
		for _, d := range diags {
			paramCheckRange(t, src, d.Range, d.String())
			if d.Severity != graph.SeverityError {
				t.Errorf("not an error: %v", d)
			}
		}
		for _, e := range entries {
			paramCheckRange(t, src, e.rng, e.key)
			if e.unknown {
				continue
			}
			span := src[e.rng.Start.Byte:e.rng.End.Byte]
			dec := json.NewDecoder(bytes.NewReader(span))
			dec.UseNumber()
			var v any
			if err := dec.Decode(&v); err != nil {
				t.Fatalf("entry %s: span %q: %v", e.key, span, err)
			}
			if got, ok := paramFuzzText(v); !ok || got != e.value {
				t.Errorf("entry %s: span %q reads %q, the entry has %q", e.key, span, got, e.value)
			}
		}
		body := bytes.TrimPrefix(src, []byte{0xEF, 0xBB, 0xBF})
		trimmed := bytes.TrimLeft(body, " \t\r\n")
		if json.Valid(body) && len(trimmed) > 0 && (trimmed[0] == '[' || trimmed[0] == '{') && paramFuzzDepth(body) <= 64 {
			for _, d := range diags {
				if d.Summary == "invalid parameter file" {
					t.Errorf("valid JSON: %v", d)
				}
			}
		}
	})
}

func paramCheckRange(t *testing.T, src []byte, r graph.Range, what string) {
	t.Helper()
	if r.File != "p.json" || r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		t.Fatalf("%s: range %+v out of the file (%d bytes)", what, r, len(src))
	}
	for _, p := range []graph.Pos{r.Start, r.End} {
		line := 1 + bytes.Count(src[:p.Byte], []byte("\n"))
		lineStart := bytes.LastIndexByte(src[:p.Byte], '\n') + 1
		col := 1 + utf8.RuneCount(src[lineStart:p.Byte])
		if p.Line != line || p.Column != col {
			t.Errorf("%s: position %d:%d at byte %d, want %d:%d", what, p.Line, p.Column, p.Byte, line, col)
		}
	}
}

// paramFuzzText is what a parameter file's value means: a scalar's text,
// or a list of scalars joined with commas.
func paramFuzzText(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	case bool:
		if x {
			return "true", true
		}
		return "false", true
	case []any:
		var parts []string
		for _, it := range x {
			if _, isList := it.([]any); isList {
				return "", false
			}
			s, ok := paramFuzzText(it)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), true
	}
	return "", false
}

// paramFuzzDepth is the nesting depth of valid JSON (brackets outside
// strings).
func paramFuzzDepth(src []byte) int {
	depth, deepest := 0, 0
	in := false
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case in && c == '\\':
			i++
		case c == '"':
			in = !in
		case !in && (c == '[' || c == '{'):
			depth++
			deepest = max(deepest, depth)
		case !in && (c == ']' || c == '}'):
			depth--
		}
	}
	return deepest
}
