# METADATA
# title: Subnet assigns public IP addresses at launch
# description: |
#   A subnet that maps a public IPv4 address to every network interface launched
#   in it makes each instance, container task or database replica placed there
#   addressable from the internet, whether or not it was meant to be. Its only
#   protection is then the security group, so a single overly broad rule (or a
#   forgotten default group) exposes the workload directly. Public addresses
#   should be given to the few resources that must be reached from the internet
#   (load balancers, NAT gateways, bastions) explicitly, not to a whole subnet by
#   default (SOC 2 CC6.6 boundary protection; AWS Foundational Security Best
#   Practices EC2.15).
#
#   The rule reports an aws_subnet or a CloudFormation AWS::EC2::Subnet whose
#   map_public_ip_on_launch (MapPublicIpOnLaunch) is true, pointing at that
#   value; and an aws_default_subnet, which assigns public addresses unless
#   map_public_ip_on_launch is set to false (the provider's default for a
#   default subnet is true), at the value or at the resource when it is not
#   set. A value that cannot be known statically is not reported. Public IPv6
#   addresses (assign_ipv6_address_on_creation) are not reported: IPv6 subnets
#   have no private address space to fall back to.
# custom:
#   id: PCS-AWS-010
#   name: subnet-public-ip-on-launch
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC6.6"
#     - "AWS-FSBP:EC2.15"
#   remediation: |
#     Turn automatic public addresses off and give a public address only to what
#     must be reachable: put instances in private subnets behind a load balancer
#     or a NAT gateway, and set associate_public_ip_address on the few instances
#     (or launch templates) that need one.
#
#     ```hcl
#     resource "aws_subnet" "public" {
#       vpc_id                  = aws_vpc.main.id
#       cidr_block              = "10.0.0.0/24"
#       map_public_ip_on_launch = false
#     }
#     ```
#
#     ```yaml
#     PublicSubnet:
#       Type: AWS::EC2::Subnet
#       Properties:
#         VpcId: !Ref Vpc
#         CidrBlock: 10.0.0.0/24
#         MapPublicIpOnLaunch: false
#     ```
#   resource_types:
#     - aws_subnet
#     - aws_default_subnet
#     - AWS::EC2::Subnet
package portcullis.aws.ec2.subnet_public_ip

import data.portcullis.lib.resource

# _attribute: subnet type -> the attribute that maps public addresses.
_attribute := {
	"aws_subnet": "map_public_ip_on_launch",
	"aws_default_subnet": "map_public_ip_on_launch",
	"AWS::EC2::Subnet": "MapPublicIpOnLaunch",
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_attribute))
	attr := _attribute[res.type]
	resource.is_true(res, [attr])
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf(
			"%s sets %s to true, so every instance launched in it gets a public IPv4 address; set it to false and give public addresses only to the resources that must be reachable",
			[address, attr],
		),
	}
}

deny contains finding if {
	some address, res in resource.of_types({"aws_default_subnet"})
	resource.missing(res, "map_public_ip_on_launch")
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf(
			"%s does not set map_public_ip_on_launch, and a default subnet assigns a public IPv4 address to every instance launched in it; set map_public_ip_on_launch = false",
			[address],
		),
	}
}
