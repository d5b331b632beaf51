package plan

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// unknowns lists the unknown of every resource of a graph.
func unknowns(g *graph.Graph) map[string]string {
	out := map[string]string{}
	for _, r := range g.Resources {
		out[r.Address] = jsonOf(r.Unknown)
	}
	return out
}

// unsetFS is the testdata/unset fixture (plan and source) as a map file
// system, to be changed by a test.
func unsetFS(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	for _, f := range []string{"plan.json", "main.tf", "modules/logs/main.tf"} {
		data, err := os.ReadFile("testdata/unset/" + f)
		if err != nil {
			t.Fatal(err)
		}
		fsys["unset/"+f] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// Every unknown of the fixture, as after_unknown has it.
var unsetAllUnknown = map[string]string{
	`aws_lb_listener.https`:          `{"arn":true,"default_action":[{"order":true}],"id":true,"protocol":true,"ssl_policy":true,"tags_all":true}`,
	`aws_s3_bucket.dyn`:              `{"arn":true,"id":true,"logging":true,"versioning":true}`,
	`aws_s3_bucket.legacy`:           `{"arn":true,"id":true,"object_lock_enabled":true,"policy":true,"versioning":true}`,
	`aws_s3_bucket.orphan`:           `{"arn":true,"id":true,"versioning":true}`,
	`aws_s3_bucket.plain`:            `{"arn":true,"id":true,"logging":true,"object_lock_enabled":true,"policy":true,"server_side_encryption_configuration":true,"tags_all":true,"versioning":true}`,
	`data.aws_iam_policy_document.p`: `{"id":true,"json":true,"minified_json":true,"statement":[{"resources":[true]}]}`,
	`module.logs[0].aws_s3_bucket.b`: `{"arn":true,"bucket":true,"id":true,"tags":true,"versioning":true}`,
}

func TestUnwrittenAttributesAreNotUnknown(t *testing.T) {
	g := Load(os.DirFS("testdata"), "unset/plan.json", Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	want := map[string]string{
		// protocol is written (a variable): unknown. ssl_policy is not:
		// not set. Inside a written block, unknowns stay.
		`aws_lb_listener.https`: `{"default_action":[{"order":true}],"protocol":true}`,
		// versioning is written by a dynamic block, which the plan's
		// configuration does not show: unknown; logging is not set.
		`aws_s3_bucket.dyn`: `{"versioning":true}`,
		// A nested block written as a block stays unknown; an attribute
		// written as null is not set.
		`aws_s3_bucket.legacy`: `{"versioning":true}`,
		// Not in the plan's configuration: every unknown stays.
		`aws_s3_bucket.orphan`: unsetAllUnknown[`aws_s3_bucket.orphan`],
		`aws_s3_bucket.plain`:  `{}`,
		// A data source's computed attributes are results: they stay.
		`data.aws_iam_policy_document.p`: unsetAllUnknown[`data.aws_iam_policy_document.p`],
		// In a module call (with count): tags is written (timestamp()),
		// the generated bucket name is not set.
		`module.logs[0].aws_s3_bucket.b`: `{"tags":true}`,
	}
	if diff := cmp.Diff(want, unknowns(g)); diff != "" {
		t.Errorf("unknown (-want +got):\n%s", diff)
	}
	// What is no longer unknown is absent from values too.
	plain := resource(t, g, "aws_s3_bucket.plain")
	if got := jsonOf(plain.Values); got != `{"bucket":"plain","force_destroy":false}` {
		t.Errorf("plain values %s", got)
	}
}

// Without the source, dynamic blocks cannot be seen: every unknown stays.
func TestUnknownsStayWithoutSource(t *testing.T) {
	fsys := unsetFS(t)
	delete(fsys, "unset/main.tf")
	delete(fsys, "unset/modules/logs/main.tf")
	g := Load(fsys, "unset/plan.json", Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	if diff := cmp.Diff(unsetAllUnknown, unknowns(g)); diff != "" {
		t.Errorf("unknown (-want +got):\n%s", diff)
	}
}

// Without the plan's configuration, what is written is not known: every
// unknown stays.
func TestUnknownsStayWithoutConfiguration(t *testing.T) {
	fsys := unsetFS(t)
	var p map[string]any
	if err := json.Unmarshal(fsys["unset/plan.json"].Data, &p); err != nil {
		t.Fatal(err)
	}
	delete(p, "configuration")
	data, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	fsys["unset/plan.json"] = &fstest.MapFile{Data: data}
	g := Load(fsys, "unset/plan.json", Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	if diff := cmp.Diff(unsetAllUnknown, unknowns(g)); diff != "" {
		t.Errorf("unknown (-want +got):\n%s", diff)
	}
}

// A module whose files do not all parse may hide a dynamic block: its
// resources keep their unknowns; the other modules' do not.
func TestUnknownsStayWhenTheSourceDoesNotParse(t *testing.T) {
	fsys := unsetFS(t)
	fsys["unset/broken.tf"] = &fstest.MapFile{Data: []byte("resource \"aws_s3_bucket\" \"x\" {\n")}
	g := Load(fsys, "unset/plan.json", Options{})
	got := unknowns(g)
	if got[`aws_s3_bucket.plain`] != unsetAllUnknown[`aws_s3_bucket.plain`] {
		t.Errorf("plain: %s", got[`aws_s3_bucket.plain`])
	}
	if got[`module.logs[0].aws_s3_bucket.b`] != `{"tags":true}` {
		t.Errorf("module.logs[0].aws_s3_bucket.b: %s", got[`module.logs[0].aws_s3_bucket.b`])
	}
}

// A JSON configuration's dynamic blocks count as they do in HCL; a
// meta-argument name never leaves unknown.
func TestDynamicBlocksOfJSONSource(t *testing.T) {
	plan := `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "aws_s3_bucket.dyn", "mode": "managed", "type": "aws_s3_bucket", "name": "dyn",
      "change": {"actions": ["create"], "after": {"bucket": "dyn"},
        "after_unknown": {"connection": true, "id": true, "logging": true, "versioning": true}}}
  ],
  "configuration": {"root_module": {"resources": [
    {"address": "aws_s3_bucket.dyn", "mode": "managed", "type": "aws_s3_bucket", "name": "dyn",
      "expressions": {"bucket": {"constant_value": "dyn"}}}
  ]}}
}`
	src := `{
  "resource": {
    "aws_s3_bucket": {
      "dyn": {
        "bucket": "dyn",
        "dynamic": {
          "versioning": {"for_each": "${var.on ? [1] : []}", "content": {"enabled": true}}
        }
      }
    }
  }
}`
	fsys := fstest.MapFS{
		"p/plan.json":     {Data: []byte(plan)},
		"p/main.tf.json":  {Data: []byte(src)},
		"p/variables.tf":  {Data: []byte("variable \"on\" {\n  type = bool\n}\n")},
		"p/.terraform.rc": {Data: []byte("not configuration")},
	}
	g := Load(fsys, "p/plan.json", Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	if got := jsonOf(resource(t, g, "aws_s3_bucket.dyn").Unknown); got != `{"connection":true,"versioning":true}` {
		t.Errorf("unknown %s", got)
	}
}

// A resource the HCL loader builds from the inputs of a registry module that
// is not installed has no block of its own to look at: its unknowns stay,
// even when the caller declares a resource of the same type and name.
func TestUnknownsStayInUninstalledRegistryModules(t *testing.T) {
	plan := `{
  "format_version": "1.2",
  "resource_changes": [
    {"address": "module.sg.aws_security_group.this_name_prefix[0]", "module_address": "module.sg",
      "mode": "managed", "type": "aws_security_group", "name": "this_name_prefix", "index": 0,
      "change": {"actions": ["create"], "after": {"name_prefix": "x-", "vpc_id": "vpc-1"},
        "after_unknown": {"id": true, "owner_id": true}}}
  ],
  "configuration": {"root_module": {"module_calls": {"sg": {"source": "terraform-aws-modules/security-group/aws",
    "module": {"resources": [
      {"address": "aws_security_group.this_name_prefix", "mode": "managed", "type": "aws_security_group", "name": "this_name_prefix",
        "expressions": {"name_prefix": {"references": ["var.name"]}, "vpc_id": {"references": ["var.vpc_id"]}}}
    ]}}}}}
}`
	src := `module "sg" {
  source = "terraform-aws-modules/security-group/aws"
  name   = "x"
  vpc_id = "vpc-1"
}

resource "aws_security_group" "this_name_prefix" {
  name = "y"
}
`
	fsys := fstest.MapFS{
		"p/plan.json": {Data: []byte(plan)},
		"p/main.tf":   {Data: []byte(src)},
	}
	g := Load(fsys, "p/plan.json", Options{})
	r := resource(t, g, "module.sg.aws_security_group.this_name_prefix[0]")
	if !strings.HasPrefix(r.Range.File, "p/main.tf") {
		t.Fatalf("located at %s: not the registry module's resource", rs(r.Range))
	}
	if got := jsonOf(r.Unknown); got != `{"id":true,"owner_id":true}` {
		t.Errorf("unknown %s", got)
	}
}
