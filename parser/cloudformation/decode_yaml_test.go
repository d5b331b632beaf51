package cloudformation

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Short forms in block and flow style, with every range written out.
func TestDecodeYAMLShortFormPositions(t *testing.T) {
	src := []byte(`Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      Name: !Sub '${AWS::StackName}-b'
      Arn: !GetAtt X.Arn.Deep
      V: !If [C, !Ref P, !Ref "AWS::NoValue"]
      J: !Join
        - ''
        - [a, !Ref P]
`)
	got, diags := DecodeYAML("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	want := decMap(decR(1, 1, 0, 10, 22, 222),
		decStr("Resources", decR(1, 1, 0, 1, 10, 9)),
		decMap(decR(2, 3, 13, 10, 22, 222),
			decStr("B", decR(2, 3, 13, 2, 4, 14)),
			decMap(decR(3, 5, 20, 10, 22, 222),
				decStr("Type", decR(3, 5, 20, 3, 9, 24)),
				decStr("AWS::S3::Bucket", decR(3, 11, 26, 3, 26, 41)),
				decStr("Properties", decR(4, 5, 46, 4, 15, 56)),
				decMap(decR(5, 7, 64, 10, 22, 222),
					decStr("Name", decR(5, 7, 64, 5, 11, 68)),
					decTag("!Sub", "Fn::Sub", decR(5, 13, 70, 5, 39, 96), decR(5, 13, 70, 5, 17, 74),
						decStr("${AWS::StackName}-b", decR(5, 18, 75, 5, 39, 96))),
					decStr("Arn", decR(6, 7, 103, 6, 10, 106)),
					decTag("!GetAtt", "Fn::GetAtt", decR(6, 12, 108, 6, 30, 126), decR(6, 12, 108, 6, 19, 115),
						decSeq(decR(6, 20, 116, 6, 30, 126),
							decStr("X", decR(6, 20, 116, 6, 21, 117)),
							decStr("Arn.Deep", decR(6, 22, 118, 6, 30, 126)))),
					decStr("V", decR(7, 7, 133, 7, 8, 134)),
					decTag("!If", "Fn::If", decR(7, 10, 136, 7, 46, 172), decR(7, 10, 136, 7, 13, 139),
						decSeq(decR(7, 14, 140, 7, 46, 172),
							decStr("C", decR(7, 15, 141, 7, 16, 142)),
							decTag("!Ref", "Ref", decR(7, 18, 144, 7, 24, 150), decR(7, 18, 144, 7, 22, 148),
								decStr("P", decR(7, 23, 149, 7, 24, 150))),
							decTag("!Ref", "Ref", decR(7, 26, 152, 7, 45, 171), decR(7, 26, 152, 7, 30, 156),
								decStr("AWS::NoValue", decR(7, 31, 157, 7, 45, 171))))),
					decStr("J", decR(8, 7, 179, 8, 8, 180)),
					decTag("!Join", "Fn::Join", decR(8, 10, 182, 10, 22, 222), decR(8, 10, 182, 8, 15, 187),
						decSeq(decR(9, 9, 196, 10, 22, 222),
							decStr("", decR(9, 11, 198, 9, 13, 200)),
							decSeq(decR(10, 11, 211, 10, 22, 222),
								decStr("a", decR(10, 12, 212, 10, 13, 213)),
								decTag("!Ref", "Ref", decR(10, 15, 215, 10, 21, 221), decR(10, 15, 215, 10, 19, 219),
									decStr("P", decR(10, 20, 220, 10, 21, 221))))))))))
	decCheckTree(t, src, got, want, true)
}

// Scalar styles, type resolution, non-ASCII text before a value, a tab.
func TestDecodeYAMLScalarPositions(t *testing.T) {
	src := []byte("plain: hello world # comment\n" +
		`"dq": "a\"b\u00e9"` + "\n" +
		"'sq': 'it''s'\n" +
		"ééé: üx\n" +
		"lit: |\n  one\n  two\n\n" +
		"fold: >-\n  folded\n  text\n" +
		"multi: first\n  second\n" +
		"n: -1.5\n" +
		"b: false\n" +
		"z: null\n" +
		"e:\n" +
		"t:\ttab\n")
	got, diags := DecodeYAML("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	want := decMap(decR(1, 1, 0, 18, 7, 175),
		decStr("plain", decR(1, 1, 0, 1, 6, 5)),
		decStr("hello world", decR(1, 8, 7, 1, 19, 18)),
		decStr("dq", decR(2, 1, 29, 2, 5, 33)),
		decStr(`a"bé`, decR(2, 7, 35, 2, 19, 47)),
		decStr("sq", decR(3, 1, 48, 3, 5, 52)),
		decStr("it's", decR(3, 7, 54, 3, 14, 61)),
		decStr("ééé", decR(4, 1, 62, 4, 4, 68)),
		decStr("üx", decR(4, 6, 70, 4, 8, 73)),
		decStr("lit", decR(5, 1, 74, 5, 4, 77)),
		decStr("one\ntwo\n", decR(5, 6, 79, 7, 6, 92)),
		decStr("fold", decR(9, 1, 94, 9, 5, 98)),
		decStr("folded text", decR(9, 7, 100, 11, 7, 118)),
		decStr("multi", decR(12, 1, 119, 12, 6, 124)),
		decStr("first second", decR(12, 8, 126, 13, 9, 140)),
		decStr("n", decR(14, 1, 141, 14, 2, 142)),
		decNum("-1.5", decR(14, 4, 144, 14, 8, 148)),
		decStr("b", decR(15, 1, 149, 15, 2, 150)),
		decBool("false", decR(15, 4, 152, 15, 9, 157)),
		decStr("z", decR(16, 1, 158, 16, 2, 159)),
		decNull(decR(16, 4, 161, 16, 8, 165)),
		decStr("e", decR(17, 1, 166, 17, 2, 167)),
		decNull(decR(17, 3, 168, 17, 3, 168)),
		decStr("t", decR(18, 1, 169, 18, 2, 170)),
		decStr("tab", decR(18, 4, 172, 18, 7, 175)),
	)
	decCheckTree(t, src, got, want, true)
}

// CRLF line endings and a byte order mark: the BOM is not part of line 1's
// columns; \r\n is one line break.
func TestDecodeYAMLCRLFAndBOM(t *testing.T) {
	src := []byte("a: b\r\nc: [d, \"e\"]\r\n")
	got, diags := DecodeYAML("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	decCheckTree(t, src, got, decMap(decR(1, 1, 0, 2, 12, 17),
		decStr("a", decR(1, 1, 0, 1, 2, 1)),
		decStr("b", decR(1, 4, 3, 1, 5, 4)),
		decStr("c", decR(2, 1, 6, 2, 2, 7)),
		decSeq(decR(2, 4, 9, 2, 12, 17),
			decStr("d", decR(2, 5, 10, 2, 6, 11)),
			decStr("e", decR(2, 8, 13, 2, 11, 16)))), true)

	src = []byte("\xEF\xBB\xBFa: !Ref b\r\n")
	got, _ = DecodeYAML("t", src)
	decCheckTree(t, src, got, decMap(decR(1, 1, 3, 1, 10, 12),
		decStr("a", decR(1, 1, 3, 1, 2, 4)),
		decTag("!Ref", "Ref", decR(1, 4, 6, 1, 10, 12), decR(1, 4, 6, 1, 8, 10),
			decStr("b", decR(1, 9, 11, 1, 10, 12)))), true)
}

// Tags on their own line, comments between tag and content, anchors
// before tags, quoted !GetAtt, an empty !Ref, a tag on a block mapping.
func TestDecodeYAMLTagLayouts(t *testing.T) {
	src := []byte("a: !Sub # why\n" + // 0..14
		"  # more\n" + // 14..23
		"  \"x${y}\"\n" + // 23..33
		"b: &anc !Ref c\n" + // 33..48
		"d: !GetAtt 'R.Attr'\n" + // 48..68
		"e: [!Ref ]\n" + // 68..79
		"f: !Transform\n" + // 79..93
		"  Name: M\n") // 93..103
	got, diags := DecodeYAML("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	decCheckTree(t, src, got, decMap(decR(1, 1, 0, 8, 10, 102),
		decStr("a", decR(1, 1, 0, 1, 2, 1)),
		decTag("!Sub", "Fn::Sub", decR(1, 4, 3, 3, 10, 32), decR(1, 4, 3, 1, 8, 7),
			decStr("x${y}", decR(3, 3, 25, 3, 10, 32))),
		decStr("b", decR(4, 1, 33, 4, 2, 34)),
		decTag("!Ref", "Ref", decR(4, 9, 41, 4, 15, 47), decR(4, 9, 41, 4, 13, 45),
			decStr("c", decR(4, 14, 46, 4, 15, 47))),
		decStr("d", decR(5, 1, 48, 5, 2, 49)),
		decTag("!GetAtt", "Fn::GetAtt", decR(5, 4, 51, 5, 20, 67), decR(5, 4, 51, 5, 11, 58),
			decSeq(decR(5, 12, 59, 5, 20, 67),
				decStr("R", decR(5, 13, 60, 5, 14, 61)),
				decStr("Attr", decR(5, 15, 62, 5, 19, 66)))),
		decStr("e", decR(6, 1, 68, 6, 2, 69)),
		decSeq(decR(6, 4, 71, 6, 11, 78),
			decTag("!Ref", "Ref", decR(6, 5, 72, 6, 9, 76), decR(6, 5, 72, 6, 9, 76),
				decStr("", decR(6, 9, 76, 6, 9, 76)))),
		decStr("f", decR(7, 1, 79, 7, 2, 80)),
		decTag("!Transform", "Fn::Transform", decR(7, 4, 82, 8, 10, 102), decR(7, 4, 82, 7, 14, 92),
			decMap(decR(8, 3, 95, 8, 10, 102),
				decStr("Name", decR(8, 3, 95, 8, 7, 99)),
				decStr("M", decR(8, 9, 101, 8, 10, 102))))), true)
}

// Aliases copy the anchored value (the copy's root ranging over the
// alias); merge keys merge, explicit keys winning wherever written.
func TestDecodeYAMLAliasesAndMerge(t *testing.T) {
	src := []byte("x: &m {a: 1, b: 2}\n" + // 0..19
		"y:\n" + // 19..22
		"  <<: [*m, {c: 3}]\n" + // 22..41
		"  a: 9\n" + // 41..48
		"z: *m\n") // 48..54
	got, diags := DecodeYAML("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	want := decMap(decR(1, 1, 0, 5, 6, 53),
		decStr("x", decR(1, 1, 0, 1, 2, 1)),
		decMap(decR(1, 7, 6, 1, 19, 18),
			decStr("a", decR(1, 8, 7, 1, 9, 8)), decNum("1", decR(1, 11, 10, 1, 12, 11)),
			decStr("b", decR(1, 14, 13, 1, 15, 14)), decNum("2", decR(1, 17, 16, 1, 18, 17))),
		decStr("y", decR(2, 1, 19, 2, 2, 20)),
		decMap(decR(3, 3, 24, 4, 7, 47),
			decStr("b", decR(1, 14, 13, 1, 15, 14)), decNum("2", decR(1, 17, 16, 1, 18, 17)),
			decStr("c", decR(3, 13, 34, 3, 14, 35)), decNum("3", decR(3, 16, 37, 3, 17, 38)),
			decStr("a", decR(4, 3, 43, 4, 4, 44)), decNum("9", decR(4, 6, 46, 4, 7, 47))),
		decStr("z", decR(5, 1, 48, 5, 2, 49)),
		decMap(decR(5, 4, 51, 5, 6, 53),
			decStr("a", decR(1, 8, 7, 1, 9, 8)), decNum("1", decR(1, 11, 10, 1, 12, 11)),
			decStr("b", decR(1, 14, 13, 1, 15, 14)), decNum("2", decR(1, 17, 16, 1, 18, 17))))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tree mismatch (-want +got):\n%s", diff)
	}
	// Copies keep the anchored ranges: not nested in the alias's.
	for _, p := range decodeCheckRanges("t", src, got, true, false) {
		t.Error(p)
	}
	// The copy shares no node with the anchored value.
	if got.Values[2].Keys[0] == got.Values[0].Keys[0] {
		t.Error("the alias's copy shares nodes with the anchored value")
	}
}

// Block scalar indentation: explicit indicators, keep chomping, an empty
// block, a block in a sequence.
func TestDecodeYAMLBlockScalars(t *testing.T) {
	src := []byte("a: |2\n" + // 0..6
		"   two\n" + // 6..13
		"  one\n" + // 13..19
		"\n" + // 19..20
		"b: |+\n" + // 20..26
		"  kept\n" + // 26..33
		"\n" + // 33..34
		"c: >\n" + // 34..39
		"d:\n" + // 39..42
		"- |-\n" + // 42..47
		"  item\n" + // 47..54
		"- x\n") // 54..58
	got, diags := DecodeYAML("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	decCheckTree(t, src, got, decMap(decR(1, 1, 0, 12, 4, 57),
		decStr("a", decR(1, 1, 0, 1, 2, 1)),
		decStr(" two\none\n", decR(1, 4, 3, 3, 6, 18)),
		decStr("b", decR(5, 1, 20, 5, 2, 21)),
		decStr("kept\n\n", decR(5, 4, 23, 6, 7, 32)),
		decStr("c", decR(8, 1, 34, 8, 2, 35)),
		decStr("", decR(8, 4, 37, 8, 5, 38)),
		decStr("d", decR(9, 1, 39, 9, 2, 40)),
		decSeq(decR(10, 1, 42, 12, 4, 57),
			decStr("item", decR(10, 3, 44, 11, 7, 53)),
			decStr("x", decR(12, 3, 56, 12, 4, 57)))), true)
}

func TestDecodeYAMLDiagnostics(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  []decDiagWant
		check func(t *testing.T, n *Node)
	}{
		{
			name: "duplicate key",
			src:  "a: 1\nb: 2\na: 3\n",
			want: []decDiagWant{{graph.SeverityError, `duplicate key "a"`, 3, 1, 3, 2, "line 1 and again at line 3; CloudFormation uses the last value, and so does Portcullis"}},
			check: func(t *testing.T, n *Node) {
				if len(n.Keys) != 2 || n.Get("a").Value != "3" {
					t.Errorf("want the last value, as CloudFormation:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "duplicate key in a flow mapping",
			src:  "x: {a: 1, a: 2}\n",
			want: []decDiagWant{{graph.SeverityError, `duplicate key "a"`, 1, 11, 1, 12, "line 1 and again at line 1"}},
		},
		{
			name: "scanner error keeps the lines before",
			src:  "a: b\nc: d: e\n",
			want: []decDiagWant{{graph.SeverityError, "YAML syntax error", 2, 1, 2, 8, "mapping values are not allowed in this context"}},
			check: func(t *testing.T, n *Node) {
				if n == nil || n.Get("a") == nil || n.Get("a").Value != "b" {
					t.Errorf("want the partial tree {a: b}, got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "parser error line (yaml.v3 reports it 0-based)",
			src:  "x: 1\nResources:\n  B: [x\n",
			want: []decDiagWant{{graph.SeverityError, "YAML syntax error", 3, 1, 3, 8, "did not find expected ',' or ']'"}},
		},
		{
			name: "unterminated quote",
			src:  "a: \"open\n",
			want: []decDiagWant{{graph.SeverityError, "YAML syntax error", 2, 1, 2, 1, "found unexpected end of stream"}},
			check: func(t *testing.T, n *Node) {
				if n != nil {
					t.Errorf("want nil, got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "unknown anchor",
			src:  "a: 1\nb: *nope\n",
			want: []decDiagWant{{graph.SeverityError, "YAML syntax error", 2, 4, 2, 9, "unknown anchor 'nope' referenced"}},
		},
		{
			name: "control character",
			src:  "a: b\nc: d\x01\n",
			want: []decDiagWant{{graph.SeverityError, "YAML syntax error", 2, 5, 2, 6, "control characters are not allowed"}},
		},
		{
			name: "invalid UTF-8",
			src:  "a: é\nb: \xff\n",
			want: []decDiagWant{{graph.SeverityError, "YAML syntax error", 2, 4, 2, 5, "invalid leading UTF-8 octet"}},
		},
		{
			name: "unknown tag",
			src:  "a: !Foo bar\n",
			want: []decDiagWant{{graph.SeverityWarning, `unknown tag "!Foo"`, 1, 4, 1, 8, "the tag is ignored"}},
			check: func(t *testing.T, n *Node) {
				if v := n.Get("a"); v.Kind != String || v.Value != "bar" || v.Range.Start.Column != 9 {
					t.Errorf("want the plain content \"bar\" at column 9, got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "multiple documents",
			src:  "a: b\n# c\n---\nc: d\n",
			want: []decDiagWant{{graph.SeverityWarning, "the file holds more than one YAML document", 3, 1, 3, 4, "only the first document"}},
			check: func(t *testing.T, n *Node) {
				if len(n.Keys) != 1 || n.Get("a") == nil {
					t.Errorf("want the first document, got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "syntax error in a later document",
			src:  "a: b\n---\nc: [d\n",
			want: []decDiagWant{{graph.SeverityError, "YAML syntax error", 3, 1, 3, 6, "did not find expected ',' or ']'"}},
		},
		{
			name: "alias to its own anchor",
			src:  "a: &s [1, *s]\n",
			want: []decDiagWant{{graph.SeverityError, "alias *s refers to its own anchor", 1, 11, 1, 13, "read as null"}},
		},
		{
			name: "tag on a key",
			src:  "!Ref k: v\n",
			want: []decDiagWant{{graph.SeverityError, `a mapping key cannot have the tag "!Ref"`, 1, 1, 1, 7, `the key is read as the string "k"`}},
		},
		{
			name: "non-scalar key",
			src:  "? [a]\n: 1\nb: 2\n",
			want: []decDiagWant{{graph.SeverityError, "a mapping key must be a string", 1, 3, 1, 6, ""}},
			check: func(t *testing.T, n *Node) {
				if len(n.Keys) != 1 || n.Keys[0].Value != "b" {
					t.Errorf("want only key b, got:\n%s", decodeDump(nil, n))
				}
			},
		},
		{
			name: "merge of a scalar",
			src:  "a:\n  <<: x\n  b: 1\n",
			want: []decDiagWant{{graph.SeverityError, "a merge key (<<) needs a mapping or a list of mappings", 2, 7, 2, 8, ""}},
		},
		{
			name: "UTF-16",
			src:  "\xFF\xFEa\x00:\x00",
			want: []decDiagWant{{graph.SeverityError, "the template is UTF-16 encoded", 1, 1, 1, 1, "UTF-8"}},
		},
		{name: "empty", src: ""},
		{name: "only comments", src: "# nothing\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := []byte(tt.src)
			n, diags := DecodeYAML("t", src)
			decCheckDiags(t, diags, tt.want)
			for _, p := range decodeCheckRanges("t", src, n, true, false) {
				t.Error(p)
			}
			if tt.check != nil {
				tt.check(t, n)
			}
		})
	}
}

// A "billion laughs" document stops expanding at the node budget, quickly
// and with an error, instead of exhausting memory.
func TestDecodeYAMLBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for _, name := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		b.WriteString(name + ": &" + name + " [")
		for i := 0; i < 9; i++ {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	src := []byte(b.String())
	start := time.Now()
	n, diags := DecodeYAML("t", src)
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
	if n == nil {
		t.Fatal("nil tree")
	}
	var tooMany []graph.Diagnostic
	for _, d := range diags {
		if d.Summary == "too many aliases" {
			tooMany = append(tooMany, d)
		}
	}
	if len(tooMany) != 1 || len(diags) != 1 {
		t.Fatalf("want one \"too many aliases\" error, got:\n%s", decDiagList(diags))
	}
	if tooMany[0].Severity != graph.SeverityError {
		t.Errorf("severity %s", tooMany[0].Severity)
	}
	count := 0
	var walk func(n *Node)
	walk = func(n *Node) {
		count++
		for _, it := range n.Items {
			walk(it)
		}
		for i := range n.Keys {
			count++
			walk(n.Values[i])
		}
	}
	walk(n)
	if count > decodeMaxNodes+10 {
		t.Errorf("%d nodes, more than the budget %d", count, decodeMaxNodes)
	}
	// The expansion that fit is there: b is nine copies of a.
	if bv := n.Get("b"); len(bv.Items) != 9 || len(bv.Items[8].Items) != 9 {
		t.Errorf("b not expanded")
	}
}

// yaml.v3 bounds nesting; the decoder reports the error rather than
// overflowing the stack.
func TestDecodeYAMLDeepNesting(t *testing.T) {
	src := []byte(strings.Repeat("[", 20000) + strings.Repeat("]", 20000))
	n, diags := DecodeYAML("t", src)
	if n != nil || len(diags) != 1 || !strings.Contains(diags[0].Detail, "exceeded max depth") {
		t.Errorf("got %v\n%s", n, decDiagList(diags))
	}
	src = []byte(strings.Repeat("[", 5000) + strings.Repeat("]", 5000))
	n, diags = DecodeYAML("t", src)
	if n == nil || len(diags) != 0 {
		t.Errorf("5000 levels: %v\n%s", n, decDiagList(diags))
	}
	if n != nil && (n.Range.End.Byte != len(src) || n.Items[0].Range.End.Byte != len(src)-1) {
		t.Errorf("range %s", decodeFmtRange(n.Range))
	}
}

// Aliases cannot nest values deeper than the depth bound: each alias copy
// adds the anchored value's depth to the alias's.
func TestDecodeYAMLAliasDepth(t *testing.T) {
	src := []byte("a: &a " + strings.Repeat("[", 9995) + strings.Repeat("]", 9995) + "\n" +
		"b: " + strings.Repeat("[", 20) + "*a" + strings.Repeat("]", 20) + "\n")
	n, diags := DecodeYAML("t", src)
	decCheckDiags(t, diags, []decDiagWant{{graph.SeverityError, "aliases nest too deep", 2, 24, 2, 26, "more than 10000 levels"}})
	if n == nil || n.Get("a") == nil {
		t.Fatal("want the tree")
	}
	inner := n.Get("b")
	for inner.Kind == Sequence {
		inner = inner.Items[0]
	}
	if inner.Kind != Null || inner.Range.Start.Column != 24 {
		t.Errorf("want the alias read as null, got %s", decodeDump(src, inner))
	}
}

// Long forms are plain mappings: only the short form of GetAtt is split.
func TestDecodeYAMLLongForms(t *testing.T) {
	src := []byte("a: {Fn::GetAtt: R.B.C}\n" + // 0..23
		"b:\n" + // 23..26
		"  Ref: P\n") // 26..35
	got, diags := DecodeYAML("t", src)
	if len(diags) > 0 {
		t.Fatalf("diagnostics:\n%s", decDiagList(diags))
	}
	decCheckTree(t, src, got, decMap(decR(1, 1, 0, 3, 9, 34),
		decStr("a", decR(1, 1, 0, 1, 2, 1)),
		decMap(decR(1, 4, 3, 1, 23, 22),
			decStr("Fn::GetAtt", decR(1, 5, 4, 1, 15, 14)),
			decStr("R.B.C", decR(1, 17, 16, 1, 22, 21))),
		decStr("b", decR(2, 1, 23, 2, 2, 24)),
		decMap(decR(3, 3, 28, 3, 9, 34),
			decStr("Ref", decR(3, 3, 28, 3, 6, 31)),
			decStr("P", decR(3, 8, 33, 3, 9, 34)))), true)
}
