package plan

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
)

// Columns count code points, also where a multi-byte character straddles
// one of the checkpoints (every 256 bytes) the counts are kept at, and
// count each byte of an invalid sequence as one. Found by FuzzLoad
// (seed unicode_boundary): columns were off by up to three after such a
// character.
func TestColumnsAcrossCheckpoints(t *testing.T) {
	head := `{"format_version":"1.2","resource_changes":[{"address":"a_b.c","type":"a_b","name":"c","change":{"actions":["create"],"after":{"pad":"`
	// 'é' is two bytes: with an odd prefix, the checkpoint at byte 4096
	// falls inside one; then an invalid byte, then a four-byte emoji
	// across the checkpoint at 8192.
	pad := strings.Repeat("é", 2000) + "\xff" + strings.Repeat("😀", 1000)
	content := head + pad + `","w":1}}}]}`
	g, ds := diags(t, content)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	rg := resource(t, g, "a_b.c").Ranges["w"]
	wantCol := len(head) + 2000 + 1 + 1000 + len(`","w":`) + 1
	if text(t, g, rg) != "1" || rg.Start.Line != 1 || rg.Start.Column != wantCol || rg.End.Column != wantCol+1 {
		t.Errorf("w at %s (byte %d), want column %d", rs(rg), rg.Start.Byte, wantCol)
	}
	if rg := resource(t, g, "a_b.c").Ranges["pad"]; rg.Start.Column != len(head) || rg.End.Column != wantCol-len(`,"w":`) {
		t.Errorf("pad at %s", rs(rg))
	}
}

// Module arguments and outputs that refer to each other (Terraform
// rejects such a configuration, a plan file may still say it) are followed
// once each: twelve outputs that all read var.x, whose argument reads all
// twelve, took 12^64 steps. Found by FuzzLoad (seed module_cycle).
func TestModuleReferenceCycle(t *testing.T) {
	var outputs, calls []string
	for i := range 12 {
		outputs = append(outputs, fmt.Sprintf(`"o%d": {"expression": {"references": ["var.x", "a_b.s"]}}`, i))
		calls = append(calls, fmt.Sprintf(`"module.m.o%d"`, i))
	}
	content := `{"format_version": "1.2", "resource_changes": [
  {"address": "a_b.r", "type": "a_b", "name": "r", "change": {"actions": ["create"], "after": {}}},
  {"address": "module.m.a_b.s", "module_address": "module.m", "type": "a_b", "name": "s", "change": {"actions": ["create"], "after": {}}}],
"configuration": {"root_module": {
  "resources": [{"mode": "managed", "type": "a_b", "name": "r", "expressions": {"v": {"references": ["module.m.o1"]}}}],
  "module_calls": {"m": {"expressions": {"x": {"references": [` + strings.Join(calls, ", ") + `, "a_b.r"]}}, "module": {
    "resources": [{"mode": "managed", "type": "a_b", "name": "s", "expressions": {"w": {"references": ["var.x"]}}}],
    "outputs": {` + strings.Join(outputs, ", ") + `}}}}}}}`
	g, ds := diags(t, content)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	want := []string{
		`a_b.r: v -> module.m.a_b.s.`,
		`module.m.a_b.s: w -> a_b.r.`,
	}
	if diff := cmp.Diff(want, refs(g)); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
}

// Every instance of one resource referring to every instance of another
// gives instances² edges: past MaxReferences, linking stops with an error
// at the configuration.
func TestTooManyReferences(t *testing.T) {
	defer func(n int) { maxReferences = n }(maxReferences)
	maxReferences = 1000
	var changes []string
	for _, name := range []string{"a", "b"} {
		for i := range 40 {
			changes = append(changes, fmt.Sprintf(`{"address": "x_y.%s[%d]", "type": "x_y", "name": %q, "index": %d, "change": {"actions": ["create"], "after": {}}}`, name, i, name, i))
		}
	}
	content := `{"format_version": "1.2", "resource_changes": [` + strings.Join(changes, ",\n") + `],
"configuration": {"root_module": {"resources": [
  {"mode": "managed", "type": "x_y", "name": "a", "expressions": {"v": {"references": ["x_y.b"]}}}]}}}`
	g, ds := diags(t, content)
	want := []string{`plan.json:81:18-82:102 error: too many references in the plan's configuration`}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	// Looking up x_y.b costs 40 steps once, then 41 (the lookup and 40
	// edges) for each instance: x_y.a[0] to [22] fit in 1,000, x_y.a[23]
	// is the one past it.
	n := 0
	for _, r := range g.Resources {
		n += len(r.Refs)
	}
	if n != 24*40 || len(g.Resource("x_y.a[23]").Refs) != 40 || len(g.Resource("x_y.a[24]").Refs) != 0 {
		t.Errorf("%d edges", n)
	}
	maxReferences = MaxReferences
	if g, ds := diags(t, content); len(ds) != 0 || len(g.Resource("x_y.a[39]").Refs) != 40 {
		t.Errorf("diagnostics %v, refs %v", ds, g.Resource("x_y.a[39]").Refs)
	}
}

// A configuration whose module calls nest deeper than maxModuleDepth
// (Terraform's own plans nest a few) is followed to that depth, with an
// error: the references past it are not known.
func TestModuleCallsTooDeep(t *testing.T) {
	content := `{"format_version": "1.2", "resource_changes": [],
"configuration": {"root_module": ` + strings.Repeat(`{"module_calls": {"m": {"module": `, maxModuleDepth+2) + `{}` + strings.Repeat(`}}}`, maxModuleDepth+2) + `}}`
	_, ds := diags(t, content)
	want := []string{`plan.json:2:18-2:2479 error: the plan's configuration is too large to follow its references`}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

// Values nested deeper than maxRangeDepth have no range of their own: a
// finding on one points at its ancestor at that depth. Their paths would
// take memory quadratic in the depth (10,000 levels, 20 KB, took 100 MB).
func TestDeepValuesAreLocatedAtAnAncestor(t *testing.T) {
	depth := 100
	content := `{"format_version": "1.2", "resource_changes": [{"address": "a_b.c", "type": "a_b", "name": "c", "change": {"actions": ["create"], "after": {"x": ` +
		strings.Repeat("[", depth) + "1" + strings.Repeat("]", depth) + `}}}]}`
	g, ds := diags(t, content)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	r := resource(t, g, "a_b.c")
	path := func(n int) string { return "x" + strings.Repeat(".0", n) }
	if _, ok := r.Ranges[path(maxRangeDepth-1)]; !ok {
		t.Errorf("no range at depth %d", maxRangeDepth)
	}
	if _, ok := r.Ranges[path(maxRangeDepth)]; ok {
		t.Errorf("a range at depth %d", maxRangeDepth+1)
	}
	rg, at := r.Lookup(path(depth))
	if at != path(maxRangeDepth-1) || text(t, g, rg) != strings.Repeat("[", depth-maxRangeDepth+1)+"1"+strings.Repeat("]", depth-maxRangeDepth+1) {
		t.Errorf("the innermost value is located at %q, %s", at, rs(rg))
	}
}

// The paths of the ranges recorded take at most pathBytesPerByte bytes per
// byte of the file (plus minPathBytes): a long key above many values, each
// of whose paths repeats it, would take hundreds of times the file.
func TestPathBudget(t *testing.T) {
	key := strings.Repeat("k", 100<<10)
	content := `{"format_version": "1.2", "resource_changes": [{"address": "a_b.c", "type": "a_b", "name": "c", "change": {"actions": ["create"], "after": {"` +
		key + `": [` + strings.Repeat("1,", 2000) + `1], "z": 1}}}]}`
	g, ds := diags(t, content)
	want := []string{`plan.json:1:1-1:1 warning: some values of the plan are located approximately`}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	r := resource(t, g, "a_b.c")
	total := 0
	for p := range r.Ranges {
		total += len(p)
	}
	if limit := pathBudget(len(content)); total > limit || total < limit-len(key)-10 {
		t.Errorf("paths take %d bytes, limit %d", total, limit)
	}
	if _, ok := r.Ranges[key]; !ok {
		t.Error("no range for the list")
	}
	if rg, at := r.Lookup(key + ".2000"); at != key || !strings.HasPrefix(text(t, g, rg), "[1,1,") {
		t.Errorf("the last element is located at %q", at[:min(len(at), 10)])
	}
	if _, ok := r.Ranges["z"]; !ok {
		t.Error("no range for z")
	}
}

// significant is n log n: Terraform lists every prefix of each traversal,
// a generated configuration may list many.
func TestSignificantLongList(t *testing.T) {
	var refs []string
	for i := range 50_000 {
		refs = append(refs, fmt.Sprintf("aws_x.y%d.id", i), fmt.Sprintf("aws_x.y%d", i))
	}
	got := significant(refs)
	if len(got) != 50_000 || got[0] != "aws_x.y0.id" || got[49_999] != "aws_x.y49999.id" {
		t.Errorf("%d references: %v ... %v", len(got), got[:2], got[len(got)-2:])
	}
}

// aws_x.y[count.index].id is written to the plan's configuration as the
// references aws_x.y and count.index: each instance links to the instance
// of aws_x.y with its own key, when there is one, else to every instance
// (as for aws_x.y[*].id). Linking every instance to every other took
// instances² edges: 25 million for a plan of 10,000 resources generated
// with count.
func TestInstanceKeyReferences(t *testing.T) {
	rc := func(addr, typ, name, index string) string {
		return fmt.Sprintf(`{"address": %q, "type": %q, "name": %q, "index": %s, "change": {"actions": ["create"], "after": {}}}`, addr, typ, name, index)
	}
	content := `{"format_version": "1.2", "resource_changes": [` + strings.Join([]string{
		rc("x_sg.s[0]", "x_sg", "s", "0"), rc("x_sg.s[1]", "x_sg", "s", "1"),
		rc("x_rule.r[0]", "x_rule", "r", "0"), rc("x_rule.r[1]", "x_rule", "r", "1"), rc("x_rule.r[2]", "x_rule", "r", "2"),
		rc(`x_sg.e["a"]`, "x_sg", "e", `"a"`), rc(`x_rule.f["a"]`, "x_rule", "f", `"a"`), rc(`x_rule.f["b"]`, "x_rule", "f", `"b"`),
	}, ",\n") + `],
"configuration": {"root_module": {"resources": [
  {"mode": "managed", "type": "x_rule", "name": "r", "expressions": {
    "sg": {"references": ["x_sg.s", "count.index"]},
    "all": {"references": ["x_sg.s"]},
    "named": {"references": ["x_sg.s[1].id", "x_sg.s[1]", "x_sg.s", "count.index"]}}},
  {"mode": "managed", "type": "x_rule", "name": "f", "expressions": {
    "sg": {"references": ["x_sg.e.id", "x_sg.e", "each.key"]}}}]}}}`
	g, ds := diags(t, content)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	want := []string{
		`x_rule.f["a"]: sg -> x_sg.e["a"].id`,
		`x_rule.f["b"]: sg -> x_sg.e["a"].id`, // no x_sg.e["b"]: every instance
		`x_rule.r[0]: all -> x_sg.s[0].`,
		`x_rule.r[0]: all -> x_sg.s[1].`,
		`x_rule.r[0]: named -> x_sg.s[1].id`,
		`x_rule.r[0]: sg -> x_sg.s[0].`,
		`x_rule.r[1]: all -> x_sg.s[0].`,
		`x_rule.r[1]: all -> x_sg.s[1].`,
		`x_rule.r[1]: named -> x_sg.s[1].id`,
		`x_rule.r[1]: sg -> x_sg.s[1].`,
		`x_rule.r[2]: all -> x_sg.s[0].`,
		`x_rule.r[2]: all -> x_sg.s[1].`,
		`x_rule.r[2]: named -> x_sg.s[1].id`,
		`x_rule.r[2]: sg -> x_sg.s[0].`, // no x_sg.s[2]: every instance
		`x_rule.r[2]: sg -> x_sg.s[1].`,
	}
	if diff := cmp.Diff(want, refs(g)); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
}

// endless is a file system whose files stat as 10 bytes and never end,
// as /dev/zero does through a link.
type endless struct{}

func (endless) Open(name string) (fs.File, error) { return endlessFile{name}, nil }

type endlessFile struct{ name string }

func (f endlessFile) Stat() (fs.FileInfo, error) {
	return fs.Stat(fstest.MapFS{f.name: {Data: make([]byte, 10)}}, f.name)
}
func (endlessFile) Close() error { return nil }
func (endlessFile) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// A plan file is read bounded by the bytes read, never by the size stat
// reports, and only when it is a regular file; one with a plan's name that
// cannot be read is an error, also when found while walking.
func TestUnreadablePlanFiles(t *testing.T) {
	defer func(n int64) { maxFileSize = n }(maxFileSize)
	maxFileSize = 3 << 20
	for _, tc := range []struct {
		fsys     fs.FS
		name     string
		explicit bool
		want     []string
	}{
		{endless{}, "a/plan.json", false, []string{"a/plan.json:0:0: error: cannot read the plan file: the file is larger than the size limit of 3145728 bytes"}},
		{fstest.MapFS{"a/plan.json": {Mode: fs.ModeNamedPipe}}, "a/plan.json", false, []string{"a/plan.json:0:0: error: cannot read the plan file: not a regular file or directory"}},
		{fstest.MapFS{"a/tfplan.json": {Mode: fs.ModeSocket}}, "a/tfplan.json", true, []string{"a/tfplan.json:0:0: error: cannot read the plan file: not a regular file or directory"}},
		// Not named like a plan: not this format's (parser.Load's last
		// format reports a file named explicitly that it cannot read).
		{endless{}, "a/export.json", true, nil},
		{fstest.MapFS{"a/x.json": {Mode: fs.ModeDevice}}, "a/x.json", true, nil},
		{fstest.MapFS{}, "a/plan.json", false, nil},
	} {
		g := Format{}.Load(tc.fsys, tc.name, tc.explicit)
		var got []string
		if g != nil {
			for _, d := range g.Diagnostics {
				got = append(got, fmt.Sprintf("%s: %s: %s: %s", d.Range, d.Severity, d.Summary, d.Detail))
			}
			if len(got) == 0 {
				got = []string{"(a graph without diagnostics)"}
			}
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s (explicit %v) (-want +got):\n%s", tc.name, tc.explicit, diff)
		}
	}
}

// Blocks are matched in any order up to maxBlockPairs pairs, then each
// HCL block with the plan's at its own index only.
func TestBlockOrderIsBounded(t *testing.T) {
	blocks := func(n int, reverse bool) []any {
		out := make([]any, n)
		for i := range n {
			v := i
			if reverse {
				v = n - 1 - i
			}
			out[i] = map[string]any{"v": fmt.Sprint(v)}
		}
		return out
	}
	small := blockOrder(map[string]any{"b": blocks(3, true)}, map[string]any{"b": blocks(3, false)})
	if diff := cmp.Diff(map[string][]int{"b": {2, 1, 0}}, small); diff != "" {
		t.Errorf("3 blocks (-want +got):\n%s", diff)
	}
	large := blockOrder(map[string]any{"b": blocks(65, true)}, map[string]any{"b": blocks(64, false)})
	want := make([]int, 64)
	for i := range want {
		want[i] = -1
	}
	want[32] = 32 // the middle of 65 is at the same index both ways
	if diff := cmp.Diff(map[string][]int{"b": want}, large); diff != "" {
		t.Errorf("64 and 65 blocks (-want +got):\n%s", diff)
	}
}

// Past MaxValues (after, after_unknown and after_sensitive of resource
// changes, values and sensitive_values of the prior state's data
// sources), the resources are not loaded, nor decoded, with an error at
// the first of them: a plan of small values (a 16 MB list of ones) took a
// gigabyte.
func TestTooManyValues(t *testing.T) {
	defer func(n int) { maxValues = n }(maxValues)
	maxValues = 12
	content := `{"format_version": "1.2", "resource_changes": [
  {"address": "a_b.one", "type": "a_b", "name": "one", "change": {"actions": ["create"], "after": {"x": [1, 2]}, "after_unknown": {}, "after_sensitive": {}}},
  null,
  {"address": "a_b.two", "type": "a_b", "name": "two", "change": {"actions": ["create"], "after": {"x": 1}, "after_unknown": {"y": true}, "after_sensitive": false}},
  {"address": "a_b.three", "type": "a_b", "name": "three", "change": {"actions": ["create"], "after": {"x": 1}}},
  {"address": "a_b.four", "type": "a_b", "name": "four", "change": {"actions": ["create"], "after": {}}}],
"prior_state": {"values": {"root_module": {"resources": [
  {"address": "data.a_b.d", "mode": "data", "type": "a_b", "name": "d", "values": {}}]}}}}`
	g, ds := diags(t, content)
	want := []string{`plan.json:5:3-5:113 error: the plan has too many values`}
	if diff := cmp.Diff(want, ds); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a_b.one", "a_b.two"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	if !strings.Contains(g.Diagnostics[0].Detail, "more than 12 values") || !strings.Contains(g.Diagnostics[0].Detail, "the 2 after it") {
		t.Errorf("detail: %s", g.Diagnostics[0].Detail)
	}
	maxValues = 13
	if g, ds := diags(t, content); len(ds) != 1 || len(g.Resources) != 3 {
		t.Errorf("13 values: %v %v", ds, addresses(g))
	}
	maxValues = MaxValues
	if g, ds := diags(t, content); len(ds) != 0 || len(g.Resources) != 5 {
		t.Errorf("MaxValues: %v %v", ds, addresses(g))
	}
}

// Values without a location of their own (too deep, or past the path
// budget) still count against MaxValues.
func TestValuesWithoutLocationsCount(t *testing.T) {
	defer func(n int) { maxValues = n }(maxValues)
	maxValues = 100
	deep := `{"format_version": "1.2", "resource_changes": [{"address": "a_b.c", "type": "a_b", "name": "c", "change": {"actions": ["create"], "after": {"x": ` +
		strings.Repeat("[", 70) + strings.Repeat("1,", 40) + "1" + strings.Repeat("]", 70) + `}}}]}`
	if _, ds := diags(t, deep); len(ds) != 1 || !strings.HasSuffix(ds[0], "error: the plan has too many values") {
		t.Errorf("deep: %v", ds)
	}
	maxValues = 2000
	long := `{"format_version": "1.2", "resource_changes": [{"address": "a_b.c", "type": "a_b", "name": "c", "change": {"actions": ["create"], "after": {"` +
		strings.Repeat("k", 1<<20) + `": [` + strings.Repeat("1,", 2000) + `1]}}}]}`
	want := []string{`plan.json:1:1-1:1 warning: some values of the plan are located approximately`, `plan.json:1:48-1:1052727 error: the plan has too many values`}
	if _, ds := diags(t, long); !cmp.Equal(want, ds) {
		t.Errorf("long: %v", ds)
	}
}

// A part of the plan that does not have its expected shape is an error of
// its own: a resource change that cannot be decoded (the others load), a
// configuration that cannot be decoded (the references are lost), a
// resource_changes that is not an array (nothing loads).
func TestMalformedParts(t *testing.T) {
	for _, tc := range []struct {
		content string
		want    []string
		addrs   []string
	}{
		{`{"format_version": "1.2", "resource_changes": [7, {"address": 5}, {"address": "a_b.c", "type": "a_b", "name": "c", "change": {"actions": ["create"], "after": {}}}]}`,
			[]string{
				`plan.json:1:48-1:49 error: cannot read a resource change of the plan`,
				`plan.json:1:51-1:65 error: cannot read a resource change of the plan`,
			}, []string{"a_b.c"}},
		{`{"format_version": "1.2", "resource_changes": [{"address": "a_b.c", "type": "a_b", "name": "c", "change": {"actions": ["create"], "after": {}}}],
"configuration": {"root_module": {"resources": 7}}}`,
			[]string{`plan.json:2:18-2:51 error: cannot read the plan's configuration; references between resources are not known`}, []string{"a_b.c"}},
		{`{"format_version": "1.2", "resource_changes": {"a_b.c": {}}}`,
			[]string{`plan.json:1:1-1:1 error: cannot read the plan`}, nil},
		{`{"format_version": "1.2", "resource_changes": [], "prior_state": {"values": {"root_module": {"resources": "x"}}}}`,
			[]string{`plan.json:1:1-1:1 error: cannot read the plan`}, nil},
	} {
		g, ds := diags(t, tc.content)
		if diff := cmp.Diff(tc.want, ds); diff != "" {
			t.Errorf("%s: diagnostics (-want +got):\n%s", tc.content, diff)
		}
		if diff := cmp.Diff(tc.addrs, addresses(g)); diff != "" {
			t.Errorf("%s: addresses (-want +got):\n%s", tc.content, diff)
		}
	}
}
