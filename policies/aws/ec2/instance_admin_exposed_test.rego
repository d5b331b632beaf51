package portcullis.aws.ec2.instance_admin_exposed_test

import data.portcullis.aws.ec2.instance_admin_exposed
import data.portcullis.lib.mock_test as mock

_sg(name, port, cidr) := mock.resource("aws_security_group", name, {"name": name, "description": name, "vpc_id": "vpc-1", "ingress": [{
	"description": "x", "protocol": "tcp", "from_port": port, "to_port": port, "cidr_blocks": [cidr],
}]})

_instance(values, refs) := object.union(mock.resource("aws_instance", "bastion", values), {"references": refs})

test_public_instance_with_ssh_open if {
	instance_admin_exposed.deny == {{
		"resource": "aws_instance.bastion",
		"attribute": "associate_public_ip_address",
		"message": "Instance aws_instance.bastion has a public IP address (associate_public_ip_address = true) and its security group aws_security_group.ssh (attached through vpc_security_group_ids.0) aws_security_group.ssh ingress.0 admits 0.0.0.0/0 to TCP port 22 (SSH): every scanner on the internet can reach its administration port",
	}} with input as mock.doc([
		_sg("ssh", 22, "0.0.0.0/0"),
		_instance({"associate_public_ip_address": true}, [mock.ref("vpc_security_group_ids.0", "aws_security_group.ssh")]),
	])
}

test_public_subnet_and_rdp if {
	subnet := mock.resource("aws_subnet", "public", {"map_public_ip_on_launch": true})
	instance_admin_exposed.deny == {{
		"resource": "aws_instance.bastion",
		"attribute": "subnet_id",
		"message": "Instance aws_instance.bastion has a public IP address (subnet aws_subnet.public maps public IP addresses on launch) and its security group aws_security_group.rdp (attached through vpc_security_group_ids.0) aws_security_group.rdp ingress.0 admits 0.0.0.0/0 to TCP port 3389 (RDP): every scanner on the internet can reach its administration port",
	}} with input as mock.doc([
		_sg("rdp", 3389, "0.0.0.0/0"), subnet,
		_instance({}, [mock.ref("subnet_id", "aws_subnet.public"), mock.ref("vpc_security_group_ids.0", "aws_security_group.rdp")]),
	])
}

test_launch_template_with_public_interface if {
	lt := object.union(mock.resource("aws_launch_template", "web", {"network_interfaces": [{"associate_public_ip_address": "true"}]}), {
		"references": [mock.ref("network_interfaces.0.security_groups.0", "aws_security_group.ssh")],
	})
	instance_admin_exposed.deny == {{
		"resource": "aws_launch_template.web",
		"attribute": "network_interfaces.0.associate_public_ip_address",
		"message": "Launch template aws_launch_template.web has a public IP address (associate_public_ip_address = true) and its security group aws_security_group.ssh (attached through network_interfaces.0.security_groups.0) aws_security_group.ssh ingress.0 admits 0.0.0.0/0 to TCP port 22 (SSH): every scanner on the internet can reach its administration port",
	}} with input as mock.doc([_sg("ssh", 22, "0.0.0.0/0"), lt])
}

test_cloudformation_instance_with_eip if {
	sg := mock.cfn("AdminSG", "AWS::EC2::SecurityGroup", {"GroupDescription": "admin", "SecurityGroupIngress": [{"IpProtocol": "-1", "CidrIp": "0.0.0.0/0"}]})
	instance := object.union(mock.cfn("Bastion", "AWS::EC2::Instance", {}), {
		"references": [{"attribute": "SecurityGroupIds.0", "target": "AdminSG", "target_attribute": "GroupId"}],
		"referenced_by": [{"source": "BastionIP", "attribute": "InstanceId", "target_attribute": "Ref"}],
	})
	eip := object.union(mock.cfn("BastionIP", "AWS::EC2::EIP", {}), {"references": [{"attribute": "InstanceId", "target": "Bastion", "target_attribute": "Ref"}]})
	instance_admin_exposed.deny == {{
		"resource": "Bastion",
		"attribute": "",
		"message": "Instance Bastion has a public IP address (Elastic IP BastionIP is associated with it) and its security group AdminSG (attached through SecurityGroupIds.0) AdminSG SecurityGroupIngress.0 admits 0.0.0.0/0 to all traffic (protocol -1: every protocol, ports 0-65535): every scanner on the internet can reach its administration port",
	}} with input as mock.doc([sg, instance, eip])
}

test_not_reported if {
	# HTTPS only; private instance with SSH open; public IP turned off in a
	# public subnet; ports unknown.
	subnet := mock.resource("aws_subnet", "public", {"map_public_ip_on_launch": true})
	https := _instance({"associate_public_ip_address": true}, [mock.ref("vpc_security_group_ids.0", "aws_security_group.https")])
	private_subnet := mock.resource("aws_subnet", "private", {"map_public_ip_on_launch": false})
	private := object.union(mock.resource("aws_instance", "private", {}), {"references": [
		mock.ref("subnet_id", "aws_subnet.private"),
		mock.ref("vpc_security_group_ids.0", "aws_security_group.ssh"),
	]})
	off := object.union(mock.resource("aws_instance", "off", {"associate_public_ip_address": false}), {"references": [
		mock.ref("subnet_id", "aws_subnet.public"),
		mock.ref("vpc_security_group_ids.0", "aws_security_group.ssh"),
	]})
	instance_admin_exposed.deny == set() with input as mock.doc([_sg("https", 443, "0.0.0.0/0"), _sg("ssh", 22, "0.0.0.0/0"), subnet, private_subnet, https, private, off])
}

test_instance_without_subnet_lands_in_a_public_default_subnet if {
	instance_admin_exposed.deny == {{
		"resource": "aws_instance.bastion",
		"attribute": "",
		"message": "Instance aws_instance.bastion has a public IP address (it names no subnet, so AWS launches it in a default subnet, which maps public IP addresses) and its security group aws_security_group.ssh (attached through vpc_security_group_ids.0) aws_security_group.ssh ingress.0 admits 0.0.0.0/0 to TCP port 22 (SSH): every scanner on the internet can reach its administration port",
	}} with input as mock.doc([
		_sg("ssh", 22, "0.0.0.0/0"),
		_instance({}, [mock.ref("vpc_security_group_ids.0", "aws_security_group.ssh")]),
	])
	cfn := object.union(mock.cfn("Web", "AWS::EC2::Instance", {"ImageId": "ami-1"}), {"references": [{"attribute": "SecurityGroups.0", "target": "SSH", "target_attribute": "Ref"}]})
	sg := mock.cfn("SSH", "AWS::EC2::SecurityGroup", {"GroupDescription": "ssh", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}]})
	count(instance_admin_exposed.deny) == 1 with input as mock.doc([cfn, sg])
	with_template := object.union(cfn, {"values": {"LaunchTemplate": {"LaunchTemplateId": "lt-1"}}})
	count(instance_admin_exposed.deny) == 0 with input as mock.doc([with_template, sg])
}
