package terraform

import (
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The tables and models of registry*.go are checked against the modules
// themselves when a copy is at hand (the real-world corpus beside the
// repository): each caller below is loaded twice, with the module
// installed (its code evaluated) and without (understood from its
// inputs), and every resource the model builds must be the one the code
// creates, with the same values, unknown and sensitive parts, and edges.

const registryCorpus = "../../../shared/corpus/terraform"

func corpusModule(t *testing.T, name string) string {
	t.Helper()
	dir := path.Join(registryCorpus, name)
	if _, err := os.Stat(dir); err != nil {
		t.Skip("the corpus copy of the module is not present:", err)
	}
	return dir
}

// installModule copies the .tf files of a module (its root and its
// modules/ presets) into fsys under root/.terraform/modules/<key>.
func installModule(t *testing.T, fsys fstest.MapFS, src, root, key string) {
	t.Helper()
	err := fs.WalkDir(os.DirFS(src), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (p == "examples" || p == "wrappers" || p == "modules/_templates") {
			return fs.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".tf") {
			return nil
		}
		b, err := os.ReadFile(path.Join(src, p))
		if err != nil {
			return err
		}
		fsys[path.Join(root, ".terraform/modules", key, p)] = &fstest.MapFile{Data: b}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// registryTwice loads a caller with the modules installed and without.
func registryTwice(t *testing.T, caller string, manifest string, mods map[string]string) (installed, understood *graph.Graph) {
	t.Helper()
	files := map[string]string{"root/main.tf": caller}
	understood = LoadModule(mapFS(files), "root", Options{})
	withCode := mapFS(files)
	withCode["root/.terraform/modules/modules.json"] = &fstest.MapFile{Data: []byte(manifest)}
	for key, src := range mods {
		installModule(t, withCode, src, "root", key)
	}
	installed = LoadModule(withCode, "root", Options{})
	return installed, understood
}

// compareWithInstalled checks every resource of understood against the
// same address in installed, and that installed has no resource of a
// built kind that understood lacks.
func compareWithInstalled(t *testing.T, installed, understood *graph.Graph, built func(typ, name string) bool) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range understood.Resources {
		seen[r.Address] = true
		in := installed.Resource(r.Address)
		if in == nil {
			t.Errorf("%s: not created by the module's code", r.Address)
			continue
		}
		for _, part := range []struct {
			what       string
			have, want map[string]any
		}{{"values", r.Values, in.Values}, {"unknown", r.Unknown, in.Unknown}, {"sensitive", r.Sensitive, in.Sensitive}} {
			if diff := cmp.Diff(part.want, part.have); diff != "" {
				t.Errorf("%s %s (-code +understood):\n%s", r.Address, part.what, diff)
			}
		}
		if got, want := jsonOf(r.Meta["expansion"]), jsonOf(in.Meta["expansion"]); got != want {
			t.Errorf("%s expansion = %s, the code's %s", r.Address, got, want)
		}
		codeRefs := map[string]bool{}
		for _, ref := range in.Refs {
			codeRefs[ref.Attribute+" -> "+ref.Target] = true
		}
		for _, ref := range r.Refs {
			if !codeRefs[ref.Attribute+" -> "+ref.Target] {
				t.Errorf("%s: edge %s -> %s is not one of the code's %v", r.Address, ref.Attribute, ref.Target, sortedKeys(codeRefs))
			}
		}
	}
	for _, r := range installed.Resources {
		if r.Mode == "managed" && built(r.Type, r.Name) && !seen[r.Address] {
			t.Errorf("%s: created by the module's code, not built from its inputs", r.Address)
		}
	}
}

func TestRegistrySecurityGroupMatchesItsCode(t *testing.T) {
	mod := corpusModule(t, "terraform-aws-security-group")
	cases := map[string]string{
		"forms": `
resource "aws_security_group" "lb" {
  name        = "lb"
  description = "load balancer"
}
module "sg" {
  source  = "terraform-aws-modules/security-group/aws"
  version = "~> 5.0"

  name            = "web"
  description     = "Web servers"
  use_name_prefix = false
  vpc_id          = "vpc-123"
  tags            = { Team = "web", Name = "override" }
  create_timeout  = "20m"

  ingress_cidr_blocks      = ["0.0.0.0/0", "10.0.0.0/8"]
  ingress_ipv6_cidr_blocks = ["::/0"]
  ingress_prefix_list_ids  = ["pl-1"]
  ingress_rules            = ["ssh-tcp", "all-ipv6-icmp", "https-443-tcp"]
  ingress_with_cidr_blocks = [
    {
      from_port   = 8080
      to_port     = 8090
      protocol    = "tcp"
      description = "User-service ports"
      cidr_blocks = "0.0.0.0/0,10.10.0.0/16"
    },
    { rule = "postgresql-tcp" },
    { rule = "mysql-tcp", cidr_blocks = "" },
  ]
  ingress_with_ipv6_cidr_blocks = [{ rule = "http-80-tcp" }, { from_port = 1, to_port = 2, protocol = "udp", ipv6_cidr_blocks = "2001:db8::/32" }]
  ingress_with_self             = [{ rule = "all-all" }, { from_port = 22, to_port = 22, protocol = "tcp", self = false, description = "ssh" }]
  ingress_with_source_security_group_id = [
    { rule = "https-443-tcp", source_security_group_id = aws_security_group.lb.id },
  ]
  ingress_with_prefix_list_ids = [{ rule = "redis-tcp", prefix_list_ids = "pl-2,pl-3" }]
  computed_ingress_with_cidr_blocks           = [{ rule = "ssh-tcp", cidr_blocks = "192.168.0.0/16" }]
  number_of_computed_ingress_with_cidr_blocks = 1
  computed_ingress_rules                      = ["rdp-tcp", "rdp-udp"]
  number_of_computed_ingress_rules            = 1

  egress_rules            = ["all-all"]
  egress_cidr_blocks      = ["10.0.0.0/8"]
  egress_with_self        = [{ rule = "all-all" }]
  egress_with_cidr_blocks = [{ from_port = 443, to_port = 443, protocol = "tcp", description = "https out" }]
  number_of_computed_ingress_with_prefix_list_ids = 1
  computed_egress_with_prefix_list_ids            = [{ rule = "https-443-tcp", prefix_list_ids = "pl-9", source_security_group_id = "sg-9" }]
  number_of_computed_egress_with_prefix_list_ids  = 1
  computed_egress_with_source_security_group_id   = [{ rule = "ssh-tcp", source_security_group_id = aws_security_group.lb.id }]
  number_of_computed_egress_with_source_security_group_id = 1
  egress_with_ipv6_cidr_blocks = [{ rule = "https-443-tcp" }]
  egress_prefix_list_ids       = ["pl-e"]
}
`,
		"presets": `
module "ssh" {
  source              = "terraform-aws-modules/security-group/aws//modules/ssh"
  name                = "ssh"
  vpc_id              = "vpc-1"
  ingress_cidr_blocks = ["0.0.0.0/0"]
  ingress_rules       = ["https-443-tcp", "ssh-tcp"]
}
module "web" {
  source             = "terraform-aws-modules/security-group/aws//modules/web"
  name               = "web"
  vpc_id             = "vpc-1"
  auto_ingress_rules = []
  ingress_rules      = ["http-80-tcp"]
  ingress_with_self  = [{ rule = "ssh-tcp" }]
  egress_rules       = ["https-443-tcp"]
}
`,
		"off and existing group": `
module "off" {
  source = "terraform-aws-modules/security-group/aws"
  create = false
  ingress_rules = ["ssh-tcp"]
  ingress_cidr_blocks = ["0.0.0.0/0"]
}
module "custom" {
  source              = "terraform-aws-modules/security-group/aws"
  rules               = { app = [8080, 8081, "tcp", "App"], odd = [1] }
  ingress_rules       = ["app", "odd"]
  ingress_cidr_blocks = ["0.0.0.0/0"]
}
module "existing" {
  source            = "terraform-aws-modules/security-group/aws"
  create_sg         = false
  security_group_id = "sg-123"
  ingress_rules     = ["ssh-tcp"]
}
`,
		"unknown and counted": `
variable "rules" {
  type = list(string)
}
variable "cidrs" {
  type = list(string)
}
module "unknown" {
  source              = "terraform-aws-modules/security-group/aws"
  name                = "u"
  ingress_rules       = var.rules
  ingress_cidr_blocks = var.cidrs
}
module "counted" {
  source        = "terraform-aws-modules/security-group/aws"
  count         = 2
  name          = "c-${count.index}"
  ingress_rules = ["ssh-tcp"]
}
module "each" {
  source   = "terraform-aws-modules/security-group/aws"
  for_each = { a = "10.0.0.0/8", b = "0.0.0.0/0" }
  name     = each.key
  ingress_with_cidr_blocks = [{ rule = "ssh-tcp", cidr_blocks = each.value }]
}
`,
	}
	manifest := `{"Modules":[{"Key":"","Source":"","Dir":"."},
 {"Key":"sg","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Dir":".terraform/modules/sg"},
 {"Key":"off","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Dir":".terraform/modules/sg"},
 {"Key":"custom","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Dir":".terraform/modules/sg"},
 {"Key":"existing","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Dir":".terraform/modules/sg"},
 {"Key":"unknown","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Dir":".terraform/modules/sg"},
 {"Key":"counted","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Dir":".terraform/modules/sg"},
 {"Key":"each","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws","Dir":".terraform/modules/sg"},
 {"Key":"ssh","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws//modules/ssh","Dir":".terraform/modules/sg/modules/ssh"},
 {"Key":"web","Source":"registry.terraform.io/terraform-aws-modules/security-group/aws//modules/web","Dir":".terraform/modules/sg/modules/web"}]}`
	for name, caller := range cases {
		t.Run(name, func(t *testing.T) {
			installed, understood := registryTwice(t, caller, manifest, map[string]string{"sg": mod})
			if len(understood.Resources) == 0 {
				t.Fatalf("understood only %v", addresses(understood))
			}
			compareWithInstalled(t, installed, understood, func(string, string) bool { return true })
		})
	}
}

func TestRegistryVPCMatchesItsCode(t *testing.T) {
	mod := corpusModule(t, "terraform-aws-vpc")
	cases := map[string]string{
		"public": `
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"

  name                    = "main"
  cidr                    = "10.0.0.0/16"
  azs                     = ["eu-west-1a", "eu-west-1b"]
  public_subnets          = ["10.0.101.0/24", "10.0.102.0/24"]
  private_subnets         = ["10.0.1.0/24"]
  map_public_ip_on_launch = true
  manage_default_vpc      = true
  default_security_group_ingress = [{ cidr_blocks = "0.0.0.0/0,10.0.0.0/8", description = "all" }]
  default_security_group_egress  = [{ from_port = 443, to_port = 443, protocol = "tcp", self = true }]
  enable_flow_log                      = true
  create_flow_log_cloudwatch_log_group = true
  create_flow_log_cloudwatch_iam_role  = true
  public_dedicated_network_acl         = true
  tags = { Env = "prod" }
}
`,
		"defaults": `
module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}
`,
		"private and s3 flow log": `
module "vpc" {
  source                        = "terraform-aws-modules/vpc/aws"
  name                          = "p"
  azs                           = ["euw1-az1", "euw1-az2", "euw1-az3"]
  private_subnets               = ["10.0.1.0/24", "10.0.2.0/24"]
  private_subnet_names          = ["first"]
  private_dedicated_network_acl = true
  private_inbound_acl_rules = [
    { rule_number = 100, rule_action = "allow", from_port = 22, to_port = 22, protocol = "tcp", cidr_block = "0.0.0.0/0" },
    { rule_number = 110, rule_action = "deny", protocol = "-1", ipv6_cidr_block = "::/0" },
  ]
  default_network_acl_ingress = [{ rule_no = 1, action = "allow", from_port = 0, to_port = 0, protocol = "-1", cidr_block = "10.0.0.0/8" }]
  enable_flow_log             = true
  flow_log_destination_type   = "s3"
  flow_log_destination_arn    = "arn:aws:s3:::logs"
  flow_log_file_format        = "parquet"
  public_subnets              = ["10.0.100.0/24"]
  one_nat_gateway_per_az      = true
}
`,
		"off and unknown": `
variable "subnets" {
  type = list(string)
}
module "off" {
  source         = "terraform-aws-modules/vpc/aws"
  create_vpc     = false
  public_subnets = ["10.0.1.0/24"]
  manage_default_vpc = true
}
module "vpc" {
  source          = "terraform-aws-modules/vpc/aws"
  public_subnets  = var.subnets
  azs             = ["eu-west-1a"]
  manage_default_security_group = false
}
`,
	}
	manifest := `{"Modules":[{"Key":"","Source":"","Dir":"."},
 {"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Dir":".terraform/modules/vpc"},
 {"Key":"off","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Dir":".terraform/modules/vpc"}]}`
	builtNames := map[string]bool{}
	for _, n := range []string{"aws_vpc.this", "aws_default_vpc.this", "aws_default_security_group.this", "aws_default_network_acl.this",
		"aws_subnet.public", "aws_subnet.private", "aws_network_acl.public", "aws_network_acl.private",
		"aws_network_acl_rule.public_inbound", "aws_network_acl_rule.public_outbound",
		"aws_network_acl_rule.private_inbound", "aws_network_acl_rule.private_outbound",
		"aws_flow_log.this", "aws_cloudwatch_log_group.flow_log"} {
		builtNames[n] = true
	}
	for name, caller := range cases {
		t.Run(name, func(t *testing.T) {
			installed, understood := registryTwice(t, caller, manifest, map[string]string{"vpc": mod})
			compareWithInstalled(t, installed, understood, func(typ, name string) bool { return builtNames[typ+"."+name] })
		})
	}
}

// TestRegistryTablesMatchModule reads the rules map of the module's
// rules.tf and the auto_* defaults of each preset, and compares them with
// sgRules and sgPresets.
func TestRegistryTablesMatchModule(t *testing.T) {
	mod := corpusModule(t, "terraform-aws-security-group")
	defaults := func(file string) map[string]cty.Value {
		f, diags := hclparse.NewParser().ParseHCLFile(file)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		content, _, _ := f.Body.PartialContent(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "variable", LabelNames: []string{"name"}}}})
		out := map[string]cty.Value{}
		for _, b := range content.Blocks {
			attrs, _ := b.Body.JustAttributes()
			if d, ok := attrs["default"]; ok {
				v, diags := d.Expr.Value(nil)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				out[b.Labels[0]] = v
			}
		}
		return out
	}
	text := func(v cty.Value) string {
		if v.Type() == cty.Number {
			return v.AsBigFloat().Text('f', -1)
		}
		return v.AsString()
	}
	rules := defaults(path.Join(mod, "rules.tf"))["rules"].AsValueMap()
	if len(rules) != len(sgRules) {
		t.Errorf("the module has %d rules, the table %d", len(rules), len(sgRules))
	}
	for name, v := range rules {
		parts := v.AsValueSlice()
		want := sgRule{from: text(parts[0]), to: text(parts[1]), protocol: text(parts[2]), described: len(parts) > 3}
		if want.described {
			want.description = text(parts[3])
		}
		if got, ok := sgRules[name]; !ok || got != want {
			t.Errorf("rule %s: table %+v, module %+v", name, got, want)
		}
	}
	dirs, _ := fs.Glob(os.DirFS(mod), "modules/*/auto_values.tf")
	var presets []string
	for _, f := range dirs {
		preset := path.Base(path.Dir(f))
		presets = append(presets, preset)
		d := defaults(path.Join(mod, f))
		names := func(k string) []string {
			var out []string
			for _, x := range d[k].AsValueSlice() {
				if x.Type().IsObjectType() {
					out = append(out, x.GetAttr("rule").AsString())
				} else {
					out = append(out, x.AsString())
				}
			}
			return out
		}
		if diff := cmp.Diff(sgPresets[preset], names("auto_ingress_rules")); diff != "" {
			t.Errorf("preset %s auto_ingress_rules (-table +module):\n%s", preset, diff)
		}
		if diff := cmp.Diff(sgPresetIngressSelf, names("auto_ingress_with_self")); diff != "" {
			t.Errorf("preset %s auto_ingress_with_self (-table +module):\n%s", preset, diff)
		}
		if diff := cmp.Diff(sgPresetEgress, names("auto_egress_rules")); diff != "" {
			t.Errorf("preset %s auto_egress_rules (-table +module):\n%s", preset, diff)
		}
		for _, k := range []string{"auto_egress_with_self", "auto_computed_ingress_rules", "auto_computed_ingress_with_self",
			"auto_computed_egress_rules", "auto_computed_egress_with_self"} {
			if n := len(names(k)); n != 0 {
				t.Errorf("preset %s sets %s: the table has no place for it", preset, k)
			}
		}
	}
	sort.Strings(presets)
	var table []string
	for p := range sgPresets {
		table = append(table, p)
	}
	sort.Strings(table)
	if diff := cmp.Diff(table, presets); diff != "" {
		t.Errorf("presets (-table +module):\n%s", diff)
	}
}
