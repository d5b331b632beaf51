# METADATA
# title: Security group egress to the internet on every port
# description: |
#   An example of a platform team's own rule, written against the same
#   normalised network view as the built-in rules: egress to 0.0.0.0/0 or ::/0
#   on every protocol and port lets a compromised workload reach any host.
# custom:
#   id: ACME-NET-001
#   name: egress-open-to-internet
#   severity: low
#   controls: ["SOC2:CC6.6"]
#   remediation: |
#     Allow egress only to the destinations and ports the workload needs, for
#     example HTTPS (443) to the internet or a VPC endpoint's prefix list.
#   resource_types: [aws_security_group, aws_security_group_rule, aws_vpc_security_group_egress_rule]
package acme.network.egress_all

import data.portcullis.lib.cidr
import data.portcullis.lib.network

deny contains {
	"resource": rule.resource,
	"attribute": source.path,
	"message": sprintf("%s allows egress to %s on every protocol and port", [rule.resource, source.cidr]),
} if {
	some rule in network.rules
	rule.direction == "egress"
	rule.all_protocols
	some source in array.concat(rule.ipv4, rule.ipv6)
	cidr.is_internet(source.cidr)
}
