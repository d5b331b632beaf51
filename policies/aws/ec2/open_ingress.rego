# METADATA
# title: Network ingress open to the internet
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
#   The rule covers every form of AWS ingress rule, read through the normalised
#   network model (portcullis.lib.network):
#   - security groups: inline ingress blocks of aws_security_group and
#     aws_default_security_group, aws_security_group_rule,
#     aws_vpc_security_group_ingress_rule, and the CloudFormation
#     AWS::EC2::SecurityGroup and AWS::EC2::SecurityGroupIngress forms;
#   - network ACLs: inline ingress blocks of aws_network_acl and
#     aws_default_network_acl, aws_network_acl_rule and
#     AWS::EC2::NetworkAclEntry. A NACL evaluates its rules in rule-number
#     order, so an allow is judged on what it actually admits: a deny of the
#     internet with a lower rule number in the same ACL takes its ports away,
#     and an allow that is denied completely is not reported;
#   - EC2-Classic era groups that open a database, data warehouse or cache
#     port to a CIDR: aws_db_security_group, aws_redshift_security_group,
#     AWS::RDS::DBSecurityGroup(Ingress),
#     AWS::Redshift::ClusterSecurityGroupIngress.
#   There is one finding per open CIDR element, pointing at that element. The
#   severity comes from the port catalogue (portcullis.lib.ports): critical
#   when the rule opens every protocol, every port, or a port of remote
#   administration, a database, cache, search engine, message queue, file
#   share or container control plane; high for web and monitoring ports, other
#   ports and port-less protocols, because a public web port is sometimes
#   intended but still deserves a review. A network ACL is the second layer
#   (the security group still decides what reaches an instance): an ACL entry
#   that admits every port from the internet filters nothing, as AWS's
#   default ACL does, and is medium; one that admits chosen critical ports is
#   high; any other (web ports, ICMP, the ephemeral ports 1024-65535 that a
#   stateless ACL must open for replies) is medium. Rules whose peers are only other
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
#     - "CIS-AWS-3.0:5.1"
#     - "CIS-AWS-3.0:5.2"
#     - "CIS-AWS-3.0:5.3"
#     - "AWS-FSBP:EC2.13"
#     - "AWS-FSBP:EC2.18"
#     - "AWS-FSBP:EC2.19"
#     - "AWS-FSBP:EC2.21"
#   remediation: |
#     Allow only the sources that need access: a corporate or VPN CIDR, a load
#     balancer's security group, or a managed prefix list. Reach administration
#     ports through AWS Systems Manager Session Manager or a bastion instead of
#     opening them to the internet. If a service really is public (HTTPS behind a
#     load balancer), open only its port, on the load balancer's group. In a
#     network ACL, put a deny of the administration ports before a broad allow.
#
#     ```hcl
#     resource "aws_security_group" "web" {
#       name        = "web"
#       description = "Web servers, reachable from the load balancer only"
#       vpc_id      = aws_vpc.main.id
#
#       ingress {
#         description     = "HTTPS from the load balancer"
#         from_port       = 443
#         to_port         = 443
#         protocol        = "tcp"
#         security_groups = [aws_security_group.lb.id]
#       }
#     }
#     ```
#
#     ```yaml
#     WebSecurityGroup:
#       Type: AWS::EC2::SecurityGroup
#       Properties:
#         GroupDescription: Web servers, reachable from the load balancer only
#         VpcId: !Ref Vpc
#         SecurityGroupIngress:
#           - Description: HTTPS from the load balancer
#             IpProtocol: tcp
#             FromPort: 443
#             ToPort: 443
#             SourceSecurityGroupId: !Ref LoadBalancerSecurityGroup
#     ```
#   resource_types:
#     - aws_security_group
#     - aws_default_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::SecurityGroupIngress
#     - aws_network_acl
#     - aws_default_network_acl
#     - aws_network_acl_rule
#     - AWS::EC2::NetworkAclEntry
#     - aws_db_security_group
#     - aws_redshift_security_group
#     - AWS::RDS::DBSecurityGroup
#     - AWS::RDS::DBSecurityGroupIngress
#     - AWS::Redshift::ClusterSecurityGroupIngress
package portcullis.aws.ec2.open_ingress

import data.portcullis.lib.network

deny contains network.open_ingress_finding(exposure) if {
	some exposure in network.open_ingress
	exposure.rule.provider == "aws"
}
