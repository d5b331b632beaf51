# METADATA
# title: Security group that nothing uses
# description: |
#   A security group that is attached to nothing still holds rules that open
#   access, and it can be attached to an instance, a function or a database at
#   any moment, by anyone allowed to, without the review its rules would get in
#   a change that creates them. Unused groups accumulate, nobody remembers what
#   they were for, and the inventory of network access an auditor reviews no
#   longer matches what is deployed (SOC 2 CC6.1; AWS Foundational Security Best
#   Practices EC2.22).
#
#   The rule reports an aws_security_group, or a CloudFormation
#   AWS::EC2::SecurityGroup, that no resource or data source of the
#   configuration references: no reference edge leads to it from an instance,
#   launch template, network interface, load balancer, database, function,
#   cluster, security group rule, other group or anything else (in
#   CloudFormation, a DependsOn on it also counts as a use). A group's own rules
#   (aws_security_group_rule, aws_vpc_security_group_*_rule,
#   AWS::EC2::SecurityGroupIngress/Egress) count as references, so a group with
#   standalone rules is not reported. The default security group
#   (aws_default_security_group) is never reported.
#
#   Known gap, which makes this rule opt-in (enable it by name on deployable
#   configurations, not on reusable modules): the input document holds
#   resources only. A group exported through an output of the root module, or
#   through CloudFormation Outputs (an Export for other stacks), or passed to a
#   module that is not loaded (a registry module that is not installed) has no
#   edge, and is reported although it is used elsewhere. A group passed to a
#   local module, or read by the caller through a module output, is joined
#   through the edge like any other reference.
# custom:
#   id: PCS-AWS-014
#   name: unused-security-group
#   severity: low
#   precision: medium
#   enabled: false
#   controls:
#     - "SOC2:CC6.1"
#     - "AWS-FSBP:EC2.22"
#   remediation: |
#     Delete the group, or attach it where it is needed. A group kept for later
#     use is better created in the change that attaches it. If the group is used
#     by another configuration (exported as an output), suppress the finding
#     inline with that reason.
#
#     ```hcl
#     resource "aws_security_group" "app" {
#       name        = "app"
#       description = "Application servers"
#       vpc_id      = aws_vpc.main.id
#     }
#
#     resource "aws_instance" "app" {
#       ami                    = data.aws_ami.app.id
#       instance_type          = "t3.micro"
#       subnet_id              = aws_subnet.private.id
#       vpc_security_group_ids = [aws_security_group.app.id]
#     }
#     ```
#
#     ```yaml
#     AppInstance:
#       Type: AWS::EC2::Instance
#       Properties:
#         ImageId: !Ref AppImage
#         SubnetId: !Ref PrivateSubnet
#         SecurityGroupIds:
#           - !GetAtt AppSecurityGroup.GroupId
#     ```
#   resource_types:
#     - aws_security_group
#     - AWS::EC2::SecurityGroup
package portcullis.aws.ec2.unused_security_group

import data.portcullis.lib.resource

_where := {"aws_security_group": "configuration", "AWS::EC2::SecurityGroup": "template"}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_where))
	count(resource.referrers(res)) == 0
	not _depended_on[address]
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf(
			"%s is attached to nothing: no resource of the %s references it; delete it or attach it where it is needed",
			[address, _where[res.type]],
		),
	}
}

# _depended_on are the CloudFormation logical IDs named in a DependsOn.
_depended_on contains name if {
	some _, res in resource.managed
	resource.is_cloudformation(res)
	some name in _names(object.get(res, ["meta", "depends_on"], []))
}

_names(v) := v if is_array(v)

_names(v) := [v] if is_string(v)

_names(v) := [] if {
	not is_array(v)
	not is_string(v)
}
