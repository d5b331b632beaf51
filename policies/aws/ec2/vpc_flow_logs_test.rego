package portcullis.aws.ec2.vpc_flow_logs_test

import data.portcullis.aws.ec2.vpc_flow_logs
import data.portcullis.lib.mock_test as mock

_vpc := object.union(mock.resource("aws_vpc", "main", {"cidr_block": "10.0.0.0/16"}), {"referenced_by": []})

# _logged_by(vpc, flow_log, attribute) joins a flow log to a VPC with an edge
# seen from both ends.
_logged_by(vpc, flow_log, attribute) := [
	object.union(vpc, {"referenced_by": array.concat(vpc.referenced_by, [{"source": flow_log.address, "attribute": attribute, "target_attribute": "id"}])}),
	object.union(flow_log, {
		"unknown": object.union(flow_log.unknown, {attribute: true}),
		"references": array.concat(flow_log.references, [mock.ref(attribute, vpc.address)]),
	}),
]

_flow_log(name) := mock.resource("aws_flow_log", name, {"traffic_type": "ALL", "log_destination_type": "s3", "log_destination": "arn:aws:s3:::flow-logs"})

_missing(address) := {
	"resource": address,
	"attribute": "",
	"message": sprintf("%s has no flow log: no aws_flow_log of the configuration references it through vpc_id, so its network traffic is not recorded; add a flow log for this VPC", [address]),
}

test_vpc_without_flow_log_is_reported if {
	vpc_flow_logs.deny == {_missing("aws_vpc.main")} with input as mock.doc([_vpc])
}

test_default_vpc_without_flow_log_is_reported if {
	vpc := mock.resource("aws_default_vpc", "default", {})
	vpc_flow_logs.deny == {_missing("aws_default_vpc.default")} with input as mock.doc([vpc])
}

test_vpc_with_flow_log_passes if {
	count(vpc_flow_logs.deny) == 0 with input as mock.doc(_logged_by(_vpc, _flow_log("main"), "vpc_id"))
}

test_flow_log_of_another_vpc_does_not_count if {
	other := mock.resource("aws_vpc", "other", {"cidr_block": "10.1.0.0/16"})
	resources := _logged_by(other, _flow_log("other"), "vpc_id")
	vpc_flow_logs.deny == {_missing("aws_vpc.main")} with input as mock.doc(array.concat(resources, [_vpc]))
}

test_subnet_flow_log_does_not_count if {
	subnet := mock.resource("aws_subnet", "a", {})
	joined := _logged_by(subnet, _flow_log("subnet"), "subnet_id")
	vpc_flow_logs.deny == {_missing("aws_vpc.main")} with input as mock.doc(array.concat(joined, [_vpc]))
}

# A flow log whose VPC is a literal or an unknown value without an edge may
# record any VPC: nothing is reported (conservative).
test_unjoinable_flow_log_silences_the_rule if {
	literal := object.union(_flow_log("literal"), {"values": {"vpc_id": "vpc-0123", "traffic_type": "ALL"}})
	count(vpc_flow_logs.deny) == 0 with input as mock.doc([_vpc, literal])

	unknown := object.union(_flow_log("unknown"), {"unknown": {"vpc_id": true}})
	count(vpc_flow_logs.deny) == 0 with input as mock.doc([_vpc, unknown])
}

test_flow_log_joined_to_a_vpc_lookup_does_not_silence if {
	lookup := mock.data_source("aws_vpc", "shared", {"tags": {"Name": "shared"}})
	fl := object.union(_flow_log("shared"), {"unknown": {"vpc_id": true}, "references": [mock.ref("vpc_id", "data.aws_vpc.shared")]})
	vpc_flow_logs.deny == {_missing("aws_vpc.main")} with input as mock.doc([_vpc, lookup, fl])
}

test_data_source_vpc_is_not_reported if {
	count(vpc_flow_logs.deny) == 0 with input as mock.doc([mock.data_source("aws_vpc", "main", {"default": true})])
}

# ---------------------------------------------------------------------------
# CloudFormation

_cfn_vpc := object.union(mock.cfn("Vpc", "AWS::EC2::VPC", {"CidrBlock": "10.0.0.0/16"}), {"referenced_by": []})

_cfn_flow_log(kind) := mock.cfn("VpcFlowLog", "AWS::EC2::FlowLog", {"ResourceType": kind, "TrafficType": "ALL"})

test_cloudformation_vpc_without_flow_log_is_reported if {
	vpc_flow_logs.deny == {{
		"resource": "Vpc",
		"attribute": "",
		"message": "Vpc has no flow log: no AWS::EC2::FlowLog of the template references it through ResourceId, so its network traffic is not recorded; add a flow log for this VPC",
	}} with input as mock.doc([_cfn_vpc])
}

test_cloudformation_vpc_with_flow_log_passes if {
	count(vpc_flow_logs.deny) == 0 with input as mock.doc(_logged_by(_cfn_vpc, _cfn_flow_log("VPC"), "ResourceId"))

	unknown_kind := object.union(mock.cfn("VpcFlowLog", "AWS::EC2::FlowLog", {}), {"unknown": {"ResourceType": true}})
	count(vpc_flow_logs.deny) == 0 with input as mock.doc(_logged_by(_cfn_vpc, unknown_kind, "ResourceId"))
}

test_cloudformation_flow_log_of_another_kind_does_not_count if {
	count(vpc_flow_logs.deny) == 1 with input as mock.doc(_logged_by(_cfn_vpc, _cfn_flow_log("Subnet"), "ResourceId"))
}

test_cloudformation_imported_vpc_id_silences_the_rule if {
	imported := object.union(_cfn_flow_log("VPC"), {"unknown": {"ResourceId": true}, "meta": {"imports": [{"attribute": "ResourceId", "export": "network-VpcId"}]}})
	count(vpc_flow_logs.deny) == 0 with input as mock.doc([_cfn_vpc, imported])

	opaque := object.union(mock.cfn("Opaque", "AWS::EC2::FlowLog", {}), {"meta": {"properties_unknown": true}})
	count(vpc_flow_logs.deny) == 0 with input as mock.doc([_cfn_vpc, opaque])
}

# A Terraform flow log does not silence the rule for a CloudFormation VPC.
test_formats_are_not_mixed if {
	literal := object.union(_flow_log("literal"), {"values": {"vpc_id": "vpc-0123"}})
	count(vpc_flow_logs.deny) == 1 with input as mock.doc([_cfn_vpc, literal])
}
