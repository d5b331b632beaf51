package plan

import (
	"fmt"
	"os"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// Plans of format 0.1 (Terraform 0.12 to 0.14) and 0.2 (0.15 and 1.0) are
// read as 1.x is; 0.1, which has no after_sensitive, with a warning.
func TestFormatVersionsBefore1(t *testing.T) {
	for _, tc := range []struct {
		file  string
		diags []string
		cidr  string // the location of cidr_blocks.0
	}{
		{"v0.1.json", []string{"plan.json:2:21-2:26 warning: plan format 0.1 does not mark sensitive values"}, "plan.json:46:27"},
		{"v0.2.json", nil, "plan.json:56:13"},
	} {
		data, err := os.ReadFile("testdata/versions/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		g := Load(fstest.MapFS{"plan.json": {Data: data}}, "plan.json", Options{})
		var got []string
		for _, d := range g.Diagnostics {
			got = append(got, fmt.Sprintf("%s-%d:%d %s: %s", d.Range, d.Range.End.Line, d.Range.End.Column, d.Severity, d.Summary))
		}
		if diff := cmp.Diff(tc.diags, got); diff != "" {
			t.Errorf("%s: diagnostics (-want +got):\n%s", tc.file, diff)
		}
		if len(g.Resources) != 1 {
			t.Fatalf("%s: resources %v", tc.file, addresses(g))
		}
		r := g.Resources[0]
		want := map[string]any{"cidr_blocks": []any{"0.0.0.0/0"}, "from_port": "22", "protocol": "tcp",
			"security_group_id": "sg-0123456789abcdef0", "self": false, "to_port": "22", "type": "ingress"}
		if r.Address != "aws_security_group_rule.ssh" || r.Type != "aws_security_group_rule" || r.Mode != "managed" {
			t.Errorf("%s: resource %s %s %s", tc.file, r.Address, r.Type, r.Mode)
		}
		if diff := cmp.Diff(want, jsonNumbersAsText(r.Values)); diff != "" {
			t.Errorf("%s: values (-want +got):\n%s", tc.file, diff)
		}
		if diff := cmp.Diff(map[string]any{"id": true, "source_security_group_id": true}, r.Unknown); diff != "" {
			t.Errorf("%s: unknown (-want +got):\n%s", tc.file, diff)
		}
		if got := r.Ranges["cidr_blocks.0"].String(); got != tc.cidr {
			t.Errorf("%s: cidr_blocks.0 at %s, want %s", tc.file, got, tc.cidr)
		}
	}
}

// jsonNumbersAsText turns json.Number leaves into their text.
func jsonNumbersAsText(v map[string]any) map[string]any {
	out := map[string]any{}
	for k, x := range v {
		if n, ok := x.(fmt.Stringer); ok {
			out[k] = n.String()
			continue
		}
		out[k] = x
	}
	return out
}
