package cloudformation

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Escapes, tabs, non-ASCII keys, nested objects and arrays, every literal.
func TestDecodeJSONPositions(t *testing.T) {
	src := []byte("{\n" + // 0..2
		"\t\"a\": \"x\\/y\\u00e9\",\n" + // 2..22
		"\t\"é\": [1, {\"b\": true}],\n" + // 22..47
		"\t\"c\": {}\n" + // 47..56
		"}")
	got, diags := DecodeJSON("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	decCheckTree(t, src, got, decMap(decR(1, 1, 0, 5, 2, 57),
		decStr("a", decR(2, 2, 3, 2, 5, 6)),
		decStr("x/yé", decR(2, 7, 8, 2, 19, 20)),
		decStr("é", decR(3, 2, 23, 3, 5, 27)),
		decSeq(decR(3, 7, 29, 3, 23, 45),
			decNum("1", decR(3, 8, 30, 3, 9, 31)),
			decMap(decR(3, 11, 33, 3, 22, 44),
				decStr("b", decR(3, 12, 34, 3, 15, 37)),
				decBool("true", decR(3, 17, 39, 3, 21, 43)))),
		decStr("c", decR(4, 2, 48, 4, 5, 51)),
		decMap(decR(4, 7, 53, 4, 9, 55))), false)
}

func TestDecodeJSONLiteralsAndEscapes(t *testing.T) {
	src := []byte(`[null, false, -1.5e3, "\ud83d\ude00", "\"\\\t", 0]`)
	got, diags := DecodeJSON("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	decCheckTree(t, src, got, decSeq(decR(1, 1, 0, 1, 51, 50),
		decNull(decR(1, 2, 1, 1, 6, 5)),
		decBool("false", decR(1, 8, 7, 1, 13, 12)),
		decNum("-1.5e3", decR(1, 15, 14, 1, 21, 20)),
		decStr("😀", decR(1, 23, 22, 1, 37, 36)),
		decStr("\"\\\t", decR(1, 39, 38, 1, 47, 46)),
		decNum("0", decR(1, 49, 48, 1, 50, 49))), false)
}

// CRLF line endings and a byte order mark.
func TestDecodeJSONCRLFAndBOM(t *testing.T) {
	src := []byte("\xEF\xBB\xBF{\r\n\"a\": 1\r\n}")
	got, diags := DecodeJSON("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	decCheckTree(t, src, got, decMap(decR(1, 1, 3, 3, 2, 15),
		decStr("a", decR(2, 1, 6, 2, 4, 9)),
		decNum("1", decR(2, 6, 11, 2, 7, 12))), false)
}

func TestDecodeJSONDiagnostics(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []decDiagWant
		check func(t *testing.T, n *Node)
	}{
		{
			name: "duplicate key",
			src:  "{\"a\": 1,\n \"a\": {\"b\": 2}}",
			want: []decDiagWant{{graph.SeverityError, `duplicate key "a"`, 2, 2, 2, 5, "line 1 and again at line 2; CloudFormation uses the last value, and so does Portcullis"}},
			check: func(t *testing.T, n *Node) {
				if len(n.Keys) != 1 || n.Get("a").Kind != Mapping || n.KeyNode("a").Range.Start.Line != 2 {
					t.Errorf("want the last value, as CloudFormation:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "invalid character after key",
			src:  "{\n  \"a\" }",
			want: []decDiagWant{{graph.SeverityError, "JSON syntax error", 2, 7, 2, 8, "invalid character '}' after object key"}},
			check: func(t *testing.T, n *Node) {
				if n == nil || n.Kind != Mapping || n.Range.End.Byte != 8 {
					t.Errorf("want the open object ended at the error, got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "trailing comma, after non-ASCII text",
			src:  "{\"é\": [1, 2,]}",
			want: []decDiagWant{{graph.SeverityError, "JSON syntax error", 1, 13, 1, 14, "invalid character ']' looking for beginning of value"}},
		},
		{
			name: "unexpected end",
			src:  "{\"a\":",
			want: []decDiagWant{{graph.SeverityError, "JSON syntax error", 1, 6, 1, 6, "unexpected end of JSON input"}},
		},
		{
			name: "data after the value",
			src:  "{}\n{}",
			want: []decDiagWant{{graph.SeverityError, "JSON syntax error", 2, 1, 2, 2, "invalid character '{' after top-level value"}},
			check: func(t *testing.T, n *Node) {
				if n == nil || n.Kind != Mapping {
					t.Errorf("want the first value, got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "empty",
			src:  "",
			want: []decDiagWant{{graph.SeverityError, "JSON syntax error", 1, 1, 1, 1, "unexpected end of JSON input"}},
		},
		{
			name: "comment",
			src:  "{\"a\": 1 // no\n}",
			want: []decDiagWant{{graph.SeverityError, "JSON syntax error", 1, 9, 1, 10, "invalid character '/' after object key:value pair"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			n, diags := DecodeJSON("t", src)
			decCheckDiags(t, diags, tt.want)
			for _, p := range decodeCheckRanges("t", src, n, false, true) {
				t.Error(p)
			}
			if tt.check != nil {
				tt.check(t, n)
			}
		})
	}
}

// Nesting is bounded at 10,000 levels: deeper input is an error, not a
// stack overflow.
func TestDecodeJSONDeepNesting(t *testing.T) {
	src := []byte(strings.Repeat("[", 10000) + strings.Repeat("]", 10000))
	n, diags := DecodeJSON("t", src)
	if n == nil || len(diags) != 0 {
		t.Fatalf("10000 levels: %s", decDiagList(diags))
	}
	if n.Range.End.Byte != len(src) {
		t.Errorf("range %s", decodeFmtRange(n.Range))
	}
	src = []byte(strings.Repeat(`{"a":[`, 100000))
	n, diags = DecodeJSON("t", src)
	if n == nil || len(diags) != 1 || !strings.Contains(diags[0].Detail, "exceeded max depth") {
		t.Fatalf("deep: %s", decDiagList(diags))
	}
}

// Decode chooses by content.
func TestDecode(t *testing.T) {
	tests := []struct {
		name     string
		src      string
		wantKind Kind
		wantErr  string
		wantWarn string
		check    func(t *testing.T, n *Node)
	}{
		{
			name: "JSON with an escape YAML rejects",
			src:  "\xEF\xBB\xBF \n{\"a\": \"x\\/y\"}",
			check: func(t *testing.T, n *Node) {
				if v := n.Get("a"); v == nil || v.Value != "x/y" || v.Range.Start != (graph.Pos{Line: 2, Column: 7, Byte: 11}) {
					t.Errorf("got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name:     "YAML flow mapping",
			src:      "{a: !Ref b}",
			wantWarn: "invalid character 'a' looking for beginning of object key string",
			check: func(t *testing.T, n *Node) {
				if v := n.Get("a").Get("Ref"); v == nil || v.Value != "b" {
					t.Errorf("got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "YAML",
			src:  "a: [1]",
			check: func(t *testing.T, n *Node) {
				if v := n.Get("a"); v == nil || v.Kind != Sequence {
					t.Errorf("got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name:    "broken JSON reports the JSON error",
			src:     `{"a": [}`,
			wantErr: "invalid character '}' looking for beginning of value",
		},
		{
			name:     "broken JSON that is valid YAML is read as YAML, with a warning",
			src:      `{"a": }`,
			wantWarn: "invalid character '}' looking for beginning of value",
			check: func(t *testing.T, n *Node) {
				if v := n.Get("a"); v == nil || v.Kind != Null {
					t.Errorf("got:\n%s", decodeDump(nil, n))
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n, diags := Decode("t", []byte(tt.src))
			if tt.wantErr != "" {
				if len(diags) != 1 || diags[0].Detail != tt.wantErr || diags[0].Severity != graph.SeverityError {
					t.Fatalf("got:\n%s", decDiagList(diags))
				}
				return
			}
			if tt.wantWarn != "" {
				if len(diags) != 1 || diags[0].Detail != tt.wantWarn || diags[0].Severity != graph.SeverityWarning ||
					diags[0].Summary != "the template is not valid JSON; it was read as YAML" {
					t.Fatalf("got:\n%s", decDiagList(diags))
				}
				diags = nil
			}
			if len(diags) > 0 {
				t.Fatalf("diagnostics:\n%s", decDiagList(diags))
			}
			tt.check(t, n)
		})
	}
}

// decodeLines against the obvious computation, on every offset of sources
// mixing ASCII, multi-byte and invalid UTF-8, and every kind of line break.
func TestDecodeLines(t *testing.T) {
	srcs := []string{
		"",
		"abc",
		"\xEF\xBB\xBFa\r\nb",
		"é\nüx\r\n\r\nz\rq",
		"a\u2028b\u2029c\u0085d\n",
		"\xE2\x80é\xff\xC3\n\xE2\x82",
		"\t日本語\r\n語",
	}
	for _, s := range srcs {
		src := []byte(s)
		for _, yamlBreaks := range []bool{false, true} {
			x := newDecodeLines(src, yamlBreaks)
			for off := 0; off <= len(src); off++ {
				got := x.pos(off)
				want := decodeNaivePos(src, off, yamlBreaks)
				if got != want {
					t.Errorf("%q yaml=%v: pos(%d) = %+v, want %+v", s, yamlBreaks, off, got, want)
				}
			}
			// offset inverts pos at character starts.
			if !utf8.Valid(src) {
				continue
			}
			for off := 0; off < len(src); off++ {
				if !utf8.RuneStart(src[off]) || off > 0 && src[off-1] == '\r' && src[off] == '\n' || off < 3 && len(src) > 3 && s[:3] == "\xEF\xBB\xBF" {
					continue
				}
				if p := x.pos(off); x.offset(p.Line, p.Column) != off {
					t.Errorf("%q yaml=%v: offset(%d, %d) = %d, want %d", s, yamlBreaks, p.Line, p.Column, x.offset(p.Line, p.Column), off)
				}
			}
		}
	}
}

// A panic while decoding becomes an error diagnostic and a nil tree.
func TestDecodeRecover(t *testing.T) {
	decode := func() (n *Node, diags []graph.Diagnostic) {
		defer decodeRecover("t", &n, &diags)
		n = &Node{}
		panic("boom")
	}
	n, diags := decode()
	if n != nil || len(diags) != 1 || diags[0].Severity != graph.SeverityError || diags[0].Detail != "boom" ||
		diags[0].Range.File != "t" || diags[0].Range.Start.Line != 1 {
		t.Errorf("got %v %s", n, decDiagList(diags))
	}
}
