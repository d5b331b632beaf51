# METADATA
# title: Network egress unrestricted
# description: |
#   A rule that lets every protocol and port leave to 0.0.0.0/0 or ::/0 puts no
#   boundary on outbound traffic: a compromised workload can send data anywhere,
#   reach command-and-control servers, and attack other networks, and nothing in
#   the network records or limits it. SOC 2 CC6.6 asks for boundary protection
#   in both directions; restricting egress to the destinations a workload needs
#   (package mirrors, AWS endpoints through VPC endpoints, known APIs) is how it
#   is evidenced.
#
#   The rule reports egress rules written in the configuration that allow every
#   protocol (-1), or every port of TCP or UDP, to a CIDR with prefix length 0:
#   inline egress blocks of aws_security_group, aws_security_group_rule of type
#   egress, aws_vpc_security_group_egress_rule, CloudFormation
#   SecurityGroupEgress entries and AWS::EC2::SecurityGroupEgress, and network
#   ACL egress rules (inline, aws_network_acl_rule, AWS::EC2::NetworkAclEntry)
#   that no earlier deny of the internet restricts (a deny of private ranges
#   does not). One finding per open CIDR element. It does
#   not report the allow-all egress rule that AWS adds to a CloudFormation
#   security group declared without SecurityGroupEgress (nothing in the
#   template to point at), nor default security groups (PCS-AWS-002 reports
#   any rule on those). The severity is low: unrestricted egress is the AWS
#   default and common, and it opens nothing inbound, but it is the control an
#   auditor samples for data exfiltration.
# custom:
#   id: PCS-AWS-004
#   name: egress-unrestricted
#   severity: low
#   precision: very-high
#   controls:
#     - "SOC2:CC6.6"
#     - "SOC2:CC6.7"
#   remediation: |
#     Allow only the destinations and ports the workload needs: HTTPS to the
#     internet through a NAT gateway or proxy, database ports to the database's
#     security group, AWS services through VPC endpoints and their prefix lists.
#
#     ```hcl
#     resource "aws_vpc_security_group_egress_rule" "https_out" {
#       security_group_id = aws_security_group.app.id
#       description       = "HTTPS to package mirrors and AWS APIs"
#       ip_protocol       = "tcp"
#       from_port         = 443
#       to_port           = 443
#       cidr_ipv4         = "0.0.0.0/0"
#     }
#     ```
#
#     ```yaml
#     AppSecurityGroup:
#       Type: AWS::EC2::SecurityGroup
#       Properties:
#         GroupDescription: Application servers
#         VpcId: !Ref Vpc
#         SecurityGroupEgress:
#           - Description: HTTPS to package mirrors and AWS APIs
#             IpProtocol: tcp
#             FromPort: 443
#             ToPort: 443
#             CidrIp: 0.0.0.0/0
#     ```
#   resource_types:
#     - aws_security_group
#     - aws_default_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_egress_rule
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::SecurityGroupEgress
#     - aws_network_acl
#     - aws_default_network_acl
#     - aws_network_acl_rule
#     - AWS::EC2::NetworkAclEntry
package portcullis.aws.ec2.open_egress

import data.portcullis.lib.network

deny contains network.open_egress_finding(exposure) if {
	some exposure in network.open_egress
	exposure.rule.provider == "aws"
	not _on_default_group(exposure.rule)
}

# PCS-AWS-002 reports every rule of a default security group: its inline
# blocks and the standalone rules whose edge leads to it.
_on_default_group(rule) if rule.resource_type == "aws_default_security_group"

_on_default_group(rule) if input.resources[rule.protects].type == "aws_default_security_group"
