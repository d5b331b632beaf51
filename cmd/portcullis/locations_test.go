package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
)

// locationsRoot holds small repositories of the shapes where a finding's
// location has to follow a value through modules and variables files.
var locationsRoot = filepath.Join("testdata", "locations")

// locatedFindings scans one root of testdata/locations as JSON and returns
// its findings, one line each, with their related locations in order:
//
//	RULE resource [attribute] at file:line:col-line:col
//	  <- description at file:line:col-line:col
func locatedFindings(t *testing.T, dir string) []string {
	t.Helper()
	code, stdout, stderr := runCLI(t, "scan", "--no-config", "--format", "json", "--root", locationsRoot,
		filepath.Join(locationsRoot, dir))
	if code != exitFindings || stderr != "" {
		t.Fatalf("scan %s: exit %d, stderr %q", dir, code, stderr)
	}
	type loc struct {
		File        string `json:"file"`
		StartLine   int    `json:"start_line"`
		StartColumn int    `json:"start_column"`
		EndLine     int    `json:"end_line"`
		EndColumn   int    `json:"end_column"`
	}
	at := func(l loc) string {
		return fmt.Sprintf("%s:%d:%d-%d:%d", l.File, l.StartLine, l.StartColumn, l.EndLine, l.EndColumn)
	}
	var doc struct {
		Findings []struct {
			RuleID    string `json:"rule_id"`
			Resource  string `json:"resource"`
			Attribute string `json:"attribute"`
			Location  loc    `json:"location"`
			Related   []struct {
				Description string `json:"description"`
				Location    loc    `json:"location"`
			} `json:"related"`
		} `json:"findings"`
		Diagnostics []struct {
			Severity string `json:"severity"`
			Summary  string `json:"summary"`
		} `json:"diagnostics"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("scan %s: %v", dir, err)
	}
	for _, d := range doc.Diagnostics {
		// Notes say how a module was read (a registry module understood
		// from its inputs); nothing else is expected.
		if d.Severity != "note" {
			t.Errorf("scan %s: diagnostic %s: %s", dir, d.Severity, d.Summary)
		}
	}
	var out []string
	for _, f := range doc.Findings {
		line := f.RuleID + " " + f.Resource
		if f.Attribute != "" {
			line += " " + f.Attribute
		}
		line += " at " + at(f.Location)
		for _, r := range f.Related {
			line += "\n  <- " + r.Description + " at " + at(r.Location)
		}
		out = append(out, line)
	}
	return out
}

func checkLocated(t *testing.T, dir string, want []string) {
	t.Helper()
	got := locatedFindings(t, dir)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("scan %s: findings\n%s\nwant\n%s", dir, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// (a) A caller passes a map of rules to a module in the repository that
// for_each's them into rules: each finding points at the cidr_ipv4 of its
// own entry, not at "rules = {", and only the attribute that used it is
// related (the argument around the literal is the same place).
// (e) A rule the map's entry made without a description points at that
// entry's key; create = true switched it on and is related; the resource
// block is last.
func TestLocationsMapOfRules(t *testing.T) {
	checkLocated(t, "maprules/root", []string{
		`PCS-AWS-001 module.web_sg.aws_vpc_security_group_ingress_rule.this["all_http"] cidr_ipv4 at maprules/root/main.tf:12:21-12:32
  <- used by module.web_sg.aws_vpc_security_group_ingress_rule.this["all_http"] cidr_ipv4 at maprules/modules/sg/main.tf:35:23-35:43`,
		`PCS-AWS-003 module.web_sg.aws_vpc_security_group_ingress_rule.this["ssh"] at maprules/root/main.tf:15:5-15:8
  <- value passed as argument "create" of module.web_sg at maprules/root/main.tf:4:12-4:16
  <- creates module.web_sg.aws_vpc_security_group_ingress_rule.this["ssh"] at maprules/modules/sg/main.tf:28:1-28:54`,
		`PCS-AWS-001 module.web_sg.aws_vpc_security_group_ingress_rule.this["ssh"] cidr_ipv4 at maprules/root/main.tf:19:21-19:32
  <- used by module.web_sg.aws_vpc_security_group_ingress_rule.this["ssh"] cidr_ipv4 at maprules/modules/sg/main.tf:35:23-35:43`,
	})
}

// (b) A tfvars list of rule objects goes through two module arguments
// into a security-group module: the finding points at the element in the
// tfvars file, the arguments that passed it on are related in order.
func TestLocationsTfvarsList(t *testing.T) {
	checkLocated(t, "tfvars/root", []string{
		`PCS-AWS-001 module.app.module.security_group.aws_security_group_rule.ingress[1] cidr_blocks.1 at tfvars/root/terraform.tfvars:13:35-13:46
  <- value passed as argument "security_group_rules" of module.app at tfvars/root/main.tf:10:26-10:50
  <- value passed as argument "ingress_rules" of module.app.module.security_group at tfvars/modules/instance/main.tf:19:19-19:43
  <- used by module.app.module.security_group.aws_security_group_rule.ingress[1] cidr_blocks.1 at tfvars/modules/security-group/main.tf:40:23-40:65`,
	})
}

// (c) A module reshapes ingress_with_cidr_blocks with lookup() and
// split(): the finding points at the entry's comma-separated string, not
// at "ingress_with_cidr_blocks = [".
func TestLocationsReshaped(t *testing.T) {
	checkLocated(t, "reshape/root", []string{
		`PCS-AWS-001 module.complete_sg.aws_security_group_rule.ingress_with_cidr_blocks[1] cidr_blocks.0 at reshape/root/main.tf:20:21-20:43
  <- used by module.complete_sg.aws_security_group_rule.ingress_with_cidr_blocks[1] cidr_blocks.0 at reshape/modules/sg/main.tf:30:17-32:5`,
	})
}

// (d) manage_default_vpc = true in the caller turns on the count of
// aws_default_vpc in the module: the findings about the default VPC point
// at that argument.
func TestLocationsCountSwitch(t *testing.T) {
	checkLocated(t, "defaultvpc/root", []string{
		`PCS-AWS-002 module.vpc.aws_default_vpc.this[0] at defaultvpc/root/main.tf:6:24-6:28
  <- creates module.vpc.aws_default_vpc.this[0] at defaultvpc/modules/vpc/main.tf:25:1-25:34`,
		`PCS-AWS-011 module.vpc.aws_default_vpc.this[0] at defaultvpc/root/main.tf:6:24-6:28
  <- creates module.vpc.aws_default_vpc.this[0] at defaultvpc/modules/vpc/main.tf:25:1-25:34`,
	})
}

// (f) create = true switches the subnets on (count = var.create ? ... : 0,
// for_each = var.create ? ... : {}): it is no location of a finding about
// a value, not even when the value is also true.
func TestLocationsSwitchNotRelated(t *testing.T) {
	checkLocated(t, "switch/root", []string{
		`PCS-AWS-010 module.net.aws_subnet.public[0] map_public_ip_on_launch at switch/root/main.tf:8:29-8:33
  <- used by module.net.aws_subnet.public[0] map_public_ip_on_launch at switch/modules/net/main.tf:25:29-25:56`,
		`PCS-AWS-010 module.net.aws_subnet.extra["dmz"] map_public_ip_on_launch at switch/root/main.tf:13:16-13:20
  <- used by module.net.aws_subnet.extra["dmz"] map_public_ip_on_launch at switch/modules/net/main.tf:41:29-41:46`,
	})
}

// (g) A value written in a module installed under .terraform/modules
// points at the module block that calls it (the hops inside the installed
// code are related); a value the repository passes to it points where the
// repository wrote it.
func TestLocationsInstalledModule(t *testing.T) {
	checkLocated(t, "installed/root", []string{
		`PCS-AWS-001 module.firewall.aws_vpc_security_group_ingress_rule.https cidr_ipv4 at installed/root/main.tf:1:1-1:18
  <- value written in the default of var.allowed_cidrs at installed/root/.terraform/modules/firewall/main.tf:7:14-7:25
  <- used by module.firewall.aws_vpc_security_group_ingress_rule.https cidr_ipv4 at installed/root/.terraform/modules/firewall/main.tf:26:23-26:43`,
		`PCS-AWS-001 module.firewall.aws_vpc_security_group_ingress_rule.ssh cidr_ipv4 at installed/root/main.tf:1:1-1:18
  <- value written in local.admin_cidr at installed/root/.terraform/modules/firewall/main.tf:11:16-11:27
  <- used by module.firewall.aws_vpc_security_group_ingress_rule.ssh cidr_ipv4 at installed/root/.terraform/modules/firewall/main.tf:35:23-35:39`,
		`PCS-AWS-001 module.firewall_passed.aws_vpc_security_group_ingress_rule.ssh cidr_ipv4 at installed/root/main.tf:8:1-8:25
  <- value written in local.admin_cidr at installed/root/.terraform/modules/firewall/main.tf:11:16-11:27
  <- used by module.firewall_passed.aws_vpc_security_group_ingress_rule.ssh cidr_ipv4 at installed/root/.terraform/modules/firewall/main.tf:35:23-35:39`,
		`PCS-AWS-001 module.firewall_passed.aws_vpc_security_group_ingress_rule.https cidr_ipv4 at installed/root/main.tf:13:20-13:31
  <- used by module.firewall_passed.aws_vpc_security_group_ingress_rule.https cidr_ipv4 at installed/root/.terraform/modules/firewall/main.tf:26:23-26:43`,
	})
}

// A resource for_each'd over a map from terraform.tfvars: a finding about
// an instance (no description) points at its entry's key in the tfvars
// file, quoted or not; a finding about a value at the value in the entry.
func TestLocationsForEachEntry(t *testing.T) {
	checkLocated(t, "foreach", []string{
		`PCS-AWS-003 aws_security_group_rule.app["web"] at foreach/terraform.tfvars:2:3-2:6
  <- creates aws_security_group_rule.app["web"] at foreach/main.tf:14:1-14:41`,
		`PCS-AWS-003 aws_security_group_rule.app["db-admin"] at foreach/terraform.tfvars:6:3-6:13
  <- creates aws_security_group_rule.app["db-admin"] at foreach/main.tf:14:1-14:41`,
		`PCS-AWS-001 aws_security_group_rule.app["db-admin"] cidr_blocks.0 at foreach/terraform.tfvars:8:12-8:23
  <- used by aws_security_group_rule.app["db-admin"] cidr_blocks.0 at foreach/main.tf:22:24-22:39`,
	})
}

// The elements a dynamic block is made from, written in the resource's
// own for_each: the finding points at the element's value, not at the
// content attribute that used it.
func TestLocationsDynamicForEach(t *testing.T) {
	checkLocated(t, "dynamic", []string{
		`PCS-AWS-001 aws_security_group.bastion ingress.1.cidr_blocks.0 at dynamic/main.tf:9:27-9:38
  <- used by aws_security_group.bastion ingress.1.cidr_blocks.0 at dynamic/main.tf:16:22-16:40`,
	})
}

// A tfvars list passed to a registry module that is not installed (the
// security-group module, understood from its inputs): the finding points
// at the element's string in the tfvars file, the argument that passed it
// is related.
func TestLocationsRegistryModule(t *testing.T) {
	checkLocated(t, "registry", []string{
		`PCS-AWS-001 module.web_sg.aws_security_group_rule.ingress_with_cidr_blocks[1] cidr_blocks.1 at registry/terraform.tfvars:14:19-14:42
  <- used by module.web_sg.aws_security_group_rule.ingress_with_cidr_blocks[1] cidr_blocks.1 at registry/main.tf:20:30-20:41`,
	})
}
