package portcullis.aws.ec2.datastore_exposed_test

import data.portcullis.aws.ec2.datastore_exposed
import data.portcullis.lib.mock_test as mock

_open_sg := mock.resource("aws_security_group", "db", {"name": "db", "description": "db", "vpc_id": "vpc-1", "ingress": [{
	"description": "PostgreSQL", "protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["0.0.0.0/0"],
}]})

_closed_sg := mock.resource("aws_security_group", "app", {"name": "app", "description": "app", "vpc_id": "vpc-1", "ingress": [{
	"description": "PostgreSQL", "protocol": "tcp", "from_port": 5432, "to_port": 5432, "cidr_blocks": ["10.0.0.0/8"],
}]})

_db(values, groups) := object.union(mock.resource("aws_db_instance", "orders", values), {
	"unknown": {"vpc_security_group_ids": [true | some _ in groups]},
	"references": [mock.ref(sprintf("vpc_security_group_ids.%d", [i]), g) | some i, g in groups],
})

test_public_database_with_open_group_is_critical if {
	datastore_exposed.deny == {{
		"resource": "aws_db_instance.orders",
		"attribute": "publicly_accessible",
		"message": "Database aws_db_instance.orders has a public address (publicly_accessible = true) and its security group aws_security_group.db (attached through vpc_security_group_ids.0) aws_security_group.db ingress.0 admits 0.0.0.0/0 to TCP port 5432 (PostgreSQL)",
		"severity": "critical",
	}} with input as mock.doc([_open_sg, _db({"publicly_accessible": true}, ["aws_security_group.db"])])
}

test_public_database_alone_is_high if {
	datastore_exposed.deny == {{
		"resource": "aws_db_instance.orders",
		"attribute": "publicly_accessible",
		"message": "Database aws_db_instance.orders has a public address (publicly_accessible = true); keep data stores private",
		"severity": "high",
	}} with input as mock.doc([_closed_sg, _db({"publicly_accessible": true}, ["aws_security_group.app"])])
}

test_private_database_with_open_group if {
	datastore_exposed.deny == {{
		"resource": "aws_db_instance.orders",
		"attribute": "vpc_security_group_ids.1",
		"message": "Database aws_db_instance.orders is attached to security group aws_security_group.db, which aws_security_group.db ingress.0 admits 0.0.0.0/0 to TCP port 5432 (PostgreSQL): only the systems that use the data store should reach it",
	}} with input as mock.doc([_open_sg, _closed_sg, _db({"publicly_accessible": false}, ["aws_security_group.app", "aws_security_group.db"])])
}

test_open_group_through_a_standalone_rule_and_several_openings if {
	sg := mock.resource("aws_security_group", "cache", {"name": "cache", "description": "cache", "vpc_id": "vpc-1"})
	rule := object.union(
		mock.resource("aws_vpc_security_group_ingress_rule", "redis", {
			"ip_protocol": "tcp", "from_port": 6379, "to_port": 6379, "cidr_ipv4": "0.0.0.0/0", "cidr_ipv6": "::/0", "description": "Redis",
		}),
		{"references": [mock.ref("security_group_id", "aws_security_group.cache")]},
	)
	cache := object.union(mock.resource("aws_elasticache_replication_group", "sessions", {}), {"references": [mock.ref("security_group_ids.0", "aws_security_group.cache")]})
	datastore_exposed.deny == {{
		"resource": "aws_elasticache_replication_group.sessions",
		"attribute": "security_group_ids.0",
		"message": "ElastiCache replication group aws_elasticache_replication_group.sessions is attached to security group aws_security_group.cache, which aws_vpc_security_group_ingress_rule.redis on aws_security_group.cache admits 0.0.0.0/0 to TCP port 6379 (Redis) (and 1 more openings): only the systems that use the data store should reach it",
	}} with input as mock.doc([sg, rule, cache])
}

test_cloudformation_forms if {
	sg := mock.cfn("DbSG", "AWS::EC2::SecurityGroup", {"GroupDescription": "db", "SecurityGroupIngress": [{"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "CidrIp": "0.0.0.0/0"}]})
	db := object.union(mock.cfn("Db", "AWS::RDS::DBInstance", {"PubliclyAccessible": "true"}), {"references": [{"attribute": "VPCSecurityGroups.0", "target": "DbSG", "target_attribute": "GroupId"}]})
	search := object.union(mock.cfn("Search", "AWS::OpenSearchService::Domain", {}), {"references": [{"attribute": "VPCOptions.SecurityGroupIds.0", "target": "DbSG", "target_attribute": "GroupId"}]})
	datastore_exposed.deny == {
		{
			"resource": "Db",
			"attribute": "PubliclyAccessible",
			"message": "Database Db has a public address (PubliclyAccessible = true) and its security group DbSG (attached through VPCSecurityGroups.0) DbSG SecurityGroupIngress.0 admits 0.0.0.0/0 to TCP port 3306 (MySQL)",
			"severity": "critical",
		},
		{
			"resource": "Search",
			"attribute": "VPCOptions.SecurityGroupIds.0",
			"message": "OpenSearch domain Search is attached to security group DbSG, which DbSG SecurityGroupIngress.0 admits 0.0.0.0/0 to TCP port 3306 (MySQL): only the systems that use the data store should reach it",
		},
	} with input as mock.doc([sg, db, search])
}

test_not_reported if {
	# Private, closed group; public flag unknown; group named by a string id.
	unknown := object.union(_db({}, ["aws_security_group.app"]), {"unknown": {"publicly_accessible": true}})
	by_id := mock.resource("aws_db_instance", "by_id", {"vpc_security_group_ids": ["sg-0123"]})
	datastore_exposed.deny == set() with input as mock.doc([_open_sg, _closed_sg, unknown, by_id])
}

test_two_standalone_rules_on_one_group_do_not_conflict if {
	sg := mock.cfn("DbSG", "AWS::EC2::SecurityGroup", {"GroupDescription": "db"})
	in1 := object.union(mock.cfn("In1", "AWS::EC2::SecurityGroupIngress", {"IpProtocol": "tcp", "FromPort": 3306, "ToPort": 3306, "CidrIp": "0.0.0.0/0"}), {"references": [{"attribute": "GroupId", "target": "DbSG", "target_attribute": "Ref"}]})
	in2 := object.union(mock.cfn("In2", "AWS::EC2::SecurityGroupIngress", {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": "0.0.0.0/0"}), {"references": [{"attribute": "GroupId", "target": "DbSG", "target_attribute": "Ref"}]})
	db := object.union(mock.cfn("Db", "AWS::RDS::DBInstance", {"PubliclyAccessible": true}), {"references": [{"attribute": "VPCSecurityGroups.0", "target": "DbSG", "target_attribute": "GroupId"}]})
	datastore_exposed.deny == {{
		"resource": "Db",
		"attribute": "PubliclyAccessible",
		"message": "Database Db has a public address (PubliclyAccessible = true) and its security group DbSG (attached through VPCSecurityGroups.0) In1 on DbSG admits 0.0.0.0/0 to TCP port 3306 (MySQL) (and 1 more openings)",
		"severity": "critical",
	}} with input as mock.doc([sg, in1, in2, db])
}

test_search_domain_without_vpc_has_a_public_endpoint if {
	public := mock.resource("aws_opensearch_domain", "logs", {"domain_name": "logs"})
	private := object.union(mock.resource("aws_opensearch_domain", "private", {"domain_name": "private", "vpc_options": [{"subnet_ids": ["subnet-1"]}]}), {})
	unknown := object.union(mock.resource("aws_elasticsearch_domain", "u", {}), {"unknown": {"vpc_options": true}})
	cfn := mock.cfn("Search", "AWS::OpenSearchService::Domain", {"EngineVersion": "OpenSearch_2.11"})
	datastore_exposed.deny == {
		{
			"resource": "aws_opensearch_domain.logs",
			"attribute": "",
			"message": "OpenSearch domain aws_opensearch_domain.logs sets no vpc_options, so its endpoint is public: anyone on the internet can reach it, and only its access policy stands in the way; place it in a VPC",
		},
		{
			"resource": "Search",
			"attribute": "",
			"message": "OpenSearch domain Search sets no VPCOptions, so its endpoint is public: anyone on the internet can reach it, and only its access policy stands in the way; place it in a VPC",
		},
	} with input as mock.doc([public, private, unknown, cfn])
}
