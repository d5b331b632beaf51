# METADATA
# title: Security group ingress open to the internet
# description: |
#   A security group rule that accepts traffic from a CIDR with a prefix length of
#   0 (0.0.0.0/0 for IPv4, ::/0 for IPv6) lets every address on the internet reach
#   the attached resources on the ports it opens. Scanners find such openings
#   within minutes, and a reachable SSH, RDP, database, cache or cluster API port
#   is the usual first step of a compromise: brute force, exploitation of an
#   unpatched service, or direct access to data that was never meant to be
#   public. Network access to systems should be limited to the sources that need
#   it (SOC 2 CC6.1 logical access, CC6.6 boundary protection; CIS AWS 5.2 and
#   5.3).
#
#   The rule covers every form of ingress rule: inline ingress blocks of
#   aws_security_group and aws_default_security_group, aws_security_group_rule,
#   aws_vpc_security_group_ingress_rule, and the CloudFormation
#   AWS::EC2::SecurityGroup and AWS::EC2::SecurityGroupIngress forms. There is one
#   finding per open CIDR element, pointing at that element. It is critical when
#   the rule opens every protocol, every port, or a sensitive port (SSH, RDP,
#   databases, caches, container and cluster control planes: the list lives in
#   portcullis.lib.ports); high otherwise, because a public web port is sometimes
#   intended but still deserves a review. Rules whose peers are only other
#   security groups, prefix lists or the group itself are not open, a CIDR that
#   cannot be known statically is not reported, and egress is never reported.
# custom:
#   id: PCS-AWS-001
#   name: ingress-open-to-internet
#   severity: critical
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "CIS-AWS-3.0:5.2"
#     - "CIS-AWS-3.0:5.3"
#   remediation: |
#     Allow only the sources that need access: a corporate or VPN CIDR, a load
#     balancer's security group, or a managed prefix list. Reach administration
#     ports through AWS Systems Manager Session Manager or a bastion instead of
#     opening them to the internet. If a service really is public (HTTPS behind a
#     load balancer), open only its port, on the load balancer's group.
#
#       resource "aws_security_group" "web" {
#         name        = "web"
#         description = "Web servers, reachable from the load balancer only"
#         vpc_id      = aws_vpc.main.id
#
#         ingress {
#           description     = "HTTPS from the load balancer"
#           from_port       = 443
#           to_port         = 443
#           protocol        = "tcp"
#           security_groups = [aws_security_group.lb.id]
#         }
#       }
#   resource_types:
#     - aws_security_group
#     - aws_default_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::SecurityGroupIngress
package portcullis.aws.ec2.open_ingress

import data.portcullis.lib.cidr
import data.portcullis.lib.network
import data.portcullis.lib.ports

deny contains finding if {
	some rule in network.ingress
	open := [source |
		some source in array.concat(rule.ipv4, rule.ipv6)
		cidr.is_internet(source.cidr)
	]
	count(open) > 0

	# Worked out once per rule, not once per open CIDR.
	sensitive := _sensitive(rule)
	reach := _reach(rule, sensitive)
	severity := _severity(rule, sensitive)
	some source in open
	finding := {
		"resource": rule.resource,
		"attribute": source.path,
		"message": sprintf("Security group rule %s allows %s to %s", [network.label(rule), source.cidr, reach]),
		"severity": severity,
	}
}

# _sensitive(rule) lists the sensitive ports the rule opens, for the message;
# not needed when every port is open.
_sensitive(rule) := [] if rule.all_ports

else := ports.sensitive_in(rule)

# _critical(rule, sensitive) is true when the rule opens every protocol, every
# port or a sensitive port.
_critical(rule, _) if rule.all_protocols

_critical(rule, _) if rule.all_ports

_critical(_, sensitive) if count(sensitive) > 0

_severity(rule, sensitive) := "critical" if _critical(rule, sensitive)

else := "high"

# _max_listed caps the sensitive ports named in one message.
_max_listed := 6

# _reach(rule, sensitive) says what the rule opens, for the message.
_reach(rule, _) := "all traffic (protocol -1: every protocol, ports 0-65535)" if rule.all_protocols

_reach(rule, _) := "traffic whose protocol cannot be determined statically" if not rule.protocol_known

_reach(rule, _) := sprintf("%s ports that cannot be determined statically", [_protocol_name(rule.protocol)]) if {
	rule.port_based
	not rule.all_protocols
	not rule.ports_known
}

_reach(rule, _) := _protocol_name(rule.protocol) if {
	rule.protocol_known
	not rule.port_based
}

_reach(rule, sensitive) := sprintf("%s %s", [_protocol_name(rule.protocol), _port_text(rule, sensitive)]) if {
	rule.port_based
	rule.ports_known
	not rule.all_protocols
}

_protocol_names := {"tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPv6"}

_protocol_name(p) := _protocol_names[p]

_protocol_name(p) := sprintf("protocol %s", [p]) if not _protocol_names[p]

_port_text(rule, _) := sprintf("port %s", [ports.label(rule.from_port)]) if rule.from_port == rule.to_port

_port_text(rule, _) := sprintf("ports %v-%v (all)", [rule.from_port, rule.to_port]) if {
	rule.from_port != rule.to_port
	rule.all_ports
}

_port_text(rule, sensitive) := sprintf("ports %v-%v%s", [rule.from_port, rule.to_port, _including(sensitive)]) if {
	rule.from_port != rule.to_port
	not rule.all_ports
}

_including(sensitive) := "" if count(sensitive) == 0

_including(sensitive) := sprintf(" including %s", [concat(", ", [ports.label(p) | some p in sensitive])]) if {
	count(sensitive) > 0
	count(sensitive) <= _max_listed
}

_including(sensitive) := sprintf(" including %s and %v more sensitive ports", [
	concat(", ", [ports.label(p) | some p in array.slice(sensitive, 0, _max_listed)]),
	count(sensitive) - _max_listed,
]) if {
	count(sensitive) > _max_listed
}
