package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"testing"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// TestBuiltinRulesSurviveAnyValue feeds the built-in rules values of every
// kind where they expect a string, a number, a list or an object. Builtins
// run in strict mode, so a builtin that fails on a value the repository
// chose would cost a rule all its findings for the root: the rules must
// guard every builtin instead, and report no diagnostic here.
func TestBuiltinRulesSurviveAnyValue(t *testing.T) {
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	odd := []any{
		nil, true, "abc", json.Number("22"), json.Number("1e400"), []any{}, []any{nil},
		[]any{"0.0.0.0/0", json.Number("1"), nil, []any{"x"}, map[string]any{"a": "b"}},
		map[string]any{}, map[string]any{"name": "isDefault", "values": json.Number("5")}, map[string]any{"0": "0.0.0.0/0"}, "*",
		false, " ", "-1", "0.0.0.0/0", "true", json.Number("-1"), json.Number("22.5"), json.Number("123456789012345678901234567890"),
		[]any{map[string]any{"name": "isDefault", "values": "true"}}, []any{map[string]any{"name": "isDefault", "values": json.Number("5")}},
		[]any{map[string]any{"name": json.Number("1"), "values": nil}}, []any{json.Number("1"), "x"}, []any{map[string]any{"name": "default-for-az", "values": []any{true, "TRUE", nil}}},
	}
	names := []string{
		"type", "protocol", "ip_protocol", "from_port", "to_port", "cidr_blocks", "ipv6_cidr_blocks", "security_groups",
		"prefix_list_ids", "self", "description", "cidr_ipv4", "cidr_ipv6", "referenced_security_group_id", "prefix_list_id",
		"source_security_group_id", "security_group_id", "vpc_id", "subnet_id", "subnet_ids", "subnets", "subnet_mapping",
		"network_interface", "launch_template", "db_subnet_group_name", "replicate_source_db", "default", "default_for_az", "filter",
		"vpc_zone_identifier", "tags",
		"IpProtocol", "FromPort", "ToPort", "CidrIp", "CidrIpv6", "SourceSecurityGroupId", "SourceSecurityGroupName",
		"SourcePrefixListId", "DestinationSecurityGroupId", "DestinationPrefixListId", "Description", "GroupId", "GroupDescription",
		"VpcId", "SubnetId", "NetworkInterfaces", "LaunchTemplate", "DBSubnetGroupName", "SourceDBInstanceIdentifier",
		"DBClusterIdentifier", "Subnets", "SubnetMappings",
	}
	// Every type a built-in rule declares, and every identifier-like string
	// constant of the built-in policies (the attribute names they read),
	// so a new rule is covered without a change here.
	managed, constants := builtinTypesAndConstants(t, eng)
	managed = append(managed, []string{
		"aws_security_group", "aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
		"aws_vpc_security_group_egress_rule", "aws_instance", "aws_db_instance", "aws_lb", "aws_alb", "aws_elb", "aws_default_vpc",
		"aws_default_subnet", "aws_flow_log", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
		"AWS::EC2::Instance", "AWS::RDS::DBInstance", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer",
	}...)
	data := []string{"aws_vpc", "aws_subnet", "aws_subnets", "aws_subnet_ids"}
	// Every odd value goes into the attributes of the curated list; the
	// first ones (a representative of each kind) also into every constant,
	// which is slower.
	const withConstants = 8
	if raceEnabled {
		// The race detector makes each document about ten times slower;
		// the values are the same code paths.
		odd = odd[:3]
	}
	for i, v := range odd {
		t.Run(fmt.Sprintf("%d %v", i, v), func(t *testing.T) {
			t.Parallel()
			keys := names
			if i < withConstants {
				keys = append(append([]string{}, names...), constants...)
			}
			attrs := func() map[string]any {
				m := map[string]any{}
				for _, n := range keys {
					m[n] = v
				}
				return m
			}
			var unknown map[string]any
			if b, ok := v.(bool); ok {
				unknown = map[string]any{}
				for _, n := range names {
					unknown[n] = b
				}
			}
			g := &graph.Graph{Format: graph.FormatTerraform, Root: "odd"}
			var all []string
			add := func(mode, typ string, values map[string]any) {
				addr := fmt.Sprintf("%s.r%d", typ, len(g.Resources))
				if mode == "data" {
					addr = "data." + addr
				}
				all = append(all, addr)
				g.Resources = append(g.Resources, &graph.Resource{Address: addr, Mode: mode, Type: typ, Format: graph.FormatTerraform,
					Values: values, Unknown: unknown})
			}
			for _, typ := range managed {
				add("managed", typ, attrs())
				blocks := attrs()
				for _, b := range []string{"ingress", "egress", "SecurityGroupIngress", "SecurityGroupEgress", "security_rule", "allow", "deny",
					"network_interfaces", "NetworkInterfaces", "LaunchTemplateData", "versioning", "logging", "statement", "Statement",
					"default_action", "DefaultActions", "Listeners", "listener", "rule", "Rules", "log_config", "vpc_options", "VPCOptions",
					"image_scanning_configuration", "encryption_configuration", "server_side_encryption_configuration",
					"versioning_configuration", "BucketEncryption", "ServerSideEncryptionConfiguration", "PolicyDocument"} {
					blocks[b] = []any{attrs(), v}
				}
				add("managed", typ, blocks)
				single := attrs()
				single["ingress"], single["SecurityGroupIngress"] = attrs(), v
				add("managed", typ, single)
			}
			for _, typ := range data {
				add("data", typ, attrs())
			}
			// Each resource references a resource of every type (the data
			// sources included) through placement and group attributes.
			for i, r := range g.Resources {
				for j := i % 5; j < len(all); j += 5 * (1 + len(all)/200) {
					for _, a := range []string{"vpc_id", "subnet_id", "security_group_id", "GroupId", "ingress.0.security_groups.0", "subnets.1"} {
						r.Refs = append(r.Refs, graph.Ref{Attribute: a, Target: all[j], TargetAttribute: "id"})
					}
				}
			}
			g.Link()
			// A guard against a hang, not a measure of speed (benchmarks
			// measure): one value takes about 5 s alone, and 61 s once
			// under a full parallel go test ./... on 2 cores.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			_, diags, err := eng.Evaluate(ctx, g)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diags {
				t.Errorf("%s: %s", d.Summary, d.Detail)
			}
		})
	}
}

// identifier matches the string constants of the built-in policies that may
// be attribute names.
var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// builtinTypesAndConstants lists the resource types of every built-in rule
// and the identifier-like string constants of every built-in module.
func builtinTypesAndConstants(t *testing.T, eng *Engine) (types, constants []string) {
	t.Helper()
	seen := map[string]bool{}
	for _, r := range eng.Rules() {
		for _, typ := range r.ResourceTypes {
			if !seen[typ] {
				seen[typ] = true
				types = append(types, typ)
			}
		}
	}
	mods, err := ReadModules(BuiltinSource())
	if err != nil {
		t.Fatal(err)
	}
	strs := map[string]bool{}
	for _, m := range mods {
		ast.WalkTerms(m, func(term *ast.Term) bool {
			if s, ok := term.Value.(ast.String); ok && identifier.MatchString(string(s)) {
				strs[string(s)] = true
			}
			return false
		})
	}
	for s := range strs {
		constants = append(constants, s)
	}
	sort.Strings(types)
	sort.Strings(constants)
	return types, constants
}
