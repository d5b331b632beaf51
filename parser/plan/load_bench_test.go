package plan

import (
	"bytes"
	"fmt"
	"testing"
	"testing/fstest"
)

// BenchmarkLoad loads plans of n resource changes, shaped as
// `terraform show -json` writes them (one line; planned_values, before and
// after, prior_state, configuration with references): half security
// groups, half rules, each rule reading its group through count.index as
// a configuration generated with count does. Reported: ns and bytes per
// resource, and the plan's bytes per resource.
//
//	go test -run '^$' -bench BenchmarkLoad -benchmem -benchtime 3x ./parser/plan/
func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{1000, 10_000, 50_000} {
		data := genPlan(n)
		fsys := fstest.MapFS{"plan.json": {Data: data}}
		b.Run(fmt.Sprintf("resources=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				g := Load(fsys, "plan.json", Options{})
				if len(g.Diagnostics) != 0 || len(g.Resources) != n+1 {
					b.Fatalf("%d resources, diagnostics %v", len(g.Resources), g.Diagnostics)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/resource")
			b.ReportMetric(float64(len(data))/float64(n), "plan-bytes/resource")
		})
	}
}

// genPlan writes a plan of n resource changes (n even).
func genPlan(n int) []byte {
	var rc, pv bytes.Buffer
	sg := func(i int) string {
		return fmt.Sprintf(`{"description":"Managed by Terraform","ingress":[{"cidr_blocks":["10.%d.0.0/16"],"description":"https","from_port":443,`+
			`"ipv6_cidr_blocks":[],"prefix_list_ids":[],"protocol":"tcp","security_groups":[],"self":false,"to_port":443}],`+
			`"name":"sg-%d","revoke_rules_on_delete":false,"tags":{"Name":"sg-%d","Team":"platform"},"timeouts":null,"vpc_id":"vpc-0abc"}`, i%256, i, i)
	}
	rule := func(i int) string {
		return fmt.Sprintf(`{"cidr_blocks":["0.0.0.0/0"],"description":"rule %d","from_port":22,"ipv6_cidr_blocks":null,"prefix_list_ids":null,`+
			`"protocol":"tcp","self":false,"timeouts":null,"to_port":22,"type":"ingress"}`, i)
	}
	for i := range n / 2 {
		for _, r := range []struct{ typ, name, after, unknown, sensitive string }{
			{"aws_security_group", "sg", sg(i), `{"arn":true,"egress":true,"id":true,"ingress":[{"cidr_blocks":[false],"ipv6_cidr_blocks":[],"prefix_list_ids":[],"security_groups":[]}],"owner_id":true,"tags":{},"tags_all":true}`,
				`{"egress":[],"ingress":[{"cidr_blocks":[false],"ipv6_cidr_blocks":[],"prefix_list_ids":[],"security_groups":[]}],"tags":{},"tags_all":{}}`},
			{"aws_security_group_rule", "rule", rule(i), `{"cidr_blocks":[false],"id":true,"security_group_id":true,"security_group_rule_id":true,"source_security_group_id":true}`,
				`{"cidr_blocks":[false]}`},
		} {
			if rc.Len() > 0 {
				rc.WriteByte(',')
				pv.WriteByte(',')
			}
			head := fmt.Sprintf(`"address":"%s.%s[%d]","mode":"managed","type":%q,"name":%q,"index":%d,"provider_name":"registry.terraform.io/hashicorp/aws"`, r.typ, r.name, i, r.typ, r.name, i)
			fmt.Fprintf(&rc, `{%s,"change":{"actions":["create"],"before":null,"after":%s,"after_unknown":%s,"before_sensitive":false,"after_sensitive":%s}}`,
				head, r.after, r.unknown, r.sensitive)
			fmt.Fprintf(&pv, `{%s,"schema_version":1,"values":%s,"sensitive_values":%s}`, head, r.after, r.sensitive)
		}
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, `{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[%s]}},"resource_changes":[%s],`, pv.String(), rc.String())
	fmt.Fprintf(&out, `"prior_state":{"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{"resources":[`+
		`{"address":"data.aws_vpc.main","mode":"data","type":"aws_vpc","name":"main","provider_name":"registry.terraform.io/hashicorp/aws","schema_version":0,"values":{"cidr_block":"10.0.0.0/16","id":"vpc-0abc"},"sensitive_values":{}}]}}},`)
	fmt.Fprintf(&out, `"configuration":{"root_module":{"resources":[`+
		`{"address":"aws_security_group.sg","mode":"managed","type":"aws_security_group","name":"sg","provider_config_key":"aws","expressions":{"ingress":[{"cidr_blocks":{"references":["count.index"]},"from_port":{"constant_value":443},"protocol":{"constant_value":"tcp"},"to_port":{"constant_value":443}}],"name":{"references":["count.index"]},"vpc_id":{"references":["data.aws_vpc.main.id","data.aws_vpc.main"]}},"schema_version":1,"count_expression":{"constant_value":%d}},`+
		`{"address":"aws_security_group_rule.rule","mode":"managed","type":"aws_security_group_rule","name":"rule","provider_config_key":"aws","expressions":{"cidr_blocks":{"constant_value":["0.0.0.0/0"]},"from_port":{"constant_value":22},"protocol":{"constant_value":"tcp"},"security_group_id":{"references":["aws_security_group.sg","count.index"]},"to_port":{"constant_value":22},"type":{"constant_value":"ingress"}},"schema_version":2,"count_expression":{"constant_value":%d}},`+
		`{"address":"data.aws_vpc.main","mode":"data","type":"aws_vpc","name":"main","provider_config_key":"aws","expressions":{"default":{"constant_value":true}},"schema_version":0}]}},`+
		`"timestamp":"2025-01-01T00:00:00Z","applyable":true,"complete":true,"errored":false}`, n/2, n/2)
	return out.Bytes()
}
