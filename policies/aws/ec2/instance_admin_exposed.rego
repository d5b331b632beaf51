# METADATA
# title: Instance with a public IP address and an administration port open to the internet
# description: |
#   An instance with a public IP address whose security group admits the
#   internet on SSH, RDP, WinRM, VNC, Telnet or another remote administration
#   port (or on every port) can be reached by every scanner on the internet;
#   brute force and exploits of the administration service are the usual first
#   step of a compromise. Unlike an open rule alone, this is a complete path:
#   the address exists and the group admits the traffic (SOC 2 CC6.1, CC6.6).
#
#   The rule follows reference edges, never names. The public address comes
#   from associate_public_ip_address = true on aws_instance or on a network
#   interface of aws_launch_template; from the subnet the instance is placed
#   in (subnet_id leading to an aws_subnet with map_public_ip_on_launch =
#   true, or to an aws_default_subnet, which maps public addresses unless told
#   not to) when the instance does not turn it off; from naming no subnet at
#   all (no subnet_id, network_interface or launch_template: AWS launches it
#   in a default subnet, and default subnets map public addresses); or from an
#   aws_eip whose instance refers to it. CloudFormation: AWS::EC2::Instance with a network
#   interface that has AssociatePublicIpAddress true, a SubnetId leading to
#   an AWS::EC2::Subnet with MapPublicIpOnLaunch true, no SubnetId,
#   NetworkInterfaces or LaunchTemplate at all, or an AWS::EC2::EIP naming
#   it; AWS::EC2::LaunchTemplate with a network interface that has
#   AssociatePublicIpAddress true. The groups are those the instance or
#   template attaches through vpc_security_group_ids, security_groups,
#   network interface groups (SecurityGroupIds, SecurityGroups, GroupSet,
#   Groups), and what they admit is read through the normalised network model
#   (so a group opened by a separate rule resource counts). One finding per
#   exposed group, critical, naming the chain; the finding points at what
#   gives the address.
# custom:
#   id: PCS-AWS-016
#   name: instance-admin-port-exposed
#   severity: critical
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "AWS-FSBP:EC2.9"
#     - "AWS-FSBP:EC2.13"
#   remediation: |
#     Do not give administration ports a path from the internet. Reach instances
#     through AWS Systems Manager Session Manager (no inbound port at all) or a
#     bastion in front of a VPN, keep instances in private subnets without
#     public addresses, and admit SSH or RDP from the bastion's or VPN's group.
#
#     ```hcl
#     resource "aws_instance" "app" {
#       # ...
#       subnet_id                   = aws_subnet.private_a.id
#       associate_public_ip_address = false
#       vpc_security_group_ids      = [aws_security_group.app.id]
#       iam_instance_profile        = aws_iam_instance_profile.ssm.name
#     }
#     ```
#
#     ```yaml
#     AppInstance:
#       Type: AWS::EC2::Instance
#       Properties:
#         SubnetId: !Ref PrivateSubnetA
#         SecurityGroupIds:
#           - !Ref AppSecurityGroup
#         IamInstanceProfile: !Ref SsmInstanceProfile
#     ```
#   resource_types:
#     - aws_instance
#     - aws_launch_template
#     - aws_subnet
#     - aws_default_subnet
#     - aws_eip
#     - aws_eip_association
#     - AWS::EC2::Instance
#     - AWS::EC2::LaunchTemplate
#     - AWS::EC2::Subnet
#     - AWS::EC2::EIP
#     - AWS::EC2::EIPAssociation
#     - aws_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::SecurityGroupIngress
package portcullis.aws.ec2.instance_admin_exposed

import data.portcullis.lib.network
import data.portcullis.lib.ports
import data.portcullis.lib.resource

# _groups: type -> attributes that attach security groups.
_groups := {
	"aws_instance": ["vpc_security_group_ids", "security_groups", "network_interface"],
	"aws_launch_template": ["vpc_security_group_ids", "security_group_names", "network_interfaces"],
	"AWS::EC2::Instance": ["SecurityGroupIds", "SecurityGroups", "NetworkInterfaces"],
	"AWS::EC2::LaunchTemplate": ["LaunchTemplateData.SecurityGroupIds", "LaunchTemplateData.SecurityGroups", "LaunchTemplateData.NetworkInterfaces"],
}

_what := {
	"aws_instance": "Instance",
	"aws_launch_template": "Launch template",
	"AWS::EC2::Instance": "Instance",
	"AWS::EC2::LaunchTemplate": "Launch template",
}

# _public holds [address, {attribute, text}]: the reasons a resource gets a
# public address.
_public contains [address, {"attribute": "associate_public_ip_address", "text": "associate_public_ip_address = true"}] if {
	some address, res in resource.by_type.aws_instance
	resource.is_true(res, ["associate_public_ip_address"])
}

_public contains [address, {"attribute": attr, "text": "associate_public_ip_address = true"}] if {
	some address, res in resource.by_type.aws_launch_template
	some i, ni in object.get(res, ["values", "network_interfaces"], [])
	is_object(ni)
	resource.truthy(object.get(ni, "associate_public_ip_address", null))
	attr := sprintf("network_interfaces.%d.associate_public_ip_address", [i])
}

_public contains [address, {"attribute": attr, "text": "AssociatePublicIpAddress: true"}] if {
	some address, res in resource.by_type["AWS::EC2::Instance"]
	some i, ni in object.get(res, ["values", "NetworkInterfaces"], [])
	is_object(ni)
	resource.truthy(object.get(ni, "AssociatePublicIpAddress", null))
	attr := sprintf("NetworkInterfaces.%d.AssociatePublicIpAddress", [i])
}

_public contains [address, {"attribute": attr, "text": "AssociatePublicIpAddress: true"}] if {
	some address, res in resource.by_type["AWS::EC2::LaunchTemplate"]
	some i, ni in object.get(res, ["values", "LaunchTemplateData", "NetworkInterfaces"], [])
	is_object(ni)
	resource.truthy(object.get(ni, "AssociatePublicIpAddress", null))
	attr := sprintf("LaunchTemplateData.NetworkInterfaces.%d.AssociatePublicIpAddress", [i])
}

# Placed in a subnet that maps public addresses on launch, and not turned off.
_public contains [address, {"attribute": "subnet_id", "text": sprintf("subnet %s maps public IP addresses on launch", [subnet])}] if {
	some address, res in resource.by_type.aws_instance
	not resource.is_false(res, ["associate_public_ip_address"])
	not resource.unknown(res, ["associate_public_ip_address"])
	some subnet in resource.targets(res, "subnet_id")
	_maps_public(input.resources[subnet])
}

_public contains [address, {"attribute": "SubnetId", "text": sprintf("subnet %s maps public IP addresses on launch", [subnet])}] if {
	some address, res in resource.by_type["AWS::EC2::Instance"]
	some subnet in resource.targets(res, "SubnetId")
	_maps_public(input.resources[subnet])
}

# Placed nowhere: AWS launches it in a default subnet of the default VPC,
# and default subnets map public IP addresses on launch.
_public contains [address, {"attribute": "", "text": "it names no subnet, so AWS launches it in a default subnet, which maps public IP addresses"}] if {
	some address, res in resource.by_type.aws_instance
	not resource.set(res, "subnet_id")
	not resource.set(res, "network_interface")
	not resource.set(res, "launch_template")
	not resource.set(res, "associate_public_ip_address")
}

_public contains [address, {"attribute": "", "text": "it names no subnet, so AWS launches it in a default subnet, which maps public IP addresses"}] if {
	some address, res in resource.by_type["AWS::EC2::Instance"]
	not resource.set(res, "SubnetId")
	not resource.set(res, "NetworkInterfaces")
	not resource.set(res, "LaunchTemplate")
}

# An Elastic IP address associated with it.
_public contains [address, {"attribute": "", "text": sprintf("Elastic IP %s is associated with it", [eip])}] if {
	some address, res in resource.of_types({"aws_instance", "AWS::EC2::Instance"})
	some attr in _eip_attributes[res.type]
	some eip in resource.referrers_by(res, {"aws_eip", "aws_eip_association", "AWS::EC2::EIP", "AWS::EC2::EIPAssociation"}, attr)
}

_eip_attributes := {"aws_instance": ["instance", "instance_id"], "AWS::EC2::Instance": ["InstanceId"]}

_maps_public(subnet) if {
	subnet.type in {"aws_subnet", "AWS::EC2::Subnet"}
	some attr in ["map_public_ip_on_launch", "MapPublicIpOnLaunch"]
	resource.is_true(subnet, [attr])
}

_maps_public(subnet) if {
	subnet.type == "aws_default_subnet"
	not resource.is_false(subnet, ["map_public_ip_on_launch"])
	not resource.unknown(subnet, ["map_public_ip_on_launch"])
}

# _admin(e) is true when exposure e reaches a remote administration port (or
# every port).
_admin(e) if e.rule.all_protocols

_admin(e) if {
	e.rule.port_based
	e.rule.ports_known
	some r in e.ranges
	some p, entry in ports.catalogue
	entry.category == "admin"
	r.from <= p
	p <= r.to
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_groups))
	reasons := {r | some [a, r] in _public; a == address}
	count(reasons) > 0
	reason := _first_reason(reasons)
	some g in network.attached_groups(res, _groups[res.type])
	exposures := [e | some e in object.get(network.group_exposures, g.group, []); _admin(e)]
	count(exposures) > 0
	e := network.first_exposure(exposures)
	finding := {
		"resource": address,
		"attribute": reason.attribute,
		"message": sprintf("%s %s has a public IP address (%s) and its security group %s (attached through %s) %s: every scanner on the internet can reach its administration port", [
			_what[res.type], address, reason.text, g.group, g.attribute, network.exposure_text(e),
		]),
	}
}

_first_reason(reasons) := r if {
	keys := sort({[x.attribute, x.text] | some x in reasons})
	some r in reasons
	[r.attribute, r.text] == keys[0]
}
