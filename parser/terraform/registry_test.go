package terraform

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

func loadRegistry(t *testing.T, dir string) *graph.Graph {
	t.Helper()
	return LoadModule(os.DirFS("testdata/registry"), dir, Options{})
}

// at is where a finding on path of r points (file:line:column).
func at(r *graph.Resource, path string) string {
	rg, _ := r.Locate(path)
	return rg.String()
}

func refsOf(r *graph.Resource) []string {
	out := []string{}
	for _, ref := range r.Refs {
		out = append(out, ref.Attribute+" -> "+ref.Target+" "+ref.TargetAttribute+" @ "+ref.Range.String())
	}
	return out
}

func fullDiags(g *graph.Graph) []string {
	var out []string
	for _, d := range g.Diagnostics {
		out = append(out, d.Range.String()+" "+string(d.Severity)+": "+d.Summary)
	}
	return out
}

type wantResource struct {
	values, unknown, sensitive string
	ranges                     map[string]string // attribute path → where a finding points
	refs                       []string
}

func checkResource(t *testing.T, g *graph.Graph, addr string, want wantResource) {
	t.Helper()
	r := g.Resource(addr)
	if r == nil {
		t.Errorf("%s: missing; have %v", addr, addresses(g))
		return
	}
	if want.values != "" {
		if got := jsonOf(r.Values); got != want.values {
			t.Errorf("%s values:\n got %s\nwant %s", addr, got, want.values)
		}
	}
	if want.unknown != "" {
		if got := jsonOf(r.Unknown); got != want.unknown {
			t.Errorf("%s unknown: got %s, want %s", addr, got, want.unknown)
		}
	}
	if want.sensitive != "" {
		if got := jsonOf(r.Sensitive); got != want.sensitive {
			t.Errorf("%s sensitive: got %s, want %s", addr, got, want.sensitive)
		}
	}
	for _, p := range sortedKeys(want.ranges) {
		if got := at(r, p); got != want.ranges[p] {
			t.Errorf("%s %q points at %s, want %s", addr, p, got, want.ranges[p])
		}
	}
	if want.refs != nil {
		if diff := cmp.Diff(want.refs, refsOf(r)); diff != "" {
			t.Errorf("%s refs (-want +got):\n%s", addr, diff)
		}
	}
}

func TestRegistrySecurityGroup(t *testing.T) {
	g := loadRegistry(t, "sg")
	wantAddrs := []string{
		"aws_instance.web",
		"aws_security_group.lb",
		"module.ssh.module.sg.aws_security_group.this[0]",
		"module.ssh.module.sg.aws_security_group_rule.egress_rules[0]",
		"module.ssh.module.sg.aws_security_group_rule.ingress_rules[0]",
		"module.ssh.module.sg.aws_security_group_rule.ingress_rules[1]",
		"module.ssh.module.sg.aws_security_group_rule.ingress_with_self[0]",
		"module.web.aws_security_group.this_name_prefix[0]",
		"module.web.aws_security_group_rule.egress_rules[0]",
		"module.web.aws_security_group_rule.ingress_rules[0]",
		"module.web.aws_security_group_rule.ingress_rules[1]",
		"module.web.aws_security_group_rule.ingress_with_cidr_blocks[0]",
		"module.web.aws_security_group_rule.ingress_with_cidr_blocks[1]",
		"module.web.aws_security_group_rule.ingress_with_source_security_group_id[0]",
	}
	if diff := cmp.Diff(wantAddrs, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		"sg/main.tf:13:1 note: module not installed, understood from its inputs",
		"sg/preset.tf:1:1 note: module not installed, understood from its inputs",
	}
	if diff := cmp.Diff(wantDiags, fullDiags(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	group := "module.web.aws_security_group.this_name_prefix[0]"
	toGroup := "security_group_id -> " + group + " id @ sg/main.tf:13:1"
	checkResource(t, g, group, wantResource{
		values:  `{"description":"Web servers","name_prefix":"web-","revoke_rules_on_delete":false,"tags":{"Name":"web"},"timeouts":[{"create":"10m","delete":"15m"}],"vpc_id":"vpc-123"}`,
		unknown: `{}`,
		ranges: map[string]string{"": "sg/main.tf:13:1", "name_prefix": "sg/main.tf:17:17", "description": "sg/main.tf:18:17",
			"vpc_id": "sg/main.tf:19:17", "revoke_rules_on_delete": "sg/main.tf:13:1", "tags.Name": "sg/main.tf:17:17"},
		refs: []string{},
	})
	checkResource(t, g, "module.web.aws_security_group_rule.ingress_rules[1]", wantResource{
		values:    `{"cidr_blocks":["0.0.0.0/0","10.0.0.0/8"],"description":"SSH","from_port":"22","ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","to_port":"22","type":"ingress"}`,
		unknown:   `{"security_group_id":true}`,
		sensitive: `{}`,
		ranges: map[string]string{"cidr_blocks.0": "sg/main.tf:21:26", "cidr_blocks.1": "sg/main.tf:21:39", "cidr_blocks": "sg/main.tf:21:25",
			"from_port": "sg/main.tf:22:43", "to_port": "sg/main.tf:22:43", "protocol": "sg/main.tf:22:43", "description": "sg/main.tf:22:43",
			"type": "sg/main.tf:13:1", "ipv6_cidr_blocks": "sg/main.tf:13:1", "": "sg/main.tf:13:1"},
		refs: []string{toGroup},
	})
	checkResource(t, g, "module.web.aws_security_group_rule.ingress_rules[0]", wantResource{
		values: `{"cidr_blocks":["0.0.0.0/0","10.0.0.0/8"],"description":"HTTPS","from_port":"443","ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","to_port":"443","type":"ingress"}`,
		ranges: map[string]string{"from_port": "sg/main.tf:22:26"},
	})
	// The parts of a comma-separated string point into the string.
	checkResource(t, g, "module.web.aws_security_group_rule.ingress_with_cidr_blocks[0]", wantResource{
		values: `{"cidr_blocks":["10.1.0.0/16","0.0.0.0/0"],"description":"Service ports","from_port":"8080","protocol":"tcp","to_port":"8090","type":"ingress"}`,
		ranges: map[string]string{"cidr_blocks": "sg/main.tf:29:21", "cidr_blocks.0": "sg/main.tf:29:22", "cidr_blocks.1": "sg/main.tf:29:34",
			"from_port": "sg/main.tf:25:21", "to_port": "sg/main.tf:26:21", "protocol": "sg/main.tf:27:21", "description": "sg/main.tf:28:21"},
		refs: []string{toGroup},
	})
	r := g.Resource("module.web.aws_security_group_rule.ingress_with_cidr_blocks[0]")
	if rg, _ := r.Lookup("cidr_blocks.1"); rg.End.Column != 43 || rg.End.Byte-rg.Start.Byte != len("0.0.0.0/0") {
		t.Errorf("cidr_blocks.1 range %+v", rg)
	}
	// Without cidr_blocks, the rule takes ingress_cidr_blocks; the named
	// rule gives ports and protocol, the module its description.
	checkResource(t, g, "module.web.aws_security_group_rule.ingress_with_cidr_blocks[1]", wantResource{
		values: `{"cidr_blocks":["0.0.0.0/0","10.0.0.0/8"],"description":"Ingress Rule","from_port":"5432","protocol":"tcp","to_port":"5432","type":"ingress"}`,
		ranges: map[string]string{"cidr_blocks.0": "sg/main.tf:21:26", "from_port": "sg/main.tf:32:14", "description": "sg/main.tf:13:1"},
	})
	checkResource(t, g, "module.web.aws_security_group_rule.ingress_with_source_security_group_id[0]", wantResource{
		values:  `{"description":"Ingress Rule","from_port":"80","prefix_list_ids":[],"protocol":"tcp","to_port":"80","type":"ingress"}`,
		unknown: `{"security_group_id":true,"source_security_group_id":true}`,
		ranges:  map[string]string{"source_security_group_id": "sg/main.tf:38:34", "from_port": "sg/main.tf:37:34"},
		refs:    []string{toGroup, "source_security_group_id -> aws_security_group.lb id @ sg/main.tf:38:34"},
	})
	// A value from a variable: at the default's element, the argument
	// that uses it related.
	eg := g.Resource("module.web.aws_security_group_rule.egress_rules[0]")
	checkResource(t, g, eg.Address, wantResource{
		values: `{"cidr_blocks":["198.51.100.0/24"],"description":"All protocols","from_port":"-1","ipv6_cidr_blocks":["::/0"],"prefix_list_ids":[],"protocol":"-1","to_port":"-1","type":"egress"}`,
		ranges: map[string]string{"cidr_blocks.0": "sg/main.tf:3:14", "ipv6_cidr_blocks.0": "sg/main.tf:13:1"},
	})
	if _, related := eg.Locate("cidr_blocks.0"); len(related) != 1 || related[0].Kind != graph.OriginAttribute || related[0].Range.String() != "sg/main.tf:41:24" {
		t.Errorf("related %+v", related)
	}
	// A reference to an output is an edge to the resource it comes from.
	checkResource(t, g, "aws_instance.web", wantResource{
		refs: []string{"vpc_security_group_ids -> " + group + " id @ sg/main.tf:48:29"},
	})
	// The ignore above the module block applies to its header, which is
	// the header of its resources and their caller.
	if diff := cmp.Diff([]string{`sg/main.tf:12:3-12:79 line=13 rules=PCS-AWS-003 reason="descriptions come from the module's rule names"`}, ignoreLines(g)); diff != "" {
		t.Errorf("ignores (-want +got):\n%s", diff)
	}
	for _, res := range g.Resources {
		if res.Module != "module.web" {
			continue
		}
		if res.Range.String() != "sg/main.tf:13:1" {
			t.Errorf("%s range %v", res.Address, res.Range)
		}
		if len(res.Callers) != 1 || res.Callers[0].Kind != graph.OriginModuleCall || res.Callers[0].Range.String() != "sg/main.tf:13:1" {
			t.Errorf("%s callers %+v", res.Address, res.Callers)
		}
		if res.Meta["registry_module"] != "terraform-aws-modules/security-group/aws" || res.Meta["expansion"] != "count" {
			t.Errorf("%s meta %v", res.Address, res.Meta)
		}
	}

	// The preset: its rules (sorted, without duplicates) at the module
	// block, the caller's at their elements.
	checkResource(t, g, "module.ssh.module.sg.aws_security_group.this[0]", wantResource{
		values: `{"description":"Security Group managed by Terraform","name":"bastion","revoke_rules_on_delete":false,"tags":{"Name":"bastion"},"timeouts":[{"create":"10m","delete":"15m"}],"vpc_id":"vpc-123"}`,
		ranges: map[string]string{"name": "sg/preset.tf:4:25", "description": "sg/preset.tf:1:1"},
	})
	checkResource(t, g, "module.ssh.module.sg.aws_security_group_rule.ingress_rules[0]", wantResource{
		values: `{"cidr_blocks":["203.0.113.0/24"],"description":"HTTPS","from_port":"443","ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","to_port":"443","type":"ingress"}`,
		ranges: map[string]string{"from_port": "sg/preset.tf:8:37", "cidr_blocks.0": "sg/preset.tf:7:26"},
		refs:   []string{"security_group_id -> module.ssh.module.sg.aws_security_group.this[0] id @ sg/preset.tf:1:1"},
	})
	checkResource(t, g, "module.ssh.module.sg.aws_security_group_rule.ingress_rules[1]", wantResource{
		values: `{"cidr_blocks":["203.0.113.0/24"],"description":"SSH","from_port":"22","ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","to_port":"22","type":"ingress"}`,
		ranges: map[string]string{"from_port": "sg/preset.tf:1:1"},
	})
	checkResource(t, g, "module.ssh.module.sg.aws_security_group_rule.ingress_with_self[0]", wantResource{
		values: `{"description":"Ingress Rule","from_port":"-1","prefix_list_ids":[],"protocol":"-1","self":"true","to_port":"-1","type":"ingress"}`,
	})
	checkResource(t, g, "module.ssh.module.sg.aws_security_group_rule.egress_rules[0]", wantResource{
		values: `{"cidr_blocks":["0.0.0.0/0"],"description":"All protocols","from_port":"-1","ipv6_cidr_blocks":["::/0"],"prefix_list_ids":[],"protocol":"-1","to_port":"-1","type":"egress"}`,
		ranges: map[string]string{"cidr_blocks.0": "sg/preset.tf:1:1"},
	})
}

func TestRegistryVPC(t *testing.T) {
	g := loadRegistry(t, "vpc")
	wantAddrs := []string{
		"aws_instance.app",
		"module.legacy.aws_subnet.public[0]",
		"module.legacy.aws_vpc.this[0]",
		"module.sg.aws_security_group.this_name_prefix[0]",
		"module.vpc.aws_default_network_acl.this[0]",
		"module.vpc.aws_default_security_group.this[0]",
		"module.vpc.aws_flow_log.this[0]",
		"module.vpc.aws_network_acl.public[0]",
		"module.vpc.aws_network_acl_rule.public_inbound[0]",
		"module.vpc.aws_network_acl_rule.public_outbound[0]",
		"module.vpc.aws_subnet.public[0]",
		"module.vpc.aws_subnet.public[1]",
		"module.vpc.aws_vpc.this[0]",
	}
	if diff := cmp.Diff(wantAddrs, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		"vpc/main.tf:1:1 note: module not installed, understood from its inputs",
		"vpc/main.tf:33:1 note: module not installed, understood from its inputs",
		"vpc/main.tf:39:1 note: module not installed, understood from its inputs",
	}
	if diff := cmp.Diff(wantDiags, fullDiags(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	vpc := "module.vpc.aws_vpc.this[0]"
	checkResource(t, g, vpc, wantResource{
		values: `{"cidr_block":"10.0.0.0/16","enable_dns_hostnames":true,"enable_dns_support":true,"instance_tenancy":"default","tags":{"Name":"main"}}`,
		ranges: map[string]string{"cidr_block": "vpc/main.tf:6:29", "enable_dns_support": "vpc/main.tf:1:1", "tags.Name": "vpc/main.tf:5:29"},
		refs:   []string{},
	})
	checkResource(t, g, "module.vpc.aws_subnet.public[1]", wantResource{
		values:  `{"assign_ipv6_address_on_creation":false,"availability_zone":"eu-west-1b","cidr_block":"10.0.102.0/24","enable_dns64":false,"enable_resource_name_dns_a_record_on_launch":false,"enable_resource_name_dns_aaaa_record_on_launch":false,"ipv6_native":false,"map_public_ip_on_launch":true,"tags":{"Name":"main-public-eu-west-1b"}}`,
		unknown: `{"vpc_id":true}`,
		ranges:  map[string]string{"map_public_ip_on_launch": "vpc/main.tf:9:29", "cidr_block": "vpc/main.tf:8:47", "availability_zone": "vpc/main.tf:7:44", "vpc_id": "vpc/main.tf:1:1"},
		refs:    []string{"vpc_id -> " + vpc + " id @ vpc/main.tf:1:1"},
	})
	checkResource(t, g, "module.vpc.aws_default_security_group.this[0]", wantResource{
		values:  `{"ingress":[{"cidr_blocks":["198.51.100.0/24","0.0.0.0/0"],"description":"Everything from the office","from_port":"0","ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"-1","security_groups":[],"to_port":"0"}],"tags":{"Name":"main-default"}}`,
		unknown: `{"vpc_id":true}`,
		ranges: map[string]string{"ingress.0": "vpc/main.tf:12:5", "ingress.0.cidr_blocks.1": "vpc/main.tf:14:38", "ingress.0.description": "vpc/main.tf:13:21",
			"ingress.0.protocol": "vpc/main.tf:1:1"},
		refs: []string{"vpc_id -> " + vpc + " id @ vpc/main.tf:1:1"},
	})
	checkResource(t, g, "module.vpc.aws_default_network_acl.this[0]", wantResource{
		values:  `{"egress":[{"action":"allow","cidr_block":"0.0.0.0/0","from_port":"0","protocol":"-1","rule_no":"100","to_port":"0"},{"action":"allow","from_port":"0","ipv6_cidr_block":"::/0","protocol":"-1","rule_no":"101","to_port":"0"}],"ingress":[{"action":"allow","cidr_block":"0.0.0.0/0","from_port":"0","protocol":"-1","rule_no":"100","to_port":"0"},{"action":"allow","from_port":"0","ipv6_cidr_block":"::/0","protocol":"-1","rule_no":"101","to_port":"0"}],"tags":{"Name":"main-default"}}`,
		unknown: `{"default_network_acl_id":true}`,
		ranges:  map[string]string{"ingress.1.ipv6_cidr_block": "vpc/main.tf:1:1"},
		refs:    []string{"default_network_acl_id -> " + vpc + " default_network_acl_id @ vpc/main.tf:1:1"},
	})
	checkResource(t, g, "module.vpc.aws_network_acl.public[0]", wantResource{
		unknown: `{"subnet_ids":[true,true],"vpc_id":true}`,
		refs: []string{"subnet_ids -> module.vpc.aws_subnet.public[0] id @ vpc/main.tf:1:1", "subnet_ids -> module.vpc.aws_subnet.public[1] id @ vpc/main.tf:1:1",
			"vpc_id -> " + vpc + " id @ vpc/main.tf:1:1"},
	})
	checkResource(t, g, "module.vpc.aws_network_acl_rule.public_inbound[0]", wantResource{
		values: `{"cidr_block":"0.0.0.0/0","egress":false,"from_port":"22","protocol":"tcp","rule_action":"allow","rule_number":"100","to_port":"22"}`,
		ranges: map[string]string{"cidr_block": "vpc/main.tf:26:21", "from_port": "vpc/main.tf:23:21", "egress": "vpc/main.tf:1:1", "icmp_code": "vpc/main.tf:1:1"},
		refs:   []string{"network_acl_id -> module.vpc.aws_network_acl.public[0] id @ vpc/main.tf:1:1"},
	})
	checkResource(t, g, "module.vpc.aws_network_acl_rule.public_outbound[0]", wantResource{
		values: `{"cidr_block":"0.0.0.0/0","egress":true,"from_port":"0","protocol":"-1","rule_action":"allow","rule_number":"100","to_port":"0"}`,
		ranges: map[string]string{"cidr_block": "vpc/main.tf:1:1"},
	})
	checkResource(t, g, "module.vpc.aws_flow_log.this[0]", wantResource{
		values:  `{"iam_role_arn":"","log_destination":"","log_destination_type":"cloud-watch-logs","max_aggregation_interval":600,"tags":{},"traffic_type":"ALL"}`,
		unknown: `{"vpc_id":true}`,
		refs:    []string{"vpc_id -> " + vpc + " id @ vpc/main.tf:1:1"},
	})
	// Versions before 4.0 mapped public IPs by default and did not adopt
	// the default security group and network ACL.
	checkResource(t, g, "module.legacy.aws_subnet.public[0]", wantResource{
		values:  `{"assign_ipv6_address_on_creation":false,"cidr_block":"10.1.0.0/24","enable_dns64":false,"enable_resource_name_dns_a_record_on_launch":false,"enable_resource_name_dns_aaaa_record_on_launch":false,"ipv6_native":false,"map_public_ip_on_launch":true}`,
		unknown: `{"availability_zone":true,"availability_zone_id":true,"tags":true,"vpc_id":true}`,
		ranges:  map[string]string{"map_public_ip_on_launch": "vpc/main.tf:33:1", "cidr_block": "vpc/main.tf:36:21"},
	})
	// Outputs are edges: the security group module's vpc_id, the
	// instance's subnet.
	checkResource(t, g, "module.sg.aws_security_group.this_name_prefix[0]", wantResource{
		unknown: `{"vpc_id":true}`,
		ranges:  map[string]string{"vpc_id": "vpc/main.tf:42:12"},
		refs:    []string{"vpc_id -> " + vpc + " id @ vpc/main.tf:42:12"},
	})
	checkResource(t, g, "aws_instance.app", wantResource{
		refs: []string{"subnet_id -> module.vpc.aws_subnet.public[0] id @ vpc/main.tf:48:19", "subnet_id -> module.vpc.aws_subnet.public[1] id @ vpc/main.tf:48:19"},
	})
	if got := g.Resource(vpc).ReferencedBy; len(got) != 7 {
		t.Errorf("the VPC is referenced by %d resources: %+v", len(got), got)
	}
}

// Unknown inputs give unknown values (an unknown list, one representative
// instance); a sensitive element stays sensitive; a sensitive list is one
// representative instance, with the error Terraform gives.
func TestRegistryUnknownAndSensitive(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{"root/main.tf": `
variable "rules" {
  type = list(string)
}
variable "flag" {
  type = bool
}
variable "secret" {
  type      = string
  sensitive = true
  default   = "0.0.0.0/0"
}
variable "secret_rules" {
  type      = list(map(string))
  sensitive = true
  default   = [{ rule = "ssh-tcp" }]
}
module "u" {
  source                   = "terraform-aws-modules/security-group/aws"
  name                     = "u"
  ingress_rules            = var.rules
  ingress_cidr_blocks      = ["10.0.0.0/8"]
  ingress_with_cidr_blocks = [{ rule = "ssh-tcp", cidr_blocks = var.secret }]
  egress_with_cidr_blocks  = var.secret_rules
  egress_rules             = ["no-such-rule"]
}
module "maybe" {
  source        = "terraform-aws-modules/security-group/aws"
  create        = var.flag
  ingress_rules = ["ssh-tcp"]
}
`}), "root", Options{})
	wantAddrs := []string{
		"module.maybe.aws_security_group.this_name_prefix[*]",
		"module.maybe.aws_security_group_rule.ingress_rules[*]",
		"module.u.aws_security_group.this_name_prefix[0]",
		"module.u.aws_security_group_rule.egress_rules[0]",
		`module.u.aws_security_group_rule.egress_with_cidr_blocks["(sensitive)"]`,
		"module.u.aws_security_group_rule.ingress_rules[*]",
		"module.u.aws_security_group_rule.ingress_with_cidr_blocks[0]",
	}
	if diff := cmp.Diff(wantAddrs, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	wantDiags := []string{
		"root/main.tf:17:1 note: module not installed, understood from its inputs",
		"root/main.tf:23:30 error: Invalid count argument",
		"root/main.tf:24:31 warning: unknown rule name",
		"root/main.tf:26:1 note: module not installed, understood from its inputs",
	}
	if diff := cmp.Diff(wantDiags, fullDiags(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	checkResource(t, g, "module.u.aws_security_group_rule.ingress_rules[*]", wantResource{
		values:  `{"cidr_blocks":["10.0.0.0/8"],"ipv6_cidr_blocks":[],"prefix_list_ids":[],"type":"ingress"}`,
		unknown: `{"description":true,"from_port":true,"protocol":true,"security_group_id":true,"to_port":true}`,
		ranges:  map[string]string{"from_port": "root/main.tf:20:30"},
	})
	checkResource(t, g, "module.u.aws_security_group_rule.ingress_with_cidr_blocks[0]", wantResource{
		values:    `{"cidr_blocks":["0.0.0.0/0"],"description":"Ingress Rule","from_port":"22","protocol":"tcp","to_port":"22","type":"ingress"}`,
		sensitive: `{"cidr_blocks":true}`,
		ranges:    map[string]string{"cidr_blocks.0": "root/main.tf:22:65"},
	})
	checkResource(t, g, `module.u.aws_security_group_rule.egress_with_cidr_blocks["(sensitive)"]`, wantResource{
		unknown:   `{"cidr_blocks":true,"description":true,"from_port":true,"protocol":true,"security_group_id":true,"to_port":true}`,
		sensitive: `{"cidr_blocks":true,"description":true,"from_port":true,"protocol":true,"to_port":true}`,
	})
	checkResource(t, g, "module.u.aws_security_group_rule.egress_rules[0]", wantResource{
		values:  `{"cidr_blocks":["0.0.0.0/0"],"ipv6_cidr_blocks":["::/0"],"prefix_list_ids":[],"type":"egress"}`,
		unknown: `{"description":true,"from_port":true,"protocol":true,"security_group_id":true,"to_port":true}`,
	})
	if m := g.Resource("module.u.aws_security_group_rule.ingress_rules[*]").Meta["expansion"]; m != "unknown" {
		t.Errorf("expansion %v", m)
	}
	// create unknown: whether anything exists is unknown; the rule's
	// element (count.index) too. use_name_prefix is known true: no "this".
	checkResource(t, g, "module.maybe.aws_security_group_rule.ingress_rules[*]", wantResource{
		values:  `{"cidr_blocks":[],"ipv6_cidr_blocks":[],"prefix_list_ids":[],"type":"ingress"}`,
		unknown: `{"description":true,"from_port":true,"protocol":true,"security_group_id":true,"to_port":true}`,
	})
}

// A call from a module of the repository: addresses under its path, and a
// value passed down points at the outermost argument, as for any module.
func TestRegistryFromALocalModule(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"root/main.tf": `
module "net" {
  source = "./net"
  cidrs  = ["0.0.0.0/0"]
}
`,
		"root/net/main.tf": `
variable "cidrs" {
  type = list(string)
}
module "sg" {
  source              = "github.com/terraform-aws-modules/terraform-aws-security-group//modules/rdp?ref=v5.3.0"
  for_each            = toset(["a"])
  name                = each.key
  vpc_id              = "vpc-1"
  ingress_cidr_blocks = var.cidrs
}
`}), "root", Options{})
	r := g.Resource(`module.net.module.sg["a"].module.sg.aws_security_group_rule.ingress_rules[0]`)
	if r == nil {
		t.Fatalf("addresses %v", addresses(g))
	}
	if got := jsonOf(r.Values); got != `{"cidr_blocks":["0.0.0.0/0"],"description":"Remote Desktop","from_port":"3389","ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","to_port":"3389","type":"ingress"}` {
		t.Errorf("values %s", got)
	}
	if got := at(r, "cidr_blocks.0"); got != "root/main.tf:3:13" {
		t.Errorf("cidr_blocks.0 points at %s", got)
	}
	if got := at(r, "from_port"); got != "root/net/main.tf:4:1" {
		t.Errorf("from_port points at %s", got)
	}
	if len(r.Callers) != 2 || r.Callers[0].Range.String() != "root/main.tf:1:1" || r.Callers[1].Range.String() != "root/net/main.tf:4:1" {
		t.Errorf("callers %+v", r.Callers)
	}
	if r.Module != `module.net.module.sg["a"].module.sg` {
		t.Errorf("module %s", r.Module)
	}
}

// Sources that are not a module Portcullis knows, and installed modules,
// are loaded as before.
func TestRegistryOnlyKnownModulesNotInstalled(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{
		"root/main.tf": `
module "kms" {
  source = "terraform-aws-modules/kms/aws"
}
module "preset" {
  source = "terraform-aws-modules/security-group/aws//modules/no-such-preset"
}
module "fork" {
  source = "git::https://example.com/terraform-aws-modules/terraform-aws-vpc.git"
}
module "installed" {
  source = "terraform-aws-modules/vpc/aws"
}
`,
		"root/.terraform/modules/modules.json":      `{"Modules":[{"Key":"installed","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Dir":".terraform/modules/installed"}]}`,
		"root/.terraform/modules/installed/main.tf": `resource "aws_vpc" "from_code" {}`,
	}), "root", Options{})
	if diff := cmp.Diff([]string{"module.installed.aws_vpc.from_code"}, addresses(g)); diff != "" {
		t.Errorf("addresses (-want +got):\n%s", diff)
	}
	want := []string{
		"root/main.tf:1:1 warning: module not loaded",
		"root/main.tf:4:1 warning: module not loaded",
		"root/main.tf:7:1 warning: module not loaded",
	}
	if diff := cmp.Diff(want, fullDiags(g)); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}

func TestRegistrySources(t *testing.T) {
	cases := []struct {
		source string
		kind   registryKind
		preset string
		ref    string
	}{
		{"terraform-aws-modules/security-group/aws", registrySecurityGroup, "", ""},
		{"Terraform-AWS-Modules/Security-Group/AWS", registrySecurityGroup, "", ""},
		{"registry.terraform.io/terraform-aws-modules/security-group/aws", registrySecurityGroup, "", ""},
		{"terraform-aws-modules/security-group/aws//modules/ssh", registrySecurityGroup, "ssh", ""},
		{"terraform-aws-modules/security-group/aws//modules/http-80/", registrySecurityGroup, "http-80", ""},
		{"git::https://github.com/terraform-aws-modules/terraform-aws-security-group.git?ref=v5.1.0", registrySecurityGroup, "", "v5.1.0"},
		{"git::https://github.com/terraform-aws-modules/terraform-aws-security-group.git//modules/mysql?ref=v4.0.0", registrySecurityGroup, "mysql", "v4.0.0"},
		{"git::ssh://git@github.com/terraform-aws-modules/terraform-aws-vpc.git", registryVPC, "", ""},
		{"git@github.com:terraform-aws-modules/terraform-aws-vpc.git?ref=v3.0.0", registryVPC, "", "v3.0.0"},
		{"github.com/terraform-aws-modules/terraform-aws-vpc", registryVPC, "", ""},
		{"terraform-aws-modules/vpc/aws", registryVPC, "", ""},
		{"terraform-aws-modules/vpc/aws//modules/vpc-endpoints", 0, "", ""},
		{"terraform-aws-modules/security-group/aws//modules/nope", 0, "", ""},
		{"terraform-aws-modules/security-group/aws//examples/complete", 0, "", ""},
		{"terraform-aws-modules/kms/aws", 0, "", ""},
		{"app.terraform.io/acme/vpc/aws", 0, "", ""},
		{"https://github.com/terraform-aws-modules/terraform-aws-vpc/archive/v5.0.0.zip", 0, "", ""},
		{"git::https://gitlab.com/terraform-aws-modules/terraform-aws-vpc.git", 0, "", ""},
		{"terraform-aws-modules/vpc/aws?ref=v1", 0, "", ""},
		{"./modules/vpc", 0, "", ""},
	}
	for _, tc := range cases {
		src, ok := parseRegistrySource(tc.source)
		if ok != (tc.kind != 0) || src.kind != tc.kind || src.preset != tc.preset || src.ref != tc.ref {
			t.Errorf("%s: %+v %v, want kind %d preset %q ref %q", tc.source, src, ok, tc.kind, tc.preset, tc.ref)
		}
	}
	majors := map[string]int{
		"": 0, "5.1.0": 5, "= 3.19.0": 3, "v3.19.0": 3, "~> 3.0": 3, "~> 3.14.2": 3, "~> 5": 0, ">= 3.0": 0,
		">= 2.0, < 4.0": 3, "< 4.1": 4, "<= 3.2": 3, ">= 3.0, != 3.5.0": 0, "4.0.0-beta1": 4, "main": 0, "~> 3.0, ~> 5.0": 3,
	}
	for _, c := range sortedKeys(majors) {
		if got := maxMajor(c); got != majors[c] {
			t.Errorf("maxMajor(%q) = %d, want %d", c, got, majors[c])
		}
	}
}

// The sensitive value of an element is never quoted in a diagnostic.
func TestRegistryDiagnosticsHideSensitiveValues(t *testing.T) {
	g := LoadModule(mapFS(map[string]string{"root/main.tf": `
variable "rule" {
  type      = string
  sensitive = true
  default   = "hunter2-rule"
}
module "sg" {
  source        = "terraform-aws-modules/security-group/aws"
  ingress_rules = [var.rule]
  description   = { text = var.rule }
  ingress_with_cidr_blocks = [{ cidr_blocks = "0.0.0.0/0", from_port = var.rule }]
}
`}), "root", Options{})
	var details []string
	for _, d := range g.Diagnostics {
		details = append(details, d.Summary+": "+d.Detail)
	}
	sort.Strings(details)
	for _, d := range details {
		if strings.Contains(d, "hunter2") {
			t.Errorf("diagnostic shows the secret: %s", d)
		}
	}
	if len(details) != 3 {
		t.Errorf("diagnostics %v", details)
	}
}
