package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/terraform"
)

const fullPlan = "plans/full.tfplan.json"

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return "error: " + err.Error()
	}
	return string(b)
}

// rs formats a range as file:line:col-line:col.
func rs(r graph.Range) string {
	return fmt.Sprintf("%s:%d:%d-%d:%d", r.File, r.Start.Line, r.Start.Column, r.End.Line, r.End.Column)
}

// text is the source text a range covers, read through its byte offsets.
func text(t *testing.T, g *graph.Graph, r graph.Range) string {
	t.Helper()
	src, ok := g.Sources[r.File]
	if !ok {
		t.Fatalf("no source for %s", r.File)
	}
	return string(src[r.Start.Byte:r.End.Byte])
}

func resource(t *testing.T, g *graph.Graph, addr string) *graph.Resource {
	t.Helper()
	r := g.Resource(addr)
	if r == nil {
		t.Fatalf("no resource %s; have %v; diagnostics %v", addr, addresses(g), g.Diagnostics)
	}
	return r
}

func addresses(g *graph.Graph) []string {
	var out []string
	for _, r := range g.Resources {
		out = append(out, r.Address)
	}
	return out
}

// refs lists a graph's edges as "source: attribute -> target.attribute".
func refs(g *graph.Graph) []string {
	var out []string
	for _, r := range g.Resources {
		for _, ref := range r.Refs {
			out = append(out, fmt.Sprintf("%s: %s -> %s.%s", r.Address, ref.Attribute, ref.Target, ref.TargetAttribute))
		}
	}
	return out
}

func loadFixture(t *testing.T, opts Options) *graph.Graph {
	t.Helper()
	return Load(os.DirFS("testdata"), fullPlan, opts)
}

// The resources of the fixture plan and their values, the same whichever
// way locations are found; unknown is without the source (with it, see
// fullUnknownWithSource).
var fullWant = []struct {
	addr, mode, typ, name, module, values, unknown, sensitive, meta string
}{
	{`aws_cloudwatch_log_group.app`, "managed", "aws_cloudwatch_log_group", "app", "",
		`{"id":"app","name":"app","retention_in_days":30,"tags":{"Owner":"Zoë"}}`, `{}`, `{}`,
		`{"actions":["no-op"]}`},
	{`aws_db_instance.db`, "managed", "aws_db_instance", "db", "",
		`{"allocated_storage":20,"engine":"postgres","instance_class":"db.t3.micro","password":"hunter2","storage_encrypted":false,"username":"admin"}`,
		`{"endpoint":true,"id":true}`, `{"password":true}`,
		`{"actions":["delete","create"]}`},
	{`aws_instance.app[0]`, "managed", "aws_instance", "app", "",
		`{"ami":"ami-123","instance_type":"t3.micro","tags":{"Name":"app-0"},"user_data_replace_on_change":false}`,
		`{"arn":true,"id":true,"private_ip":true,"vpc_security_group_ids":true}`, `{}`,
		`{"actions":["create"],"expansion":"count"}`},
	{`aws_instance.app[1]`, "managed", "aws_instance", "app", "",
		`{"ami":"ami-123","instance_type":"t3.micro","tags":{"Name":"app-1"},"user_data_replace_on_change":false}`,
		`{"arn":true,"id":true,"private_ip":true,"vpc_security_group_ids":true}`, `{}`,
		`{"actions":["create"],"expansion":"count"}`},
	{`aws_s3_bucket.logs["a"]`, "managed", "aws_s3_bucket", "logs", "",
		`{"bucket":"logs-a","force_destroy":false,"tags":{}}`,
		`{"arn":true,"id":true,"tags":{"Instances":true},"tags_all":true}`, `{}`,
		`{"actions":["create"],"expansion":"for_each"}`},
	{`aws_security_group.web`, "managed", "aws_security_group", "web", "",
		`{"description":"Managed by Terraform","ingress":[` +
			`{"cidr_blocks":["0.0.0.0/0"],"description":"https","from_port":443,"ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","security_groups":[],"self":false,"to_port":443},` +
			`{"cidr_blocks":["10.0.0.0/16"],"description":"","from_port":22,"ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","security_groups":[],"self":false,"to_port":22}` +
			`],"name":"web","revoke_rules_on_delete":false,"vpc_id":"vpc-0abc"}`,
		`{"arn":true,"egress":true,"id":true,"name_prefix":true,"owner_id":true,"tags_all":true}`, `{}`,
		`{"actions":["create"]}`},
	{`aws_security_group_rule.ssh`, "managed", "aws_security_group_rule", "ssh", "",
		`{"cidr_blocks":["10.0.0.0/8"],"from_port":22,"protocol":"tcp","self":false,"to_port":22,"type":"ingress"}`,
		`{"id":true,"security_group_id":true,"security_group_rule_id":true,"source_security_group_id":true}`, `{}`,
		`{"actions":["create"]}`},
	{`aws_vpc_security_group_ingress_rule.from_net`, "managed", "aws_vpc_security_group_ingress_rule", "from_net", "",
		`{"from_port":443,"ip_protocol":"tcp","to_port":443}`,
		`{"arn":true,"id":true,"referenced_security_group_id":true,"security_group_id":true,"security_group_rule_id":true,"tags_all":true}`, `{}`,
		`{"actions":["create"]}`},
	// Read during apply: in resource_changes. The unknown list element is
	// null in values and true in unknown.
	{`data.aws_iam_policy_document.bucket`, "data", "aws_iam_policy_document", "bucket", "",
		`{"statement":[{"actions":["s3:GetObject"],"condition":[],"effect":"Allow","not_principals":[],"principals":[],"resources":[null]}]}`,
		`{"id":true,"json":true,"minified_json":true,"statement":[{"resources":[true]}]}`, `{}`,
		`{"actions":["read"]}`},
	// Read while planning: only in prior_state.
	{`data.aws_vpc.main`, "data", "aws_vpc", "main", "",
		`{"cidr_block":"10.0.0.0/16","default":true,"id":"vpc-0abc","tags":{}}`, `{}`, `{}`, `{}`},
	{`module.net.aws_eip.nat`, "managed", "aws_eip", "nat", "module.net",
		`{"domain":"vpc"}`, `{"id":true,"public_ip":true}`, `{}`, `{"actions":["create"]}`},
	{`module.net.aws_security_group.x`, "managed", "aws_security_group", "x", "module.net",
		`{"ingress":[{"cidr_blocks":["0.0.0.0/0"],"description":"","from_port":80,"ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","security_groups":[],"self":false,"to_port":80}],"name":"net-x","vpc_id":"vpc-0abc"}`,
		`{"id":true}`, `{}`, `{"actions":["create"]}`},
	{`module.net.aws_security_group_rule.egress`, "managed", "aws_security_group_rule", "egress", "module.net",
		`{"cidr_blocks":["10.0.0.0/8",null],"from_port":0,"protocol":"-1","to_port":0,"type":"egress"}`,
		`{"cidr_blocks":[false,true],"id":true,"security_group_id":true}`, `{}`, `{"actions":["create"]}`},
}

// fullUnknownWithSource is the unknown of the resources whose unknowns
// differ when the Terraform source is available: the attributes that their
// configuration does not write are not set, not unknown (see unset.go).
// Written ones stay unknown (vpc_security_group_ids, the tags element), as
// do the data source's.
var fullUnknownWithSource = map[string]string{
	`aws_db_instance.db`:                           `{}`,
	`aws_instance.app[0]`:                          `{"vpc_security_group_ids":true}`,
	`aws_instance.app[1]`:                          `{"vpc_security_group_ids":true}`,
	`aws_s3_bucket.logs["a"]`:                      `{"tags":{"Instances":true}}`,
	`aws_security_group.web`:                       `{}`,
	`aws_security_group_rule.ssh`:                  `{"security_group_id":true}`,
	`aws_vpc_security_group_ingress_rule.from_net`: `{"referenced_security_group_id":true,"security_group_id":true}`,
	`module.net.aws_eip.nat`:                       `{}`,
	`module.net.aws_security_group.x`:              `{}`,
	`module.net.aws_security_group_rule.egress`:    `{"cidr_blocks":[false,true],"security_group_id":true}`,
}

var fullRefs = []string{
	`aws_instance.app[0]: vpc_security_group_ids -> aws_security_group.web.id`,
	`aws_instance.app[1]: vpc_security_group_ids -> aws_security_group.web.id`,
	// A reference without instance key (a splat) links every instance.
	`aws_s3_bucket.logs["a"]: tags -> aws_instance.app[0].`,
	`aws_s3_bucket.logs["a"]: tags -> aws_instance.app[1].`,
	// Nested blocks: ingress.1 is the second ingress block.
	`aws_security_group.web: ingress.1.cidr_blocks -> data.aws_vpc.main.cidr_block`,
	`aws_security_group.web: vpc_id -> data.aws_vpc.main.id`,
	`aws_security_group_rule.ssh: security_group_id -> aws_security_group.web.id`,
	// Through the module's output sg_id.
	`aws_vpc_security_group_ingress_rule.from_net: referenced_security_group_id -> module.net.aws_security_group.x.id`,
	`aws_vpc_security_group_ingress_rule.from_net: security_group_id -> aws_security_group.web.id`,
	// A reference with an instance key links that instance only.
	`data.aws_iam_policy_document.bucket: statement.0.resources -> aws_s3_bucket.logs["a"].arn`,
	// Through the module argument vpc_id.
	`module.net.aws_security_group.x: vpc_id -> data.aws_vpc.main.id`,
	`module.net.aws_security_group_rule.egress: cidr_blocks -> module.net.aws_eip.nat.public_ip`,
	`module.net.aws_security_group_rule.egress: security_group_id -> module.net.aws_security_group.x.id`,
}

func checkFull(t *testing.T, g *graph.Graph, withSource bool) {
	t.Helper()
	if g.Format != graph.FormatTerraformPlan || g.Root != fullPlan {
		t.Errorf("format %q root %q", g.Format, g.Root)
	}
	var wantAddrs []string
	for _, w := range fullWant {
		wantAddrs = append(wantAddrs, w.addr)
	}
	// aws_security_group.old is deleted; data.aws_ami.retired is in the
	// prior state but no longer in the configuration.
	if diff := cmp.Diff(wantAddrs, addresses(g)); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s", diff)
	}
	for _, w := range fullWant {
		r := resource(t, g, w.addr)
		got := []string{r.Mode, r.Type, r.Name, r.Module, r.Provider, string(r.Format),
			jsonOf(r.Values), jsonOf(r.Unknown), jsonOf(r.Sensitive), jsonOf(r.Meta)}
		unknown := w.unknown
		if u, ok := fullUnknownWithSource[w.addr]; ok && withSource {
			unknown = u
		}
		want := []string{w.mode, w.typ, w.name, w.module, "aws", string(graph.FormatTerraformPlan),
			w.values, unknown, w.sensitive, w.meta}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", w.addr, diff)
		}
	}
	if diff := cmp.Diff(fullRefs, refs(g)); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
	var back []string
	for _, ref := range resource(t, g, "aws_security_group.web").ReferencedBy {
		back = append(back, ref.Target+" "+ref.Attribute)
	}
	wantBack := []string{ // sorted by attribute, then source
		"aws_security_group_rule.ssh security_group_id",
		"aws_vpc_security_group_ingress_rule.from_net security_group_id",
		"aws_instance.app[0] vpc_security_group_ids",
		"aws_instance.app[1] vpc_security_group_ids",
	}
	if diff := cmp.Diff(wantBack, back); diff != "" {
		t.Errorf("referenced_by (-want +got):\n%s", diff)
	}
	// Numbers are json.Number, as in the HCL loader.
	if _, ok := resource(t, g, "aws_security_group_rule.ssh").Values["from_port"].(json.Number); !ok {
		t.Errorf("from_port is %T, want json.Number", resource(t, g, "aws_security_group_rule.ssh").Values["from_port"])
	}
}

func TestLoadWithoutSourcePointsIntoThePlan(t *testing.T) {
	g := loadFixture(t, Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	checkFull(t, g, false)
	if diff := cmp.Diff([]string{fullPlan}, g.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if len(g.Sources) != 1 || len(g.Sources[fullPlan]) == 0 {
		t.Errorf("sources: %d files", len(g.Sources))
	}

	// Each resource is its object in resource_changes (prior_state for a
	// data source read while planning).
	wantRanges := map[string]string{
		`aws_cloudwatch_log_group.app`:                 "390:5-426:6",
		`aws_db_instance.db`:                           "345:5-389:6",
		`aws_instance.app[0]`:                          "175:5-207:6",
		`aws_instance.app[1]`:                          "208:5-240:6",
		`aws_s3_bucket.logs["a"]`:                      "241:5-273:6",
		`aws_security_group.web`:                       "35:5-132:6",
		`aws_security_group_rule.ssh`:                  "133:5-174:6",
		`aws_vpc_security_group_ingress_rule.from_net`: "580:5-610:6",
		`data.aws_iam_policy_document.bucket`:          "274:5-344:6",
		`data.aws_vpc.main`:                            "618:11-635:12",
		`module.net.aws_eip.nat`:                       "517:5-540:6",
		`module.net.aws_security_group.x`:              "458:5-516:6",
		`module.net.aws_security_group_rule.egress`:    "541:5-579:6",
	}
	got := map[string]string{}
	for _, r := range g.Resources {
		got[r.Address] = strings.TrimPrefix(rs(r.Range), fullPlan+":")
		if r.Ranges[""] != r.Range {
			t.Errorf("%s: Ranges[\"\"] = %v, want the resource range", r.Address, r.Ranges[""])
		}
		if s := text(t, g, r.Range); !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") ||
			!strings.Contains(s, `"address": "`+strings.ReplaceAll(r.Address, `"`, `\"`)+`"`) {
			t.Errorf("%s: range covers %.60q…", r.Address, s)
		}
	}
	if diff := cmp.Diff(wantRanges, got); diff != "" {
		t.Errorf("resource ranges (-want +got):\n%s", diff)
	}

	// Attributes point at their values in change.after; unknown ones at
	// their entry in after_unknown.
	attrs := []struct{ addr, path, rng, text string }{
		{`aws_security_group.web`, "ingress.0.cidr_blocks.0", "51:17-51:28", `"0.0.0.0/0"`},
		{`aws_security_group.web`, "ingress.1", "62:13-74:14", ""},
		{`aws_security_group.web`, "vpc_id", "80:21-80:31", `"vpc-0abc"`},
		{`aws_security_group_rule.ssh`, "security_group_id", "163:32-163:36", `true`},
		{`aws_security_group_rule.ssh`, "description", "148:26-148:30", `null`},
		// Columns count code points: "Zoë" is 5 code points, 6 bytes.
		{`aws_cloudwatch_log_group.app`, "tags.Owner", "415:22-415:27", `"Zoë"`},
		{`module.net.aws_security_group_rule.egress`, "cidr_blocks.1", "556:13-556:17", `null`},
		{`data.aws_vpc.main`, "cidr_block", "626:29-626:42", `"10.0.0.0/16"`},
	}
	for _, a := range attrs {
		r := resource(t, g, a.addr)
		rg, ok := r.Ranges[a.path]
		if !ok {
			t.Errorf("%s: no range for %s", a.addr, a.path)
			continue
		}
		if got := strings.TrimPrefix(rs(rg), fullPlan+":"); got != a.rng {
			t.Errorf("%s %s: range %s, want %s", a.addr, a.path, got, a.rng)
		}
		if a.text != "" && text(t, g, rg) != a.text {
			t.Errorf("%s %s: covers %q, want %q", a.addr, a.path, text(t, g, rg), a.text)
		}
	}
	if rg := resource(t, g, `aws_cloudwatch_log_group.app`).Ranges["tags.Owner"]; rg.End.Byte-rg.Start.Byte != 6 {
		t.Errorf("tags.Owner bytes %d-%d", rg.Start.Byte, rg.End.Byte)
	}

	// A reference is located at the referring attribute.
	ssh := resource(t, g, "aws_security_group_rule.ssh")
	if got := strings.TrimPrefix(rs(ssh.Refs[0].Range), fullPlan+":"); got != "163:32-163:36" {
		t.Errorf("ssh ref range %s", got)
	}
}

func TestLoadWithSourceDirPointsIntoTheConfiguration(t *testing.T) {
	g := loadFixture(t, Options{SourceDir: "src"})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	checkFull(t, g, true)
	wantFiles := []string{fullPlan, "src/main.tf", "src/modules/net/main.tf"}
	if diff := cmp.Diff(wantFiles, g.Files); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	for _, f := range wantFiles {
		if len(g.Sources[f]) == 0 {
			t.Errorf("no source for %s", f)
		}
	}
	// Each resource points at its block header; count and for_each
	// instances at their shared block; module resources into the module.
	wantRanges := map[string]string{
		`aws_cloudwatch_log_group.app`:                 "src/main.tf:72:1-72:42",
		`aws_db_instance.db`:                           "src/main.tf:64:1-64:32",
		`aws_instance.app[0]`:                          "src/main.tf:39:1-39:30",
		`aws_instance.app[1]`:                          "src/main.tf:39:1-39:30",
		`aws_s3_bucket.logs["a"]`:                      "src/main.tf:49:1-49:32",
		`aws_security_group.web`:                       "src/main.tf:10:1-10:36",
		`aws_security_group_rule.ssh`:                  "src/main.tf:30:1-30:41",
		`aws_vpc_security_group_ingress_rule.from_net`: "src/main.tf:85:1-85:58",
		`data.aws_iam_policy_document.bucket`:          "src/main.tf:57:1-57:40",
		`data.aws_vpc.main`:                            "src/main.tf:6:1-6:22",
		`module.net.aws_eip.nat`:                       "src/modules/net/main.tf:17:1-17:25",
		`module.net.aws_security_group.x`:              "src/modules/net/main.tf:5:1-5:34",
		`module.net.aws_security_group_rule.egress`:    "src/modules/net/main.tf:21:1-21:44",
	}
	got := map[string]string{}
	for _, r := range g.Resources {
		got[r.Address] = rs(r.Range)
	}
	if diff := cmp.Diff(wantRanges, got); diff != "" {
		t.Errorf("resource ranges (-want +got):\n%s", diff)
	}
	if s := text(t, g, resource(t, g, "aws_security_group.web").Range); s != `resource "aws_security_group" "web"` {
		t.Errorf("web covers %q", s)
	}

	attrs := []struct{ addr, path, rng, text string }{
		{`aws_security_group.web`, "ingress.0.cidr_blocks.0", "src/main.tf:19:20-19:31", `"0.0.0.0/0"`},
		{`aws_security_group.web`, "ingress.1.cidr_blocks", "src/main.tf:26:19-26:49", `[data.aws_vpc.main.cidr_block]`},
		{`aws_security_group_rule.ssh`, "security_group_id", "src/main.tf:36:23-36:48", `aws_security_group.web.id`},
		{`aws_cloudwatch_log_group.app`, "tags.Owner", "src/main.tf:76:13-76:18", `"Zoë"`},
		{`module.net.aws_security_group_rule.egress`, "cidr_blocks.1", "src/modules/net/main.tf:26:38-26:67", `"${aws_eip.nat.public_ip}/32"`},
	}
	for _, a := range attrs {
		rg, _ := resource(t, g, a.addr).Lookup(a.path)
		if rs(rg) != a.rng || text(t, g, rg) != a.text {
			t.Errorf("%s %s: %s %q, want %s %q", a.addr, a.path, rs(rg), text(t, g, rg), a.rng, a.text)
		}
	}
	// An attribute that only the provider sets falls back to its block.
	if rg, p := resource(t, g, "aws_security_group.web").Lookup("ingress.0.ipv6_cidr_blocks"); p != "ingress.0" || rs(rg) != "src/main.tf:14:3-14:10" {
		t.Errorf("provider default: %s at %s", p, rs(rg))
	}

	// References are located where they are written (for a value passed
	// into a module, at the variable inside it, as the HCL loader does).
	refRanges := []struct{ addr, attr, rng, text string }{
		{"aws_security_group_rule.ssh", "security_group_id", "src/main.tf:36:23-36:48", "aws_security_group.web.id"},
		{"aws_security_group.web", "ingress.1.cidr_blocks", "src/main.tf:26:20-26:48", "data.aws_vpc.main.cidr_block"},
		{"aws_vpc_security_group_ingress_rule.from_net", "security_group_id", "src/main.tf:86:34-86:59", "aws_security_group.web.id"},
		{"aws_vpc_security_group_ingress_rule.from_net", "referenced_security_group_id", "src/main.tf:87:34-87:50", "module.net.sg_id"},
		{"module.net.aws_security_group_rule.egress", "cidr_blocks", "src/modules/net/main.tf:26:41-26:62", "aws_eip.nat.public_ip"},
		{"module.net.aws_security_group.x", "vpc_id", "src/modules/net/main.tf:7:12-7:22", "var.vpc_id"},
		{"data.aws_iam_policy_document.bucket", "statement.0.resources", "src/main.tf:60:21-60:48", `aws_s3_bucket.logs["a"].arn`},
	}
	for _, want := range refRanges {
		found := false
		for _, ref := range resource(t, g, want.addr).Refs {
			if ref.Attribute == want.attr {
				found = true
				if rs(ref.Range) != want.rng || text(t, g, ref.Range) != want.text {
					t.Errorf("%s %s: ref at %s %q, want %s %q", want.addr, want.attr, rs(ref.Range), text(t, g, ref.Range), want.rng, want.text)
				}
			}
		}
		if !found {
			t.Errorf("%s %s: no ref", want.addr, want.attr)
		}
	}

	// A module resource keeps the module call that leads to it, so a
	// finding can be reported where the module is called.
	x := resource(t, g, "module.net.aws_security_group.x")
	if len(x.Callers) != 1 || x.Callers[0].Kind != graph.OriginModuleCall || rs(x.Callers[0].Range) != "src/main.tf:80:1-80:13" {
		t.Errorf("callers: %+v", x.Callers)
	}
}

// The plan's own directory is the source when it holds Terraform files.
func TestLoadFindsSourceBesideThePlan(t *testing.T) {
	fsys := fstest.MapFS{}
	for _, f := range []string{"src/main.tf", "src/modules/net/main.tf", fullPlan} {
		data, err := os.ReadFile(path.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		name := strings.Replace(f, "src/", "infra/", 1)
		if f == fullPlan {
			name = "infra/plan.json"
		}
		fsys[name] = &fstest.MapFile{Data: data}
	}
	g := Load(fsys, "infra/plan.json", Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	if got := rs(resource(t, g, "aws_security_group.web").Range); got != "infra/main.tf:10:1-10:36" {
		t.Errorf("web at %s", got)
	}
	if got := rs(resource(t, g, "module.net.aws_eip.nat").Range); got != "infra/modules/net/main.tf:17:1-17:25" {
		t.Errorf("nat at %s", got)
	}
}

// The plan and the HCL loader give the same shapes for the same
// configuration: same edges, same values where the provider adds nothing,
// unknown list elements the same way.
func TestSameShapeAsTheHCLLoader(t *testing.T) {
	fsys := os.DirFS("testdata")
	pg := Load(fsys, fullPlan, Options{})
	hg := terraform.LoadModule(fsys, "src", terraform.Options{})
	if diff := cmp.Diff(refs(hg), refs(pg)); diff != "" {
		t.Errorf("refs (-hcl +plan):\n%s", diff)
	}
	// The plan knows more than the configuration (provider defaults,
	// computed attributes), but what the configuration sets has the same
	// shape: here every value and unknown of the HCL loader is in the plan
	// as is, including the unknown list element (null, and true at its
	// index in unknown).
	addr := "module.net.aws_security_group_rule.egress"
	h, p := resource(t, hg, addr), resource(t, pg, addr)
	for k, v := range h.Values {
		if jsonOf(p.Values[k]) != jsonOf(v) {
			t.Errorf("%s values.%s: plan %s, hcl %s", addr, k, jsonOf(p.Values[k]), jsonOf(v))
		}
	}
	for k, v := range h.Unknown {
		if jsonOf(p.Unknown[k]) != jsonOf(v) {
			t.Errorf("%s unknown.%s: plan %s, hcl %s", addr, k, jsonOf(p.Unknown[k]), jsonOf(v))
		}
	}
	if jsonOf(p.Unknown["cidr_blocks"]) != `[false,true]` {
		t.Errorf("unknown.cidr_blocks %s", jsonOf(p.Unknown["cidr_blocks"]))
	}
	h = resource(t, hg, "data.aws_iam_policy_document.bucket")
	p = resource(t, pg, "data.aws_iam_policy_document.bucket")
	hs := h.Values["statement"].([]any)[0].(map[string]any)["resources"]
	ps := p.Values["statement"].([]any)[0].(map[string]any)["resources"]
	if jsonOf(hs) != `[null]` || jsonOf(ps) != jsonOf(hs) {
		t.Errorf("statement.0.resources: plan %s, hcl %s", jsonOf(ps), jsonOf(hs))
	}
}

func TestStaleOrMissingSource(t *testing.T) {
	plan := `{
  "format_version": "1.2",
  "resource_changes": [
    {
      "address": "aws_s3_bucket.a",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "a",
      "change": {"actions": ["create"], "after": {"bucket": "a"}, "after_unknown": {"id": true}}
    },
    {
      "address": "aws_s3_bucket.gone",
      "mode": "managed",
      "type": "aws_s3_bucket",
      "name": "gone",
      "change": {"actions": ["update"], "after": {"bucket": "g"}, "after_unknown": {}}
    }
  ]
}`
	fsys := fstest.MapFS{
		"p/plan.json": {Data: []byte(plan)},
		"tf/main.tf":  {Data: []byte("resource \"aws_s3_bucket\" \"a\" {\n  bucket = \"a\"\n}\n")},
	}
	g := Load(fsys, "p/plan.json", Options{SourceDir: "tf"})
	if got := rs(resource(t, g, "aws_s3_bucket.a").Range); got != "tf/main.tf:1:1-1:29" {
		t.Errorf("a at %s", got)
	}
	if got := rs(resource(t, g, "aws_s3_bucket.gone").Range); got != "p/plan.json:11:5-17:6" {
		t.Errorf("gone at %s", got)
	}
	want := []string{"tf:0:0: warning: resources of the plan are not declared in the Terraform source tf: " +
		"their locations point into the plan file (is the plan up to date with the source?): aws_s3_bucket.gone"}
	var got []string
	for _, d := range g.Diagnostics {
		got = append(got, d.String())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}

	g = Load(fsys, "p/plan.json", Options{SourceDir: "nowhere"})
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Severity != graph.SeverityWarning ||
		g.Diagnostics[0].Summary != "cannot use the Terraform source directory nowhere" {
		t.Errorf("diagnostics: %v", g.Diagnostics)
	}
	if got := rs(resource(t, g, "aws_s3_bucket.a").Range); got != "p/plan.json:4:5-10:6" {
		t.Errorf("a at %s", got)
	}
}

// diags loads content as a plan and returns its diagnostics as strings.
func diags(t *testing.T, content string) (*graph.Graph, []string) {
	t.Helper()
	g := Load(fstest.MapFS{"plan.json": {Data: []byte(content)}}, "plan.json", Options{})
	var out []string
	for _, d := range g.Diagnostics {
		out = append(out, fmt.Sprintf("%s-%d:%d %s: %s", d.Range, d.Range.End.Line, d.Range.End.Column, d.Severity, d.Summary))
	}
	return g, out
}

func TestUnsupportedFormatVersion(t *testing.T) {
	for _, tc := range []struct{ content, want string }{
		{"{\n  \"format_version\": \"2.0\",\n  \"planned_values\": {}\n}\n",
			`plan.json:2:21-2:26 error: format_version 2.0 is newer than this Portcullis reads (1.x)`},
		{`{"format_version": "10.1", "resource_changes": []}`,
			`plan.json:1:20-1:26 error: format_version 10.1 is newer than this Portcullis reads (1.x)`},
		{`{"format_version": "0.0", "resource_changes": []}`,
			`plan.json:1:20-1:25 error: unsupported plan format version "0.0"`},
		{`{"format_version": "one", "resource_changes": []}`,
			`plan.json:1:20-1:25 error: unsupported plan format version "one"`},
		{`{"format_version": 1, "resource_changes": []}`,
			`plan.json:1:20-1:21 error: not a Terraform plan`},
		{`{"resource_changes": []}`,
			`plan.json:1:1-1:1 error: not a Terraform plan`},
		{`["format_version"]`,
			`plan.json:1:1-1:1 error: not a Terraform plan`},
	} {
		g, got := diags(t, tc.content)
		if diff := cmp.Diff([]string{tc.want}, got); diff != "" {
			t.Errorf("%s: diagnostics (-want +got):\n%s", tc.content, diff)
		}
		if len(g.Resources) != 0 {
			t.Errorf("%s: resources %v", tc.content, addresses(g))
		}
	}
	g, _ := diags(t, `{"format_version": "2.0"}`)
	if d, want := g.Diagnostics[0].Detail, "a new major version of Terraform's plan JSON changes the format incompatibly; update Portcullis"; d != want {
		t.Errorf("detail %q, want %q", d, want)
	}
	g, _ = diags(t, `{"format_version": "0.0"}`)
	if d, want := g.Diagnostics[0].Detail, "Portcullis reads Terraform plan JSON format 0.1 to 1.x, written by Terraform 0.12 and later"; d != want {
		t.Errorf("detail %q, want %q", d, want)
	}
	// Later 1.x versions are read.
	if _, got := diags(t, `{"format_version": "1.9", "resource_changes": []}`); len(got) != 0 {
		t.Errorf("1.9: %v", got)
	}
}

func TestInvalidJSON(t *testing.T) {
	for _, tc := range []struct{ content, want string }{
		// The offending comma is on line 3, column 24 (byte 52).
		{"{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [,]\n}\n",
			`plan.json:3:24-3:24 error: invalid JSON in the plan file`},
		// Columns count code points: é is one column, two bytes.
		{`{"format_version": "é", bad}`,
			`plan.json:1:25-1:25 error: invalid JSON in the plan file`},
		// A truncated file: the end of the input.
		{"{\"format_version\": \"1.2\",\n \"resource_changes\": [",
			`plan.json:2:23-2:23 error: invalid JSON in the plan file`},
		{"", `plan.json:1:1-1:1 error: invalid JSON in the plan file`},
		{"\xff\xfe{\x00", `plan.json:0:0-0:0 error: the plan file is UTF-16 encoded`},
	} {
		g, got := diags(t, tc.content)
		if diff := cmp.Diff([]string{tc.want}, got); diff != "" {
			t.Errorf("%q: diagnostics (-want +got):\n%s", tc.content, diff)
		}
		if len(g.Resources) != 0 {
			t.Errorf("%q: resources %v", tc.content, addresses(g))
		}
	}
	g, _ := diags(t, "{\n  \"format_version\": \"1.2\",\n  \"resource_changes\": [,]\n}\n")
	if d := g.Diagnostics[0]; d.Range.Start.Byte != 52 || d.Detail != "invalid character ',' looking for beginning of value" {
		t.Errorf("diagnostic %+v", d)
	}
}

// A UTF-8 byte order mark (PowerShell writes one) is skipped, and is not a
// column.
func TestByteOrderMark(t *testing.T) {
	content := "\xef\xbb\xbf{\"format_version\": \"1.2\", \"resource_changes\": [{\"address\": \"x_a.b\", \"mode\": \"managed\", \"type\": \"x_a\", \"name\": \"b\", \"change\": {\"actions\": [\"create\"], \"after\": {\"v\": 1}}}]}"
	g, got := diags(t, content)
	if len(got) != 0 {
		t.Fatalf("diagnostics %v", got)
	}
	r := resource(t, g, "x_a.b")
	if got := rs(r.Range); got != "plan.json:1:48-1:169" {
		t.Errorf("range %s", got)
	}
	if jsonOf(r.Values) != `{"v":1}` || r.Provider != "x" {
		t.Errorf("values %s provider %s", jsonOf(r.Values), r.Provider)
	}
	if !IsPlan([]byte(content)) {
		t.Error("IsPlan with a byte order mark")
	}
}

func TestIsPlan(t *testing.T) {
	full, err := os.ReadFile(path.Join("testdata", fullPlan))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, content string
		want          bool
	}{
		{"plan", string(full), true},
		{"planned_values only", `{"format_version": "1.2", "planned_values": {}}`, true},
		{"resource_changes first", `{"resource_changes": [], "x": [1, {"y": null}], "format_version": "1.0"}`, true},
		// Decided as soon as both keys are seen: the rest is not read.
		{"early", `{"format_version": "1.2", "resource_changes": [ broken`, true},
		{"state", `{"format_version": "1.0", "terraform_version": "1.9.5", "values": {"root_module": {}}}`, false},
		{"cloudformation", `{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"B": {"Type": "AWS::S3::Bucket"}}}`, false},
		{"configuration", `{"resource": {"aws_s3_bucket": {"b": {"bucket": "x"}}}}`, false},
		{"package.json", `{"name": "x", "version": "1.0.0", "dependencies": {}}`, false},
		{"number version", `{"format_version": 1, "resource_changes": []}`, false},
		{"array", `[{"format_version": "1.0", "resource_changes": []}]`, false},
		{"nested", `{"plan": {"format_version": "1.0", "resource_changes": []}}`, false},
		{"invalid", `{"format_version": "1.0", `, false},
		{"empty", ``, false},
	} {
		if got := IsPlan([]byte(tc.content)); got != tc.want {
			t.Errorf("%s: IsPlan = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestDetect(t *testing.T) {
	planJSON := []byte(`{"format_version": "1.2", "resource_changes": []}`)
	fsys := fstest.MapFS{
		"a/plan.json":          {Data: planJSON},
		"a/tfplan.json":        {Data: planJSON},
		"a/prod.tfplan.json":   {Data: planJSON},
		"a/export.json":        {Data: planJSON},
		"a/template.json":      {Data: []byte(`{"Resources": {}}`)},
		"a/main.tf.json":       {Data: planJSON},
		"a/broken.tfplan.json": {Data: []byte(`{"format_version": `)},
		"a/other.tfplan.json":  {Data: []byte(`{"Resources": {}}`)},
	}
	for _, tc := range []struct {
		name     string
		explicit bool
		want     bool
	}{
		{"a/plan.json", false, true},
		{"a/tfplan.json", false, true},
		{"a/prod.tfplan.json", false, true},
		{"a/export.json", false, false}, // not a plan's name: not read while walking
		{"a/export.json", true, true},   // named explicitly: its content decides
		{"a/template.json", true, false},
		{"a/main.tf.json", true, false}, // configuration, never a plan
		{"a/other.tfplan.json", false, false},
		{"a/broken.tfplan.json", false, false},
		{"a/broken.tfplan.json", true, true}, // named explicitly: loaded, to report what is wrong
		{"a/missing.json", true, false},
	} {
		if got := Detect(fsys, tc.name, tc.explicit); got != tc.want {
			t.Errorf("Detect(%s, explicit=%v) = %v, want %v", tc.name, tc.explicit, got, tc.want)
		}
	}
}

// Module instances: references stay inside their module instance, follow
// arguments and outputs of for_each modules, and blocks of nesting mode
// single keep their references.
func TestReferencesAcrossModuleInstances(t *testing.T) {
	rc := func(addr, module, typ, name string, index string) string {
		idx := ""
		if index != "" {
			idx = `"index": ` + index + `, `
		}
		mod := ""
		if module != "" {
			mod = `"module_address": ` + jsonOf(module) + `, `
		}
		return `{"address": ` + jsonOf(addr) + `, ` + mod + `"mode": "managed", "type": "` + typ + `", "name": "` + name + `", ` + idx +
			`"provider_name": "registry.terraform.io/hashicorp/aws", "change": {"actions": ["create"], "after": {}, "after_unknown": {"id": true}}}`
	}
	changes := []string{
		rc(`module.net["a"].aws_security_group.x`, `module.net["a"]`, "aws_security_group", "x", ""),
		rc(`module.net["b"].aws_security_group.x`, `module.net["b"]`, "aws_security_group", "x", ""),
		rc(`module.net["a"].aws_security_group_rule.r[0]`, `module.net["a"]`, "aws_security_group_rule", "r", "0"),
		rc(`module.net["a"].aws_security_group_rule.r[1]`, `module.net["a"]`, "aws_security_group_rule", "r", "1"),
		rc(`module.net["b"].aws_security_group_rule.r[0]`, `module.net["b"]`, "aws_security_group_rule", "r", "0"),
		rc(`module.net["a"].module.inner.aws_network_interface.n`, `module.net["a"].module.inner`, "aws_network_interface", "n", ""),
		rc(`aws_lb.front`, ``, "aws_lb", "front", ""),
		rc(`aws_s3_bucket.logs`, ``, "aws_s3_bucket", "logs", ""),
	}
	content := `{"format_version": "1.2", "resource_changes": [` + strings.Join(changes, ",\n") + `],
"configuration": {"root_module": {
  "resources": [
    {"address": "aws_lb.front", "mode": "managed", "type": "aws_lb", "name": "front", "expressions": {
      "security_groups": {"references": ["module.net[\"a\"].sg_id", "module.net[\"a\"]", "module.net"]},
      "access_logs": {"bucket": {"references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]}, "enabled": {"constant_value": true}},
      "subnet_mapping": {"one": {"subnet_id": {"references": ["module.net.subnet_ids", "module.net"]}}},
      "name": {"references": ["local.name"]}}},
    {"address": "aws_s3_bucket.logs", "mode": "managed", "type": "aws_s3_bucket", "name": "logs", "expressions": {}}
  ],
  "module_calls": {"net": {"source": "./net", "for_each_expression": {"constant_value": ["a", "b"]}, "expressions": {}, "module": {
    "outputs": {"sg_id": {"expression": {"references": ["aws_security_group.x.id", "aws_security_group.x"]}}},
    "resources": [
      {"address": "aws_security_group.x", "mode": "managed", "type": "aws_security_group", "name": "x", "expressions": {}},
      {"address": "aws_security_group_rule.r", "mode": "managed", "type": "aws_security_group_rule", "name": "r", "expressions": {
        "security_group_id": {"references": ["aws_security_group.x.id", "aws_security_group.x"]}}}
    ],
    "module_calls": {"inner": {"source": "./inner", "expressions": {
      "sg": {"references": ["aws_security_group.x.id", "aws_security_group.x"]}}, "module": {
      "resources": [{"address": "aws_network_interface.n", "mode": "managed", "type": "aws_network_interface", "name": "n", "expressions": {
        "security_groups": {"references": ["var.sg"]}}}]}}}
  }}}
}}}`
	g, ds := diags(t, content)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	want := []string{
		`aws_lb.front: access_logs.bucket -> aws_s3_bucket.logs.id`,
		`aws_lb.front: security_groups -> module.net["a"].aws_security_group.x.id`,
		`module.net["a"].aws_security_group_rule.r[0]: security_group_id -> module.net["a"].aws_security_group.x.id`,
		`module.net["a"].aws_security_group_rule.r[1]: security_group_id -> module.net["a"].aws_security_group.x.id`,
		`module.net["a"].module.inner.aws_network_interface.n: security_groups -> module.net["a"].aws_security_group.x.id`,
		`module.net["b"].aws_security_group_rule.r[0]: security_group_id -> module.net["b"].aws_security_group.x.id`,
	}
	if diff := cmp.Diff(want, refs(g)); diff != "" {
		t.Errorf("refs (-want +got):\n%s", diff)
	}
	if m := resource(t, g, `module.net["a"].module.inner.aws_network_interface.n`).Module; m != `module.net["a"].module.inner` {
		t.Errorf("module %q", m)
	}
}

// Loading never panics: every truncation of a real plan gives a graph with
// an error diagnostic.
func TestTruncatedPlansNeverPanic(t *testing.T) {
	full, err := os.ReadFile(path.Join("testdata", fullPlan))
	if err != nil {
		t.Fatal(err)
	}
	for n := 0; n < len(full)-2; n += 61 {
		g := Load(fstest.MapFS{"p.json": {Data: full[:n]}}, "p.json", Options{})
		if g == nil {
			t.Fatal("nil graph")
		}
		if len(g.Diagnostics) == 0 || g.Diagnostics[0].Severity != graph.SeverityError {
			t.Fatalf("truncated at %d: diagnostics %v", n, g.Diagnostics)
		}
		for _, d := range g.Diagnostics {
			if strings.Contains(d.Summary, "internal error") {
				t.Fatalf("truncated at %d: %v", n, d)
			}
		}
	}
}

func TestMissingFile(t *testing.T) {
	g := Load(fstest.MapFS{}, "nope/plan.json", Options{})
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].String() != "nope/plan.json:0:0: error: cannot read the plan file: file does not exist" {
		t.Errorf("diagnostics %v", g.Diagnostics)
	}
}

func TestValueNormalisation(t *testing.T) {
	after := map[string]any{
		"a": nil,
		"b": map[string]any{"c": nil, "d": "x", "e": []any{nil, "y", map[string]any{"f": nil}}},
		"n": json.Number("1.50"),
	}
	if got := jsonOf(knownValues(after)); got != `{"b":{"d":"x","e":[null,"y",{}]},"n":1.50}` {
		t.Errorf("values %s", got)
	}
	if got := jsonOf(knownValues(nil)); got != `{}` {
		t.Errorf("null after: %s", got)
	}
	flagsIn := map[string]any{
		"a": false,
		"b": true,
		"c": map[string]any{"d": false, "e": map[string]any{}},
		"f": []any{false, false},
		"g": []any{false, map[string]any{"h": true}, []any{}},
		"i": []any{},
	}
	if got := jsonOf(flags(flagsIn)); got != `{"b":true,"g":[false,{"h":true},false]}` {
		t.Errorf("flags %s", got)
	}
	if got := jsonOf(flags(true)); got != `{}` {
		t.Errorf("flags(true) %s", got)
	}
}

func TestReferenceParsing(t *testing.T) {
	for _, tc := range []struct {
		ref  string
		want string
	}{
		{"aws_security_group.x.id", "aws_security_group.x||id"},
		{"aws_security_group.x", "aws_security_group.x||"},
		{"aws_instance.app[0].arn", "aws_instance.app|[0]|arn"},
		{`aws_s3_bucket.logs["a.b]"].arn`, `aws_s3_bucket.logs|["a.b]"]|arn`},
		{"aws_instance.app[*].id", "aws_instance.app||id"},
		{"data.aws_vpc.main.cidr_block", "data.aws_vpc.main||cidr_block"},
		{"data.aws_vpc.main", "data.aws_vpc.main||"},
		{"aws_x.y.ingress[0].cidr_blocks", "aws_x.y||ingress"},
		{"var.x", "-"},
		{"local.x", "-"},
		{"each.key", "-"},
		{"count.index", "-"},
		{"self.id", "-"},
		{"module.net.sg_id", "-"},
		{"path.module", "-"},
		{"data.aws_vpc", "-"},
		{"aws_x", "-"},
		{"aws_x..y", "-"},
		{`aws_x.y["a`, "-"},
	} {
		r, ok := resolveRef(tc.ref)
		got := "-"
		if ok {
			got = r.rel + "|" + r.key + "|" + r.attr
		}
		if got != tc.want {
			t.Errorf("resolveRef(%s) = %s, want %s", tc.ref, got, tc.want)
		}
	}
	got := significant([]string{`aws_x.y[0].id`, `aws_x.y[0]`, `aws_x.y`, `aws_xy`, `var.v`, `aws_x.yz`})
	if diff := cmp.Diff([]string{`aws_x.y[0].id`, `aws_xy`, `var.v`, `aws_x.yz`}, got); diff != "" {
		t.Errorf("significant (-want +got):\n%s", diff)
	}
	for in, want := range map[string]string{
		`module.a["x.y"].module.b[0].aws_x.y[1]`: `module.a.module.b.aws_x.y`,
		`aws_x.y`:                                `aws_x.y`,
	} {
		if got := withoutKeys(in); got != want {
			t.Errorf("withoutKeys(%s) = %s", in, got)
		}
	}
	for in, want := range map[string]string{
		`module.a[0].aws_x.y["k"]`: `module.a[0].aws_x.y`,
		`module.a[0].aws_x.y`:      `module.a[0].aws_x.y`,
		`aws_x.y[*]`:               `aws_x.y`,
	} {
		if got := withoutLastKey(in); got != want {
			t.Errorf("withoutLastKey(%s) = %s", in, got)
		}
	}
	for in, want := range map[string]string{
		`module.a["k"].module.b[0]`: `module.a["k"] b`,
		`module.module`:             ` module`,
		`module.a`:                  ` a`,
		``:                          ` `,
	} {
		p, c := parentModule(in)
		if got := p + " " + c; got != want {
			t.Errorf("parentModule(%s) = %q, want %q", in, got, want)
		}
	}
}

func TestProviderName(t *testing.T) {
	for in, want := range map[[2]string]string{
		{"registry.terraform.io/hashicorp/aws", "aws_s3_bucket"}:            "aws",
		{"registry.terraform.io/hashicorp/google-beta", "google_compute_x"}: "google-beta",
		{"", "azurerm_storage_account"}:                                     "azurerm",
		{"provider.aws", "aws_s3_bucket"}:                                   "aws",
	} {
		if got := providerName(in[0], in[1]); got != want {
			t.Errorf("providerName(%v) = %s, want %s", in, got, want)
		}
	}
}

// terraform show -json writes one line: the same graph, with columns on
// line 1.
func TestCompactPlan(t *testing.T) {
	full, err := os.ReadFile(path.Join("testdata", fullPlan))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, full); err != nil {
		t.Fatal(err)
	}
	g := Load(fstest.MapFS{"plan.json": {Data: buf.Bytes()}}, "plan.json", Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics)
	}
	pretty := loadFixture(t, Options{})
	if diff := cmp.Diff(refs(pretty), refs(g)); diff != "" {
		t.Errorf("refs (-pretty +compact):\n%s", diff)
	}
	for _, r := range g.Resources {
		p := resource(t, pretty, r.Address)
		if jsonOf(r.Values) != jsonOf(p.Values) || jsonOf(r.Unknown) != jsonOf(p.Unknown) || jsonOf(r.Sensitive) != jsonOf(p.Sensitive) {
			t.Errorf("%s differs", r.Address)
		}
		if r.Range.Start.Line != 1 || r.Range.End.Line != 1 || !strings.HasPrefix(text(t, g, r.Range), `{"address":`) {
			t.Errorf("%s at %s", r.Address, rs(r.Range))
		}
	}
	// This "Zoë" comes after two others on the line (in planned_values and
	// in change.before): each ë is two bytes and one column, so the column
	// is the byte offset + 1 - 2.
	rg := resource(t, g, "aws_cloudwatch_log_group.app").Ranges["tags.Owner"]
	if text(t, g, rg) != `"Zoë"` || rg.Start.Column != rg.Start.Byte-1 || rg.End.Column != rg.Start.Column+5 {
		t.Errorf("tags.Owner at %s bytes %d-%d", rs(rg), rg.Start.Byte, rg.End.Byte)
	}
}

// Data sources of child modules in the prior state; odd entries are
// skipped; numbers of the prior state stay exact.
func TestPriorStateChildModulesAndOddEntries(t *testing.T) {
	content := `{"format_version": "1.2",
"resource_changes": [null, {"address": "x_a.b", "mode": "managed", "type": "x_a", "name": "b",
  "change": {"actions": ["create"], "after": {"v": [1, {"w": 2}], "z": null}, "after_unknown": {"u": true}}}],
"prior_state": {"format_version": "1.0", "values": {"root_module": {"child_modules": [
  {"address": "module.m", "resources": [{"address": "module.m.data.x_d.e", "mode": "data", "type": "x_d", "name": "e",
    "values": {"n": 1.50000000000000000001, "l": [{"k": null}]}, "sensitive_values": {"l": [{"k": true}]}}]}]}}}}`
	g, ds := diags(t, content)
	if len(ds) != 0 {
		t.Fatalf("diagnostics: %v", ds)
	}
	if diff := cmp.Diff([]string{"module.m.data.x_d.e", "x_a.b"}, addresses(g)); diff != "" {
		t.Fatalf("addresses (-want +got):\n%s", diff)
	}
	e := resource(t, g, "module.m.data.x_d.e")
	if e.Module != "module.m" || e.Mode != "data" || jsonOf(e.Values) != `{"l":[{}],"n":1.50000000000000000001}` || jsonOf(e.Sensitive) != `{"l":[{"k":true}]}` {
		t.Errorf("e: module %q mode %q values %s sensitive %s", e.Module, e.Mode, jsonOf(e.Values), jsonOf(e.Sensitive))
	}
	if s := text(t, g, e.Range); !strings.HasPrefix(s, `{"address": "module.m.data.x_d.e"`) {
		t.Errorf("e covers %q", s)
	}
	if s := text(t, g, e.Ranges["n"]); s != "1.50000000000000000001" {
		t.Errorf("e.n covers %q", s)
	}
	b := resource(t, g, "x_a.b")
	for p, want := range map[string]string{"v.1.w": "2", "v.1": `{"w": 2}`, "z": "null", "u": "true"} {
		if s := text(t, g, b.Ranges[p]); s != want {
			t.Errorf("b.%s covers %q, want %q", p, s, want)
		}
	}
}
