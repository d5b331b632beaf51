package policies

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

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
		nil, true, false, "", " ", "abc", "22", " 22 ", "-1", "1e3", "0.0.0.0/0", "::/0", "0.0.0.0", "tcp", "TCP", "all", "true",
		json.Number("0"), json.Number("-1"), json.Number("22"), json.Number("22.5"), json.Number("1e400"), json.Number("-1e400"),
		json.Number("65536"), json.Number("123456789012345678901234567890"),
		[]any{}, []any{nil}, []any{"0.0.0.0/0", json.Number("1"), nil, []any{"x"}, map[string]any{"a": "b"}},
		map[string]any{}, map[string]any{"name": "isDefault", "values": json.Number("5")}, map[string]any{"0": "0.0.0.0/0"},
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
	managed := []string{
		"aws_security_group", "aws_default_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
		"aws_vpc_security_group_egress_rule", "aws_instance", "aws_db_instance", "aws_lb", "aws_alb", "aws_elb", "aws_default_vpc",
		"aws_default_subnet", "aws_flow_log", "AWS::EC2::SecurityGroup", "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress",
		"AWS::EC2::Instance", "AWS::RDS::DBInstance", "AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer",
	}
	data := []string{"aws_vpc", "aws_subnet", "aws_subnets", "aws_subnet_ids"}
	for i, v := range odd {
		t.Run(fmt.Sprintf("%d %v", i, v), func(t *testing.T) {
			attrs := func() map[string]any {
				m := map[string]any{}
				for _, n := range names {
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
				for _, b := range []string{"ingress", "egress", "SecurityGroupIngress", "SecurityGroupEgress"} {
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
				for j := i % 5; j < len(all); j += 5 {
					for _, a := range []string{"vpc_id", "subnet_id", "security_group_id", "GroupId", "ingress.0.security_groups.0", "subnets.1"} {
						r.Refs = append(r.Refs, graph.Ref{Attribute: a, Target: all[j], TargetAttribute: "id"})
					}
				}
			}
			g.Link()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
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
