package cloudformation

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The fuzz targets' seeds are in testdata/fuzz/FuzzDecodeYAML and
// testdata/fuzz/FuzzDecodeJSON. Run them with
//
//	go test -run '^$' -fuzz FuzzDecodeYAML -fuzztime 3m ./parser/cloudformation/
//
// Property: the decoders never panic, every range lies within the source
// with its line and column matching its byte offset, and valid JSON decodes
// without error (but for duplicate keys) to the standard library's value.

func FuzzDecodeYAML(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		n, diags := DecodeYAML("f.yaml", src)
		decodeFuzzCheckDiags(t, src, diags)
		// Without aliases and merge keys, every node lies within its parent.
		nested := !bytes.ContainsAny(src, "*") && !bytes.Contains(src, []byte("<<"))
		for _, p := range decodeCheckRanges("f.yaml", src, n, true, nested) {
			t.Error(p)
		}
	})
}

func FuzzDecodeJSON(f *testing.F) {
	f.Fuzz(func(t *testing.T, src []byte) {
		n, diags := DecodeJSON("f.json", src)
		decodeFuzzCheckDiags(t, src, diags)
		for _, p := range decodeCheckRanges("f.json", src, n, false, true) {
			t.Error(p)
		}
		body := bytes.TrimPrefix(src, decodeBOM)
		if json.Valid(body) {
			dup := false
			for _, d := range diags {
				if strings.HasPrefix(d.Summary, "duplicate key") {
					dup = true
					continue
				}
				if d.Severity == graph.SeverityError {
					t.Errorf("valid JSON: %v", d)
				}
			}
			if n == nil {
				t.Fatalf("valid JSON decoded to nil")
			}
			if !dup {
				dec := json.NewDecoder(bytes.NewReader(body))
				dec.UseNumber()
				var want any
				if err := dec.Decode(&want); err != nil {
					t.Fatal(err)
				}
				if got := decodeToAny(n); !reflect.DeepEqual(got, want) {
					t.Errorf("decoded %#v, encoding/json decodes %#v", got, want)
				}
			}
		} else if !decodeHasErrors(diags) {
			t.Errorf("invalid JSON decoded without an error")
		}
		// Decode picks JSON or YAML (when JSON fails): the same bounds hold,
		// lines split the way the chosen decoder splits them.
		n2, diags2 := Decode("f.json", src)
		decodeFuzzCheckDiags(t, src, diags2)
		asJSON := decodeCheckRanges("f.json", src, n2, false, false)
		if decodeHasErrors(diags) && len(asJSON) > 0 {
			asJSON = decodeCheckRanges("f.json", src, n2, true, false)
		}
		for _, p := range asJSON {
			t.Error(p)
		}
	})
}

func decodeFuzzCheckDiags(t *testing.T, src []byte, diags []graph.Diagnostic) {
	t.Helper()
	for _, d := range diags {
		r := d.Range
		if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte || r.Start.Line < 1 || r.Start.Column < 1 {
			t.Errorf("diagnostic range %s out of the source (%d bytes): %v", decodeFmtRange(r), len(src), d)
		}
		if d.Summary == "internal error while decoding the template" {
			t.Errorf("panic: %v", d)
		}
	}
}

// decodeToAny converts a tree to encoding/json's representation.
func decodeToAny(n *Node) any {
	switch n.Kind {
	case Mapping:
		m := map[string]any{}
		for i, k := range n.Keys {
			m[k.Value] = decodeToAny(n.Values[i])
		}
		return m
	case Sequence:
		s := []any{}
		for _, it := range n.Items {
			s = append(s, decodeToAny(it))
		}
		return s
	case String:
		return n.Value
	case Number:
		return json.Number(n.Value)
	case Bool:
		return n.Value == "true"
	}
	return nil
}
