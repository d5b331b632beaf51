# METADATA
# title: VPC without flow logs
# description: |
#   VPC flow logs record the IP traffic accepted and rejected by the network
#   interfaces of a VPC. Without them there is no record of which addresses
#   reached a workload, scanned it or received data from it, so an intrusion or
#   an exfiltration cannot be detected, investigated or bounded afterwards
#   (SOC 2 CC7.2 monitoring of system components for anomalies; CIS AWS 3.7;
#   AWS Foundational Security Best Practices EC2.6).
#
#   The rule reports an aws_vpc or aws_default_vpc that no aws_flow_log of the
#   configuration references through its vpc_id, and a CloudFormation
#   AWS::EC2::VPC that no AWS::EC2::FlowLog references through its ResourceId
#   (with ResourceType VPC, or a ResourceType not known statically). Flow logs
#   are joined to VPCs only through reference edges, never by name.
#   Flow logs on subnets or network interfaces alone do not count: they leave
#   the rest of the VPC unrecorded.
#
#   To avoid false alarms the rule is conservative: when the configuration
#   (the Terraform root module with its modules, or the template) holds a VPC
#   flow log whose VPC cannot be followed through an edge (an ID written as a
#   literal, a variable, a remote module output or an imported value), no VPC of
#   that configuration is reported, since that flow log may record any of them.
#   A flow log managed in another configuration (a central network account) is
#   not visible and the VPC is reported; suppress the finding inline with the
#   reason.
# custom:
#   id: PCS-AWS-011
#   name: vpc-flow-logs
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC7.2"
#     - "CIS-AWS-3.0:3.7"
#     - "AWS-FSBP:EC2.6"
#   remediation: |
#     Create a flow log for every VPC, capturing all traffic (or at least
#     rejected traffic), to CloudWatch Logs or S3, and keep the logs as long as
#     your incident response needs.
#
#     ```hcl
#     resource "aws_flow_log" "main" {
#       vpc_id               = aws_vpc.main.id
#       traffic_type         = "ALL"
#       log_destination_type = "s3"
#       log_destination      = aws_s3_bucket.flow_logs.arn
#     }
#     ```
#
#     ```yaml
#     VpcFlowLog:
#       Type: AWS::EC2::FlowLog
#       Properties:
#         ResourceId: !Ref Vpc
#         ResourceType: VPC
#         TrafficType: ALL
#         LogDestinationType: s3
#         LogDestination: !GetAtt FlowLogBucket.Arn
#     ```
#   resource_types:
#     - aws_vpc
#     - aws_default_vpc
#     - aws_flow_log
#     - AWS::EC2::VPC
#     - AWS::EC2::FlowLog
package portcullis.aws.ec2.vpc_flow_logs

import data.portcullis.lib.resource

# _forms: flow log type -> the attribute naming the VPC, the VPC types it may
# reference, and what the scanned unit is called in messages.
_forms := {
	"aws_flow_log": {"vpc": "vpc_id", "vpcs": {"aws_vpc", "aws_default_vpc"}, "where": "configuration"},
	"AWS::EC2::FlowLog": {"vpc": "ResourceId", "vpcs": {"AWS::EC2::VPC"}, "where": "template"},
}

# _vpc_types: VPC type -> its flow log type.
_vpc_types := {
	"aws_vpc": "aws_flow_log",
	"aws_default_vpc": "aws_flow_log",
	"AWS::EC2::VPC": "AWS::EC2::FlowLog",
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_vpc_types))
	flow_log_type := _vpc_types[res.type]
	not _logged(res, flow_log_type)
	not _unjoined[flow_log_type]
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf(
			"%s has no flow log: no %s of the %s references it through %s, so its network traffic is not recorded; add a flow log for this VPC",
			[address, flow_log_type, _forms[flow_log_type].where, _forms[flow_log_type].vpc],
		),
	}
}

# _logged(vpc, type) is true when a VPC flow log of type references the VPC
# through its VPC attribute.
_logged(vpc, type) if {
	some source in resource.referrers_by(vpc, {type}, _forms[type].vpc)
	_vpc_flow_log(resource.managed[source])
}

# _vpc_flow_log(fl) is true for a flow log that records a VPC (or may):
# Terraform's vpc_id says so itself; CloudFormation's ResourceType must be VPC
# or unknown.
_vpc_flow_log(fl) if fl.type == "aws_flow_log"

_vpc_flow_log(fl) if {
	fl.type == "AWS::EC2::FlowLog"
	not _known_other_kind(fl)
}

_known_other_kind(fl) if {
	kind := resource.value(fl, ["ResourceType"])
	is_string(kind)
	lower(kind) != "vpc"
}

# _unjoined are the flow log types of which the configuration holds a VPC flow
# log whose VPC attribute is set (to a value or an unknown) without an edge to
# a VPC of the configuration: it may record any of them.
_unjoined contains type if {
	some type, form in _forms
	some _, fl in resource.of_types({type})
	not resource.properties_unknown(fl)
	_vpc_flow_log(fl)
	resource.set(fl, form.vpc)
	not _joined(fl, form)
}

_unjoined contains type if {
	some type, _ in _forms
	some _, fl in resource.of_types({type})
	resource.properties_unknown(fl)
}

_joined(fl, form) if {
	some target in resource.targets(fl, form.vpc)
	input.resources[target].type in form.vpcs
}
