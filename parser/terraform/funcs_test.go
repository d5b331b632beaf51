package terraform

import (
	"compress/gzip"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// testFS is a scan root with a module in "mod".
func testFS() fstest.MapFS {
	return fstest.MapFS{
		"mod/main.tf":           {Data: []byte("# module\n")},
		"mod/x.txt":             {Data: []byte("hello\n")},
		"mod/bin.dat":           {Data: []byte{0xff, 0xfe, 0x00}},
		"mod/tmpl.tftpl":        {Data: []byte("Hello, ${name}!%{ for i in items } [${i}]%{ endfor }")},
		"mod/upper.tftpl":       {Data: []byte("${upper(name)}-${core::lower(name)}")},
		"mod/value.tftpl":       {Data: []byte("${items}")},
		"mod/nested.tftpl":      {Data: []byte(`${templatefile("tmpl.tftpl", {name = "x", items = []})}`)},
		"mod/provider.tftpl":    {Data: []byte(`${provider::aws::arn_parse(name)}`)},
		"mod/files/a.json":      {Data: []byte("{}")},
		"mod/files/b.json":      {Data: []byte("{}")},
		"mod/files/readme.md":   {Data: []byte("#")},
		"mod/files/sub/c.json":  {Data: []byte("{}")},
		"mod/files/sub/d/e.txt": {Data: []byte("e")},
		"mod/link-in":           {Data: []byte("x.txt"), Mode: fs.ModeSymlink},
		"mod/link-out":          {Data: []byte("../../etc/passwd"), Mode: fs.ModeSymlink},
		"mod/link-abs":          {Data: []byte("/etc/passwd"), Mode: fs.ModeSymlink},
		"mod/dir-out":           {Data: []byte("../.."), Mode: fs.ModeSymlink},
		"mod/files/link.json":   {Data: []byte("../../../outside.json"), Mode: fs.ModeSymlink},
		"shared/common.txt":     {Data: []byte("shared")},
		"root.txt":              {Data: []byte("root")},
	}
}

// testVars are the variables the test expressions may use.
func testVars() map[string]cty.Value {
	return map[string]cty.Value{
		"unk":    cty.UnknownVal(cty.String),
		"unkn":   cty.UnknownVal(cty.Number),
		"unkb":   cty.UnknownVal(cty.Bool),
		"dyn":    cty.DynamicVal,
		"secret": cty.StringVal("s3cr3t").Mark(sensitiveMark{}),
		// Functions are made for the root module "mod": path.module is "."
		// as in Terraform, whose working directory is the root module.
		"path": cty.ObjectVal(map[string]cty.Value{"module": cty.StringVal(".")}),
	}
}

// evalIn evaluates the expression src with the functions of module dir of
// fsys and the test variables.
func evalIn(t *testing.T, fsys fs.FS, dir, src string, vars map[string]cty.Value) (v cty.Value, diags hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.tf", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags.Error())
	}
	ctx := &hcl.EvalContext{Variables: vars, Functions: functions(fsys, dir)}
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("%s panicked: %v", src, r)
		}
	}()
	return expr.Value(ctx)
}

// render is v as JSON, "<unknown>" when not wholly known. Marks are
// ignored.
func render(v cty.Value) string {
	v, _ = v.UnmarkDeep()
	if !v.IsWhollyKnown() {
		return "<unknown>"
	}
	b, err := ctyjson.Marshal(v, v.Type())
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return strings.NewReplacer(`\u003c`, "<", `\u003e`, ">", `\u0026`, "&").Replace(string(b))
}

type funcCase struct {
	expr string
	want string // JSON of the result, "<unknown>", or "" when err is set
	err  string // substring of the expected error
}

func runFuncCases(t *testing.T, cases []funcCase) {
	t.Helper()
	fsys := testFS()
	for _, c := range cases {
		t.Run(c.expr, func(t *testing.T) {
			got, diags := evalIn(t, fsys, "mod", c.expr, testVars())
			if c.err != "" {
				if !diags.HasErrors() {
					t.Fatalf("got %s, want an error containing %q", render(got), c.err)
				}
				if !strings.Contains(diags.Error(), c.err) {
					t.Fatalf("error %q does not contain %q", diags.Error(), c.err)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatalf("unexpected error: %s", diags.Error())
			}
			if r := render(got); r != c.want {
				t.Fatalf("got %s, want %s", r, c.want)
			}
		})
	}
}

func TestNumericFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `abs(-3.5)`, want: `3.5`},
		{expr: `ceil(1.2)`, want: `2`},
		{expr: `floor(1.8)`, want: `1`},
		{expr: `log(8, 2)`, want: `3`},
		{expr: `max(1, 5, 3)`, want: `5`},
		{expr: `max([4, 9]...)`, want: `9`},
		{expr: `min(1, 5, -3)`, want: `-3`},
		{expr: `parseint("ff", 16)`, want: `255`},
		{expr: `parseint("-101", 2)`, want: `-5`},
		{expr: `pow(2, 10)`, want: `1024`},
		{expr: `signum(-5)`, want: `-1`},
		{expr: `abs(unkn)`, want: `<unknown>`},
	})
}

func TestStringFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `chomp("a\n\n")`, want: `"a"`},
		{expr: `endswith("hello", "lo")`, want: `true`},
		{expr: `endswith("hello", "he")`, want: `false`},
		{expr: `startswith("hello", "he")`, want: `true`},
		{expr: `strcontains("hello", "ell")`, want: `true`},
		{expr: `strcontains("hello", "xyz")`, want: `false`},
		{expr: `format("%s-%03d", "a", 7)`, want: `"a-007"`},
		{expr: `formatlist("%s!", ["a", "b"])`, want: `["a!","b!"]`},
		{expr: `indent(2, "a\nb")`, want: `"a\n  b"`},
		{expr: `join(",", ["a", "b"])`, want: `"a,b"`},
		{expr: `lower("ABC")`, want: `"abc"`},
		{expr: `upper("abc")`, want: `"ABC"`},
		{expr: `regex("[0-9]+", "ab123")`, want: `"123"`},
		{expr: `regexall("[0-9]", "a1b2")`, want: `["1","2"]`},
		{expr: `replace("a-b-c", "-", "_")`, want: `"a_b_c"`},
		{expr: `replace("a-b", "/-/", "_")`, want: `"a_b"`},
		{expr: `replace("a1b22", "/([0-9]+)/", "<$1>")`, want: `"a<1>b<22>"`},
		{expr: `replace("a.b", ".", "!")`, want: `"a!b"`},
		{expr: `replace("/x/", "/", "")`, want: `"x"`},
		{expr: `replace("abc", "/[/", "")`, err: `error parsing regexp`},
		{expr: `split(",", "a,b")`, want: `["a","b"]`},
		{expr: `strrev("abc")`, want: `"cba"`},
		{expr: `substr("hello", 1, 3)`, want: `"ell"`},
		{expr: `title("hello world")`, want: `"Hello World"`},
		{expr: `trim("?!hello?!", "!?")`, want: `"hello"`},
		{expr: `trimprefix("helloworld", "hello")`, want: `"world"`},
		{expr: `trimsuffix("helloworld", "world")`, want: `"hello"`},
		{expr: `trimspace("  x \n")`, want: `"x"`},
		{expr: `templatestring("Hi $${name}, $${upper(x)}", {name = "Ann", x = "y"})`, want: `"Hi Ann, Y"`},
		{expr: `templatestring("Hi $${name}", {name = unk})`, want: `<unknown>`},
		{expr: `templatestring("Hi $${nope}", {})`, err: `nope`},
		{expr: `templatestring("$${templatestring(\"x\", {})}", {})`, err: `cannot call templatestring`},
		{expr: `replace(unk, "a", "b")`, want: `<unknown>`},
		{expr: `startswith(unk, "a")`, want: `<unknown>`},
	})
}

func TestCollectionFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `alltrue([true, "true"])`, want: `true`},
		{expr: `alltrue([])`, want: `true`},
		{expr: `alltrue([true, false])`, want: `false`},
		{expr: `alltrue([unkb, false])`, want: `false`},
		{expr: `alltrue([true, unkb])`, want: `<unknown>`},
		{expr: `anytrue([false, true])`, want: `true`},
		{expr: `anytrue([])`, want: `false`},
		{expr: `anytrue([unkb, true])`, want: `true`},
		{expr: `anytrue([unkb, false])`, want: `<unknown>`},
		{expr: `chunklist(["a", "b", "c"], 2)`, want: `[["a","b"],["c"]]`},
		{expr: `coalesce("", "b")`, want: `"b"`},
		{expr: `coalesce(null, 1)`, want: `1`},
		{expr: `coalesce(unk, "b")`, want: `<unknown>`},
		{expr: `coalescelist([], ["c"])`, want: `["c"]`},
		{expr: `compact(["a", "", null, "b"])`, want: `["a","b"]`},
		{expr: `concat(["a"], ["b", "c"])`, want: `["a","b","c"]`},
		{expr: `contains(["a", "b"], "b")`, want: `true`},
		{expr: `distinct(["a", "b", "a"])`, want: `["a","b"]`},
		{expr: `element(["a", "b", "c"], 3)`, want: `"a"`},
		{expr: `element(["a", "b", "c"], -1)`, want: `"c"`},
		{expr: `flatten([["a"], [["b"]], []])`, want: `["a","b"]`},
		{expr: `index(["a", "b"], "b")`, want: `1`},
		{expr: `index(["1", "2"], 2)`, want: `1`},
		{expr: `index(["a", "b"], "c")`, err: `item not found`},
		{expr: `index([unk, "b"], "b")`, want: `<unknown>`},
		{expr: `index(["b", unk], "b")`, want: `0`},
		{expr: `keys({b = 1, a = 2})`, want: `["a","b"]`},
		{expr: `length("héllo")`, want: `5`},
		{expr: `length("👾🕹️")`, want: `2`},
		{expr: `length([1, 2])`, want: `2`},
		{expr: `length({a = 1})`, want: `1`},
		{expr: `length(tomap({a = 1, b = 2}))`, want: `2`},
		{expr: `length(toset(["a", "a"]))`, want: `1`},
		{expr: `length(1)`, err: `must be a string, a collection type, or a structural type`},
		{expr: `length(unk)`, want: `<unknown>`},
		{expr: `list("a", "b")`, err: `removed in v0.15`},
		{expr: `map("a", 1)`, err: `use tomap`},
		{expr: `lookup({a = 1}, "b", null)`, want: `null`},
		{expr: `lookup({a = 1}, "a", null)`, want: `1`},
		{expr: `lookup({a = 1}, "a", 0)`, want: `1`},
		{expr: `lookup({a = "x"}, "b", "d")`, want: `"d"`},
		{expr: `lookup(tomap({a = "x"}), "b", "d")`, want: `"d"`},
		{expr: `lookup(tomap({a = "x"}), "b", null)`, want: `null`},
		{expr: `lookup(tomap({a = "x"}), "a")`, want: `"x"`},
		{expr: `lookup({a = 1}, "b")`, err: `no attribute "b"`},
		{expr: `lookup(tomap({a = "x"}), "b")`, err: `no key "b"`},
		{expr: `lookup(tomap({a = "x"}), "b", {})`, err: `same type as the map elements`},
		{expr: `lookup({a = 1}, unk, 2)`, want: `<unknown>`},
		{expr: `lookup({a = 1, b = unk}, "a", 2)`, want: `1`},
		{expr: `lookup({a = 1}, "a", unk)`, want: `1`},
		{expr: `lookup({a = 1}, "b", unk)`, want: `<unknown>`},
		{expr: `lookup("x", "b", 1)`, err: `requires a map`},
		{expr: `matchkeys(["i-123", "i-abc", "i-def"], ["us-west", "us-east", "us-east"], ["us-east"])`, want: `["i-abc","i-def"]`},
		{expr: `matchkeys(["a", "b"], [1, 2], ["2"])`, want: `["b"]`},
		{expr: `matchkeys(["a"], ["k"], ["z"])`, want: `[]`},
		{expr: `matchkeys(["a", "b"], ["k"], ["k"])`, err: `length of keys and values should be equal`},
		{expr: `matchkeys(["a"], [unk], ["k"])`, want: `<unknown>`},
		{expr: `merge({a = 1}, {b = 2}, {a = 3})`, want: `{"a":3,"b":2}`},
		{expr: `one([])`, want: `null`},
		{expr: `one(["a"])`, want: `"a"`},
		{expr: `one(toset([]))`, want: `null`},
		{expr: `one(tolist(["x"]))`, want: `"x"`},
		{expr: `one(["a", "b"])`, err: `either zero or one elements`},
		{expr: `one(toset([unk, "a"]))`, want: `<unknown>`},
		{expr: `range(3)`, want: `[0,1,2]`},
		{expr: `range(1, 10, 4)`, want: `[1,5,9]`},
		{expr: `reverse([1, 2, 3])`, want: `[3,2,1]`},
		{expr: `setintersection(["a", "b"], ["b", "c"])`, want: `["b"]`},
		{expr: `setproduct(["a"], ["x", "y"])`, want: `[["a","x"],["a","y"]]`},
		{expr: `setsubtract(["a", "b"], ["b"])`, want: `["a"]`},
		{expr: `setunion(["a"], ["b"])`, want: `["a","b"]`},
		{expr: `slice(["a", "b", "c"], 1, 3)`, want: `["b","c"]`},
		{expr: `sort(["b", "a", "c"])`, want: `["a","b","c"]`},
		{expr: `sum([1, 2, 3.5])`, want: `6.5`},
		{expr: `sum(toset([2, 3]))`, want: `5`},
		{expr: `sum(["1", 2])`, want: `3`},
		{expr: `sum([1, unkn])`, want: `<unknown>`},
		{expr: `sum([])`, err: `cannot sum an empty list`},
		{expr: `sum([true])`, err: `number values`},
		{expr: `transpose({a = ["1", "2"], b = ["2", "3"]})`, want: `{"1":["a"],"2":["a","b"],"3":["b"]}`},
		{expr: `transpose({})`, want: `{}`},
		{expr: `transpose({a = [unk]})`, want: `<unknown>`},
		{expr: `values({a = 1, b = 2})`, want: `[1,2]`},
		{expr: `zipmap(["a", "b"], [1, 2])`, want: `{"a":1,"b":2}`},
	})
}

func TestEncodingFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `base64decode("aGVsbG8=")`, want: `"hello"`},
		{expr: `base64decode("not base64!")`, err: `failed to decode base64`},
		{expr: `base64decode("/w==")`, err: `not valid UTF-8`},
		{expr: `base64encode("hello")`, want: `"aGVsbG8="`},
		{expr: `csvdecode("a,b\n1,2\n")`, want: `[{"a":"1","b":"2"}]`},
		{expr: `jsondecode("{\"a\":[1,true]}")`, want: `{"a":[1,true]}`},
		{expr: `jsonencode({a = 1, b = ["x"]})`, want: `"{\"a\":1,\"b\":[\"x\"]}"`},
		{expr: `textencodebase64("Hello World", "UTF-16LE")`, want: `"SABlAGwAbABvACAAVwBvAHIAbABkAA=="`},
		{expr: `textdecodebase64("SABlAGwAbABvACAAVwBvAHIAbABkAA==", "UTF-16LE")`, want: `"Hello World"`},
		{expr: `textencodebase64("é", "ISO-8859-1")`, want: `"6Q=="`},
		{expr: `textencodebase64("日本", "ISO-8859-1")`, err: `cannot be represented`},
		{expr: `textencodebase64("x", "no-such-encoding")`, err: `not a supported IANA encoding`},
		{expr: `urlencode("a b&c")`, want: `"a+b%26c"`},
		{expr: `yamldecode("a: 1\nb: [x, z]\n")`, want: `{"a":1,"b":["x","z"]}`},
		{expr: `yamlencode({a = 1})`, want: `"\"a\": 1\n"`},
		{expr: `jsonencode({a = unk})`, want: `<unknown>`},
	})
}

func TestBase64Gzip(t *testing.T) {
	got, diags := evalIn(t, testFS(), "mod", `base64gzip("hello, world")`, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	raw, err := base64.StdEncoding.DecodeString(got.AsString())
	if err != nil {
		t.Fatal(err)
	}
	r, err := gzip.NewReader(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	plain, err := io.ReadAll(r)
	if err != nil || string(plain) != "hello, world" {
		t.Fatalf("decompressed %q, %v", plain, err)
	}
}

func TestFilesystemFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `file("x.txt")`, want: `"hello\n"`},
		{expr: `file("./x.txt")`, want: `"hello\n"`},
		{expr: `file("${path.module}/x.txt")`, want: `"hello\n"`},
		{expr: `file("../shared/common.txt")`, want: `"shared"`},
		{expr: `file("${path.module}/../root.txt")`, want: `"root"`},
		{expr: `file("link-in")`, want: `"hello\n"`},
		{expr: `file("../../../etc/passwd")`, err: `outside the scan root`},
		{expr: `file("../../etc/passwd")`, err: `outside the scan root`},
		{expr: `file("/etc/passwd")`, err: `outside the scan root`},
		{expr: `file("C:\\Windows\\win.ini")`, err: `outside the scan root`},
		{expr: `file("..\\..\\etc\\passwd")`, err: `outside the scan root`},
		{expr: `file("~/.ssh/id_rsa")`, err: `outside the scan root`},
		{expr: `file("link-out")`, err: `outside the scan root`},
		{expr: `file("link-abs")`, err: `outside the scan root`},
		{expr: `file("dir-out/etc/passwd")`, err: `outside the scan root`},
		{expr: `file("missing.txt")`, err: `no file exists at "missing.txt"`},
		{expr: `file("bin.dat")`, err: `not valid UTF-8`},
		{expr: `file("files")`, err: `cannot read`},
		{expr: `file(unk)`, want: `<unknown>`},
		{expr: `filebase64("x.txt")`, want: `"aGVsbG8K"`},
		{expr: `filebase64("bin.dat")`, want: `"//4A"`},
		{expr: `filebase64("/etc/passwd")`, err: `outside the scan root`},
		{expr: `fileexists("x.txt")`, want: `true`},
		{expr: `fileexists("nope.txt")`, want: `false`},
		{expr: `fileexists("files")`, err: `not a regular file`},
		{expr: `fileexists("../../x")`, err: `outside the scan root`},
		{expr: `fileset("files", "*.json")`, want: `["a.json","b.json"]`},
		{expr: `fileset("files", "**/*.json")`, want: `["a.json","b.json","sub/c.json"]`},
		{expr: `fileset("files", "**")`, want: `["a.json","b.json","readme.md","sub/c.json","sub/d/e.txt"]`},
		{expr: `fileset("files", "sub/**")`, want: `["sub/c.json","sub/d/e.txt"]`},
		{expr: `fileset(".", "files/{a,b}.json")`, want: `["files/a.json","files/b.json"]`},
		{expr: `fileset(path.module, "files/[ab].json")`, want: `["files/a.json","files/b.json"]`},
		{expr: `fileset("files", "[^a].json")`, want: `["b.json"]`},
		{expr: `fileset("files", "?.*")`, want: `["a.json","b.json"]`},
		{expr: `fileset("files", "*/*/*.txt")`, want: `["sub/d/e.txt"]`},
		{expr: `fileset("nope", "*")`, want: `[]`},
		{expr: `fileset("..", "*.txt")`, want: `["root.txt"]`},
		{expr: `fileset("../..", "*")`, err: `outside the scan root`},
		{expr: `fileset("files", "../*")`, err: `stay inside`},
		{expr: `fileset("files", "{a")`, err: `invalid pattern`},
		{expr: `fileset("files", "[a")`, err: `invalid pattern`},
		{expr: `fileset(unk, "*")`, want: `<unknown>`},
		{expr: `filemd5("x.txt")`, want: `"b1946ac92492d2347c6235b4d2611184"`},
		{expr: `filesha1("x.txt")`, want: `"f572d396fae9206628714fb2ce00f72e94f2258f"`},
		{expr: `filesha256("x.txt")`, want: `"5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"`},
		{expr: `filesha512("x.txt")`, want: `"e7c22b994c59d9cf2b48e549b1e24666636045930d3da7c1acb299d1c3b7f931f94aae41edda2c2b207a36e10f8bcb8d45223e54878f5b316e7ce3b6bc019629"`},
		{expr: `filebase64sha256("x.txt")`, want: `"WJG1tSLV3whtD/CxEPvZ0hu0/HFjrzTQgoai6Eb2vgM="`},
		{expr: `filebase64sha512("x.txt")`, want: `"58IrmUxZ2c8rSOVJseJGZmNgRZMNPafBrLKZ0cO3+TH5Sq5B7dosKyB6NuEPi8uNRSI+VIePWzFufOO2vAGWKQ=="`},
		{expr: `filesha256("../../etc/shadow")`, err: `outside the scan root`},
		{expr: `templatefile("tmpl.tftpl", {name = "W", items = [1, 2]})`, want: `"Hello, W! [1] [2]"`},
		{expr: `templatefile("${path.module}/upper.tftpl", {name = "Ab"})`, want: `"AB-ab"`},
		{expr: `templatefile("value.tftpl", {items = [1, 2]})`, want: `[1,2]`},
		{expr: `templatefile("tmpl.tftpl", {name = unk, items = []})`, want: `<unknown>`},
		{expr: `templatefile("tmpl.tftpl", {name = "W"})`, err: `items`},
		{expr: `templatefile("tmpl.tftpl", {"not valid" = 1})`, err: `invalid template variable name`},
		{expr: `templatefile("nested.tftpl", {})`, err: `cannot call templatefile`},
		{expr: `templatefile("provider.tftpl", {name = "x"})`, want: `<unknown>`},
		{expr: `templatefile("/etc/passwd", {})`, err: `outside the scan root`},
		{expr: `templatefile("missing.tftpl", {})`, err: `no file exists`},
		{expr: `abspath("x.txt")`, want: `"mod/x.txt"`},
		{expr: `abspath("${path.module}/x.txt")`, want: `"mod/x.txt"`},
		{expr: `abspath("/abs/../x")`, want: `"/x"`},
		{expr: `dirname("a/b/c.txt")`, want: `"a/b"`},
		{expr: `dirname("c.txt")`, want: `"."`},
		{expr: `basename("a/b/c.txt")`, want: `"c.txt"`},
		{expr: `pathexpand("~/x")`, want: `<unknown>`},
		{expr: `pathexpand("a/b")`, want: `"a/b"`},
	})
}

// TestFilesystemModuleDirs covers the scan root as the module directory and
// a nested module directory.
func TestFilesystemModuleDirs(t *testing.T) {
	fsys := fstest.MapFS{
		"root.txt":                   {Data: []byte("root")},
		"examples/complete/a.txt":    {Data: []byte("a")},
		"examples/complete/sub/b.md": {Data: []byte("b")},
		"modules/shared/s.txt":       {Data: []byte("s")},
	}
	cases := []struct{ dir, expr, want, err string }{
		{".", `file("root.txt")`, `"root"`, ""},
		{".", `file("../root.txt")`, "", "outside the scan root"},
		{"", `file("root.txt")`, `"root"`, ""},
		{"examples/complete", `file("a.txt")`, `"a"`, ""},
		{"examples/complete", `file("./a.txt")`, `"a"`, ""},
		{"examples/complete", `file("sub/../../../root.txt")`, `"root"`, ""},
		{"examples/complete", `file("../../modules/shared/s.txt")`, `"s"`, ""},
		{"examples/complete", `file("../../../x")`, "", "outside the scan root"},
		{"examples/complete", `fileset(".", "**")`, `["a.txt","sub/b.md"]`, ""},
		{"examples/complete", `abspath("sub")`, `"examples/complete/sub"`, ""},
	}
	for _, c := range cases {
		t.Run(c.dir+" "+c.expr, func(t *testing.T) {
			got, diags := evalIn(t, fsys, c.dir, c.expr, nil)
			if c.err != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), c.err) {
					t.Fatalf("got %s (%v), want error %q", render(got), diags, c.err)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if r := render(got); r != c.want {
				t.Fatalf("got %s, want %s", r, c.want)
			}
		})
	}
}

func TestDateTimeFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `formatdate("YYYY-MM-DD hh:mm", "2024-01-02T03:04:05Z")`, want: `"2024-01-02 03:04"`},
		{expr: `timeadd("2024-01-01T00:00:00Z", "1h30m")`, want: `"2024-01-01T01:30:00Z"`},
		{expr: `timecmp("2024-01-01T00:00:00Z", "2024-01-01T01:00:00+01:00")`, want: `0`},
		{expr: `timecmp("2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z")`, want: `-1`},
		{expr: `timecmp("2024-01-02T00:00:00Z", "2024-01-01T00:00:00Z")`, want: `1`},
		{expr: `timecmp("yesterday", "2024-01-01T00:00:00Z")`, err: `RFC 3339`},
		{expr: `timestamp()`, want: `<unknown>`},
		{expr: `plantimestamp()`, want: `<unknown>`},
		{expr: `timestamp(1)`, err: `arguments`},
	})
}

func TestHashCryptoFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `md5("hello")`, want: `"5d41402abc4b2a76b9719d911017c592"`},
		{expr: `sha1("hello")`, want: `"aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d"`},
		{expr: `sha256("hello")`, want: `"2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"`},
		{expr: `sha512("hello")`, want: `"9b71d224bd62f3785d96d46ad3ea3d73319bfbc2890caadae2dff72519673ca72323c3d99ba5c11d7c7acc6e14b8c5da0c4663475c2e5c3adef46f73bcdec043"`},
		{expr: `base64sha256("hello")`, want: `"LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="`},
		{expr: `base64sha512("hello")`, want: `"m3HSJL1i83hdltRq0+o9czGb+8KJDKra4t/3JRlnPKcjI8PZm6XBHXx6zG4UuMXaDEZjR1wuXDre9G9zvN7AQw=="`},
		{expr: `bcrypt("hello")`, want: `<unknown>`},
		{expr: `bcrypt("hello", 10)`, want: `<unknown>`},
		{expr: `uuid()`, want: `<unknown>`},
		{expr: `uuidv5("dns", "tada")`, want: `"faa898db-9b9d-5b75-86a9-149e7bb8e3b8"`},
		{expr: `uuidv5("url", "tada")`, want: `"2c1ff6b4-211f-577e-94de-d978b0caa16e"`},
		{expr: `uuidv5("nope", "tada")`, err: `namespace`},
		{expr: `rsadecrypt("aGVsbG8=", "not a key")`, want: `<unknown>`},
		{expr: `sha256(unk)`, want: `<unknown>`},
	})
}

func TestNetworkFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `cidrhost("10.12.112.0/20", 16)`, want: `"10.12.112.16"`},
		{expr: `cidrhost("10.12.112.0/20", 268)`, want: `"10.12.113.12"`},
		{expr: `cidrhost("fd00:fd12:3456:7890:00a2::/72", 34)`, want: `"fd00:fd12:3456:7890::22"`},
		{expr: `cidrnetmask("172.16.0.0/12")`, want: `"255.240.0.0"`},
		{expr: `cidrsubnet("10.0.0.0/16", 8, 2)`, want: `"10.0.2.0/24"`},
		{expr: `cidrsubnet("172.16.0.0/12", 4, 2)`, want: `"172.18.0.0/16"`},
		{expr: `cidrsubnet("10.0.0.0/16", 8, 300)`, err: `prefix`},
		{expr: `cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)`, want: `["10.1.0.0/20","10.1.16.0/20","10.1.32.0/24","10.1.48.0/20"]`},
		{expr: `cidrsubnet("not a cidr", 8, 2)`, err: `invalid CIDR`},
		{expr: `cidrsubnet(unk, 8, 2)`, want: `<unknown>`},
	})
}

func TestTypeFunctions(t *testing.T) {
	runFuncCases(t, []funcCase{
		{expr: `can(tonumber("x"))`, want: `false`},
		{expr: `can(tonumber("1"))`, want: `true`},
		{expr: `try(tonumber("x"), 5)`, want: `5`},
		{expr: `try({a = 1}.b, "fallback")`, want: `"fallback"`},
		{expr: `tobool("true")`, want: `true`},
		{expr: `tolist(["a", "b"])`, want: `["a","b"]`},
		{expr: `tomap({a = 1, b = "x"})`, want: `{"a":"1","b":"x"}`},
		{expr: `tonumber("5")`, want: `5`},
		{expr: `tonumber("x")`, err: `number`},
		{expr: `toset(["a", "a", "b"])`, want: `["a","b"]`},
		{expr: `tostring(5)`, want: `"5"`},
		{expr: `tostring(null)`, want: `null`},
		{expr: `type(1)`, want: `<unknown>`},
		{expr: `ephemeralasnull("x")`, want: `"x"`},
		{expr: `issensitive(sensitive("x"))`, want: `true`},
		{expr: `issensitive(secret)`, want: `true`},
		{expr: `issensitive("x")`, want: `false`},
		{expr: `issensitive(unk)`, want: `<unknown>`},
		{expr: `issensitive(sensitive(unk))`, want: `true`},
		{expr: `nonsensitive(secret)`, want: `"s3cr3t"`},
		{expr: `nonsensitive("plain")`, want: `"plain"`},
		{expr: `core::upper("a")`, want: `"A"`},
		{expr: `core::lookup({a = 1}, "b", null)`, want: `null`},
		{expr: `core::file("x.txt")`, want: `"hello\n"`},
	})
}

// TestSensitivity checks that sensitive, nonsensitive and issensitive use
// the evaluator's sensitiveMark, and that marks flow through functions.
func TestSensitivity(t *testing.T) {
	fsys := testFS()
	marked := func(src string, want bool) {
		t.Helper()
		got, diags := evalIn(t, fsys, "mod", src, testVars())
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags.Error())
		}
		if got.HasMark(sensitiveMark{}) != want {
			t.Fatalf("%s: sensitive = %v, want %v (%#v)", src, !want, want, got)
		}
	}
	marked(`sensitive("x")`, true)
	marked(`sensitive(unk)`, true)
	marked(`sensitive(null)`, true)
	// Portcullis never removes a sensitive mark.
	marked(`nonsensitive(secret)`, true)
	marked(`nonsensitive(sensitive(unk))`, true)
	marked(`nonsensitive("plain")`, false)
	marked(`upper(secret)`, true)
	marked(`sha256(secret)`, true)
	marked(`bcrypt(secret)`, true)
	marked(`base64encode(secret)`, true)
	marked(`jsonencode({a = secret})`, true)
	marked(`lookup({a = secret, b = "x"}, "b", "d")`, false)
	marked(`lookup({a = secret, b = "x"}, "a", "d")`, true)
	marked(`lookup(sensitive({a = "x"}), "a", "d")`, true)
	marked(`lookup({a = "x"}, "b", secret)`, true)
	marked(`templatestring("$${x}", {x = secret})`, true)
	marked(`cidrsubnet(sensitive("10.0.0.0/16"), 8, 2)`, true)
	marked(`issensitive(secret)`, false)

	got, diags := evalIn(t, fsys, "mod", `sensitive("x")`, nil)
	if diags.HasErrors() || !got.RawEquals(cty.StringVal("x").Mark(sensitiveMark{})) {
		t.Fatalf("sensitive(\"x\") = %#v, want the string marked sensitiveMark{}", got)
	}
}

func TestProviderFunctions(t *testing.T) {
	for name, want := range map[string]bool{
		"provider::aws::arn_parse":           true,
		"provider::terraform::encode_tfvars": true,
		"core::upper":                        false,
		"upper":                              false,
		"providerx":                          false,
	} {
		if isProviderFunction(name) != want {
			t.Errorf("isProviderFunction(%q) = %v, want %v", name, !want, want)
		}
	}

	funcs := functions(testFS(), "mod")
	funcs["provider::aws::arn_parse"] = providerFunction()
	vars := testVars()
	for _, src := range []string{
		`provider::aws::arn_parse("arn:aws:iam::123456789012:user/x")`,
		`provider::aws::arn_parse()`,
		`provider::aws::arn_parse(unk, null, dyn, secret, [1], {a = 1})`,
		`provider::aws::arn_parse("x").account_id`,
	} {
		expr, diags := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags.Error())
		}
		got, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: funcs})
		if diags.HasErrors() {
			t.Fatalf("%s: %s", src, diags.Error())
		}
		if got.IsKnown() {
			t.Fatalf("%s = %#v, want unknown", src, got)
		}
	}
	got, _ := providerFunction().Call([]cty.Value{cty.StringVal("x").Mark(sensitiveMark{})})
	if !got.HasMark(sensitiveMark{}) {
		t.Fatalf("provider function result of a sensitive argument is not sensitive: %#v", got)
	}
}

// TestFunctionTable checks that every Terraform built-in is registered,
// each under its core:: name too.
func TestFunctionTable(t *testing.T) {
	builtins := strings.Fields(`
		abs ceil floor log max min parseint pow signum
		chomp endswith format formatlist indent join lower regex regexall replace split startswith strcontains strrev substr templatestring title trim trimprefix trimspace trimsuffix upper
		alltrue anytrue chunklist coalesce coalescelist compact concat contains distinct element flatten index keys length list lookup map matchkeys merge one range reverse setintersection setproduct setsubtract setunion slice sort sum transpose values zipmap
		base64decode base64encode base64gzip csvdecode jsondecode jsonencode textdecodebase64 textencodebase64 urlencode yamldecode yamlencode
		abspath dirname pathexpand basename file fileexists fileset filebase64 templatefile
		formatdate plantimestamp timeadd timecmp timestamp
		base64sha256 base64sha512 bcrypt filebase64sha256 filebase64sha512 filemd5 filesha1 filesha256 filesha512 md5 rsadecrypt sha1 sha256 sha512 uuid uuidv5
		cidrhost cidrnetmask cidrsubnet cidrsubnets
		can ephemeralasnull issensitive nonsensitive sensitive tobool tolist tomap tonumber toset tostring try type`)
	funcs := functions(testFS(), "mod")
	for _, name := range builtins {
		if _, ok := funcs[name]; !ok {
			t.Errorf("%s is not registered", name)
		}
	}
	plain := 0
	for name := range funcs {
		if strings.HasPrefix(name, "core::") {
			if _, ok := funcs[strings.TrimPrefix(name, "core::")]; !ok || strings.HasPrefix(name, "core::core::") {
				t.Errorf("alias %s has no plain function", name)
			}
			continue
		}
		plain++
		if _, ok := funcs["core::"+name]; !ok {
			t.Errorf("%s has no core:: alias", name)
		}
	}
	if plain != len(builtins) {
		t.Errorf("%d plain functions registered, want %d", plain, len(builtins))
	}
}

// argShapes builds, for a function, argument lists of every arity its
// signature allows up to two variadic arguments, each argument made by
// mk from its parameter.
func argLists(f function.Function, mk func(p function.Parameter) cty.Value) [][]cty.Value {
	var base []cty.Value
	for _, p := range f.Params() {
		base = append(base, mk(p))
	}
	lists := [][]cty.Value{base}
	if vp := f.VarParam(); vp != nil {
		for n := 1; n <= 2; n++ {
			l := append([]cty.Value{}, base...)
			for range n {
				l = append(l, mk(*vp))
			}
			lists = append(lists, l)
		}
	}
	return lists
}

// callThroughHCL calls function name with args bound to variables a0, a1,
// ... in an HCL expression, as the evaluator does, and fails on a panic
// (also one cty turned into an error).
func callThroughHCL(t *testing.T, funcs map[string]function.Function, name string, args []cty.Value) (v cty.Value, diags hcl.Diagnostics) {
	t.Helper()
	vars := map[string]cty.Value{}
	refs := make([]string, len(args))
	for i, a := range args {
		refs[i] = fmt.Sprintf("a%d", i)
		vars[refs[i]] = a
	}
	src := fmt.Sprintf("%s(%s)", name, strings.Join(refs, ", "))
	expr, pd := hclsyntax.ParseExpression([]byte(src), "t.tf", hcl.InitialPos)
	if pd.HasErrors() {
		t.Fatalf("%s: %s", src, pd.Error())
	}
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s with %#v panicked: %v", name, args, r)
		}
	}()
	v, diags = expr.Value(&hcl.EvalContext{Variables: vars, Functions: funcs})
	if diags.HasErrors() && strings.Contains(diags.Error(), "panic in function implementation") {
		t.Errorf("%s with %#v panicked: %s", name, args, diags.Error())
	}
	return v, diags
}

// directCall calls f with args outside HCL, failing on a panic.
func directCall(t *testing.T, name string, f function.Function, args []cty.Value) (v cty.Value, err error) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s with %#v panicked: %v", name, args, r)
		}
	}()
	v, err = f.Call(args)
	var pe function.PanicError
	if errors.As(err, &pe) {
		t.Errorf("%s with %#v panicked: %v", name, args, pe.Value)
	}
	return v, err
}

func sortedNames(funcs map[string]function.Function) []string {
	names := make([]string, 0, len(funcs))
	for n := range funcs {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// TestEveryFunctionUnknownArguments calls every registered function with
// unknown arguments (of unknown type, and of each parameter's type): no
// panic, and an unknown result whenever the call succeeds.
func TestEveryFunctionUnknownArguments(t *testing.T) {
	funcs := functions(testFS(), "mod")
	makers := map[string]func(function.Parameter) cty.Value{
		"dynamic": func(function.Parameter) cty.Value { return cty.DynamicVal },
		"typed":   func(p function.Parameter) cty.Value { return cty.UnknownVal(p.Type) },
	}
	calls := 0
	for _, name := range sortedNames(funcs) {
		f := funcs[name]
		for kind, mk := range makers {
			for _, args := range argLists(f, mk) {
				if len(args) == 0 {
					continue
				}
				for _, through := range []string{"hcl", "direct"} {
					var got cty.Value
					var failed bool
					if through == "hcl" {
						var diags hcl.Diagnostics
						got, diags = callThroughHCL(t, funcs, name, args)
						failed = diags.HasErrors()
					} else {
						if base := strings.TrimPrefix(name, "core::"); base == "try" || base == "can" {
							continue // they take expressions, only through HCL
						}
						var err error
						got, err = directCall(t, name, f, args)
						failed = err != nil
					}
					calls++
					if !failed && got.IsWhollyKnown() {
						t.Errorf("%s (%s, %s) with %d unknown arguments returned known %#v", name, kind, through, len(args), got)
					}
				}
			}
		}
	}
	t.Logf("%d calls", calls)
}

// TestEveryFunctionPartlyUnknownArguments calls every function with known
// containers holding unknown values: no panic (errors are fine).
func TestEveryFunctionPartlyUnknownArguments(t *testing.T) {
	funcs := functions(testFS(), "mod")
	shapes := []cty.Value{
		cty.TupleVal([]cty.Value{cty.UnknownVal(cty.String)}),
		cty.ListVal([]cty.Value{cty.UnknownVal(cty.String), cty.StringVal("a")}),
		cty.ListVal([]cty.Value{cty.UnknownVal(cty.Number)}),
		cty.ListVal([]cty.Value{cty.UnknownVal(cty.Bool), cty.True}),
		cty.SetVal([]cty.Value{cty.UnknownVal(cty.String), cty.StringVal("a")}),
		cty.ObjectVal(map[string]cty.Value{"a": cty.UnknownVal(cty.String), "b": cty.DynamicVal}),
		cty.MapVal(map[string]cty.Value{"a": cty.UnknownVal(cty.List(cty.String))}),
		cty.MapVal(map[string]cty.Value{"a": cty.ListVal([]cty.Value{cty.UnknownVal(cty.String)})}),
		cty.ObjectVal(map[string]cty.Value{"name": cty.UnknownVal(cty.String), "items": cty.UnknownVal(cty.List(cty.String))}),
	}
	known := []cty.Value{cty.StringVal("tmpl.tftpl"), cty.NumberIntVal(1), cty.StringVal("a")}
	for _, name := range sortedNames(funcs) {
		f := funcs[name]
		for _, shape := range shapes {
			// Every argument of this shape, then one of this shape among
			// known arguments.
			for _, args := range argLists(f, func(function.Parameter) cty.Value { return shape }) {
				callThroughHCL(t, funcs, name, args)
			}
			for _, k := range known {
				for _, args := range argLists(f, func(function.Parameter) cty.Value { return k }) {
					for i := range args {
						mixed := append([]cty.Value{}, args...)
						mixed[i] = shape
						callThroughHCL(t, funcs, name, mixed)
					}
				}
			}
		}
	}
}

// unmarkingFunctions may drop the sensitive mark of an argument: can
// reports only whether its argument evaluates (as hcl's tryfunc does in
// Terraform).
var unmarkingFunctions = map[string]bool{"nonsensitive": true, "issensitive": true, "type": true, "can": true}

// TestEveryFunctionMarkedArguments calls every function with sensitive
// arguments (marked at the top and nested inside): no panic, and a
// successful result keeps a mark given at the top of an argument (except
// for the functions whose purpose is to inspect or remove it).
func TestEveryFunctionMarkedArguments(t *testing.T) {
	funcs := functions(testFS(), "mod")
	s := func(v cty.Value) cty.Value { return v.Mark(sensitiveMark{}) }
	byType := func(p function.Parameter) cty.Value {
		switch {
		case p.Type == cty.String:
			return s(cty.StringVal("10.0.0.0/16"))
		case p.Type == cty.Number:
			return s(cty.NumberIntVal(2))
		case p.Type == cty.Bool:
			return s(cty.True)
		case p.Type.IsListType() || p.Type.IsSetType():
			return s(cty.ListVal([]cty.Value{cty.StringVal("true")}))
		case p.Type.IsMapType():
			return s(cty.MapVal(map[string]cty.Value{"a": cty.ListVal([]cty.Value{cty.StringVal("b")})}))
		}
		return s(cty.StringVal("x"))
	}
	// Shapes marked at their top level must give marked results.
	marked := map[string]func(function.Parameter) cty.Value{
		"by type":     byType,
		"string":      func(function.Parameter) cty.Value { return s(cty.StringVal("x.txt")) },
		"number":      func(function.Parameter) cty.Value { return s(cty.NumberIntVal(1)) },
		"marked list": func(function.Parameter) cty.Value { return s(cty.ListVal([]cty.Value{cty.NumberIntVal(1)})) },
		"marked object": func(function.Parameter) cty.Value {
			return s(cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal("n"), "items": cty.ListValEmpty(cty.String)}))
		},
		"marked unknown":        func(function.Parameter) cty.Value { return s(cty.DynamicVal) },
		"marked unknown string": func(function.Parameter) cty.Value { return s(cty.UnknownVal(cty.String)) },
	}
	// Nested marks need not reach the result (the length of a list holding
	// a secret is not secret): these only must not panic.
	nested := map[string]func(function.Parameter) cty.Value{
		"nested list": func(function.Parameter) cty.Value {
			return cty.ListVal([]cty.Value{s(cty.StringVal("a")), cty.StringVal("b")})
		},
		"nested object": func(function.Parameter) cty.Value {
			return cty.ObjectVal(map[string]cty.Value{"a": s(cty.StringVal("a"))})
		},
		"nested map": func(function.Parameter) cty.Value {
			return cty.MapVal(map[string]cty.Value{"a": s(cty.ListVal([]cty.Value{cty.StringVal("b")}))})
		},
	}
	succeeded := 0
	for _, name := range sortedNames(funcs) {
		f := funcs[name]
		base := strings.TrimPrefix(name, "core::")
		for shapeName, mk := range marked {
			for _, args := range argLists(f, mk) {
				if len(args) == 0 {
					continue
				}
				got, diags := callThroughHCL(t, funcs, name, args)
				if diags.HasErrors() {
					continue
				}
				succeeded++
				// hcl's tryfunc returns a bare unknown for an unknown argument.
				if !got.ContainsMarked() && !unmarkingFunctions[base] && (base != "try" || !strings.HasPrefix(shapeName, "marked unknown")) {
					t.Errorf("%s (%s) with sensitive arguments returned %#v, which is not sensitive", name, shapeName, got)
				}
			}
		}
		for _, mk := range nested {
			for _, args := range argLists(f, mk) {
				if _, diags := callThroughHCL(t, funcs, name, args); !diags.HasErrors() {
					succeeded++
				}
			}
		}
	}
	t.Logf("%d successful calls with sensitive arguments", succeeded)
}

// TestEdgeCasesDoNotPanic evaluates odd arguments: errors are expected,
// panics (also ones go-cty turned into errors) are not.
func TestEdgeCasesDoNotPanic(t *testing.T) {
	fsys := testFS()
	for _, src := range []string{
		`pow(-8, 0.5)`, `pow(0, -1)`, `log(0, 0)`, `log(1, 1)`, `log(-1, 10)`, `log(8, -2)`, `ceil(pow(10, 400))`,
		`floor(-pow(10, 400))`, `signum(pow(10, 400))`, `parseint("", 10)`, `parseint("zz", 99)`, `parseint("1", 1)`,
		`abs(pow(10, 400))`, `max()`, `min()`, `max(unkn, 1)`,
		`substr("abc", 5, 2)`, `substr("abc", -5, 2)`, `substr("abc", 1, -1)`, `range(1, 0, 0)`, `range(0, 10000)`, `range(unkn)`,
		`chunklist(["a"], 0)`, `chunklist(["a"], -1)`, `element([], 0)`, `element(["a"], 1.5)`, `slice([1], 2, 1)`, `slice([1], -1, 1)`,
		`formatdate("bad", "x")`, `formatdate("YYYY", unk)`, `timeadd("x", "1h")`, `timeadd("2024-01-01T00:00:00Z", "bad")`, `timecmp(unk, "x")`,
		`cidrhost("10.0.0.0/8", -1)`, `cidrhost("10.0.0.0/30", 9)`, `cidrsubnets("10.0.0.0/8")`, `cidrsubnets("10.0.0.0/8", 0)`,
		`cidrsubnets("10.0.0.0/30", 4, 4)`, `cidrsubnet("10.0.0.0/8", 40, 1)`, `cidrnetmask("::/64")`, `cidrsubnet("10.0.0.0/8", 8, -1)`,
		`csvdecode("a\n1,2")`, `csvdecode("")`, `jsondecode("x")`, `jsondecode("")`, `yamldecode(":::")`, `yamldecode("")`, `yamldecode("a: !!binary x")`,
		`regex("(", "x")`, `regex("a", "b")`, `regexall("(", "x")`, `format("%d", "x")`, `format("%!", 1)`, `formatlist("%s", [[1]])`,
		`indent(-1, "x")`, `title("")`, `zipmap(["a"], [])`, `zipmap(["a", "a"], [1, 2])`, `setproduct()`, `setproduct([])`, `merge(1)`, `merge(null)`,
		`flatten("x")`, `sort([1, "a"])`, `sort([[1]])`, `distinct([[1], [1]])`, `reverse("x")`, `keys("x")`, `values("x")`, `keys({})`,
		`concat()`, `concat("x")`, `contains("x", "x")`, `coalesce()`, `coalesce(null)`, `coalesce(null, null)`, `coalesce({}, "x")`, `coalescelist()`, `compact([[1]])`,
		`one(null)`, `one("x")`, `one(tolist([unk]))`, `sum(null)`, `sum([null])`, `sum(["x"])`, `sum([pow(10, 400), -pow(10, 400)])`,
		`transpose(null)`, `transpose({a = null})`, `transpose({a = [null]})`, `matchkeys([], [], [])`, `matchkeys(null, [], [])`, `matchkeys([1], [[1]], ["x"])`,
		`lookup(null, "a", 1)`, `lookup({}, null, 1)`, `lookup({a = 1}, "a", 1, 2)`, `lookup(dyn, "a", 1)`, `lookup({a = 1}, "a", dyn)`,
		`alltrue(null)`, `alltrue([null])`, `anytrue([null, true])`, `alltrue(["x"])`, `index([], 1)`, `index("x", 1)`, `index([[1]], 1)`,
		`length(null)`, `length(dyn)`, `length(toset([unk, "a"]))`, `startswith(null, "a")`, `replace("a", "", "b")`, `replace("a", "//", "b")`,
		`base64decode(unk)`, `base64gzip("")`, `textencodebase64("", "UTF-8")`, `textdecodebase64("", "UTF-16")`, `textdecodebase64("/w==", "UTF-8")`,
		`urlencode("")`, `yamlencode(null)`, `yamlencode(dyn)`, `jsonencode(dyn)`, `jsonencode(pow(10, 400))`,
		`file("")`, `file(".")`, `file("/")`, `file("..")`, `file("a/../../..")`, `file("x.txt/..")`, `fileexists("")`, `fileexists("link-out")`,
		`fileset("", "")`, `fileset(".", "")`, `fileset(".", "/")`, `fileset(".", "**/**/**")`, `fileset("x.txt", "*")`, `fileset(".", "{,}")`, `fileset(".", "[]]")`,
		`fileset(".", "\\")`, `fileset("dir-out", "**")`, `filemd5("files")`, `abspath("")`, `abspath("../../..")`, `dirname("")`, `basename("")`, `pathexpand("")`,
		`templatefile("x.txt", null)`, `templatefile("x.txt", "s")`, `templatefile("bin.dat", {})`, `templatefile(unk, {})`, `templatefile("tmpl.tftpl", dyn)`,
		`templatestring("$${", {})`, `templatestring("x", {a = dyn})`, `templatestring(unk, {})`,
		`rsadecrypt("", "")`, `rsadecrypt("aGVsbG8=", "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")`, `uuidv5("dns", unk)`,
		`bcrypt("x", 100)`, `tobool("x")`, `tonumber(null)`, `tolist("x")`, `tomap([])`, `toset({})`, `tostring([])`, `type(dyn)`,
		`sensitive(dyn)`, `nonsensitive(dyn)`, `issensitive(null)`, `ephemeralasnull(dyn)`, `try()`, `can()`, `try(dyn)`, `can(dyn)`,
		`list()`, `map()`, `uuid()`, `timestamp()`,
	} {
		t.Run(src, func(t *testing.T) {
			_, diags := evalIn(t, fsys, "mod", src, testVars())
			if diags.HasErrors() && strings.Contains(diags.Error(), "panic") {
				t.Fatalf("panicked: %s", diags.Error())
			}
		})
	}
}
