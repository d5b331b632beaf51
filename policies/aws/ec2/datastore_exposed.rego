# METADATA
# title: Database, cache or search domain reachable from the internet
# description: |
#   Data stores hold what an auditor cares most about. A database, cache,
#   search domain, data warehouse or message broker that has a public address
#   (publicly_accessible) or whose security groups admit the internet is one
#   credential leak, default password or unpatched service away from a breach,
#   and scanners find open database ports within minutes. SOC 2 CC6.1 and
#   CC6.6 ask that access to data be restricted to the systems that need it.
#
#   The rule follows reference edges from the data store to the security
#   groups attached to it, and reads what those groups admit through the
#   normalised network model. It reports:
#   - publicly_accessible = true (PubliclyAccessible in CloudFormation) on
#     aws_db_instance, aws_rds_cluster_instance, aws_redshift_cluster and
#     aws_mq_broker (and AWS::RDS::DBInstance, AWS::Redshift::Cluster,
#     AWS::AmazonMQ::Broker): critical when an attached group also admits the
#     internet (the message names the chain), high otherwise;
#   - an OpenSearch or Elasticsearch domain without vpc_options (VPCOptions):
#     its endpoint is public, reachable from the internet and guarded by its
#     access policy alone (high);
#   - an attached security group that admits the internet on any port, for
#     every data store type below, at the attribute that attaches the group:
#     high (without a public address the store is reachable from every network
#     routed to the VPC, and one change of subnet or flag away from the
#     internet).
#
#   Types: aws_db_instance, aws_rds_cluster, aws_docdb_cluster,
#   aws_neptune_cluster, aws_elasticache_cluster,
#   aws_elasticache_replication_group, aws_opensearch_domain,
#   aws_elasticsearch_domain, aws_redshift_cluster, aws_mq_broker and their
#   CloudFormation forms. Groups named by a string id rather than a reference
#   cannot be followed and are not judged.
# custom:
#   id: PCS-AWS-015
#   name: datastore-exposed
#   severity: high
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "AWS-FSBP:RDS.2"
#     - "AWS-FSBP:Redshift.1"
#     - "AWS-FSBP:MQ.5"
#     - "AWS-FSBP:Opensearch.2"
#     - "AWS-FSBP:ES.2"
#   remediation: |
#     Keep data stores private: no public address, private subnets only, and a
#     security group that admits the database port from the application's
#     security group only.
#
#     ```hcl
#     resource "aws_db_instance" "orders" {
#       # ...
#       publicly_accessible    = false
#       db_subnet_group_name   = aws_db_subnet_group.private.name
#       vpc_security_group_ids = [aws_security_group.orders_db.id]
#     }
#
#     resource "aws_vpc_security_group_ingress_rule" "orders_db_from_app" {
#       security_group_id            = aws_security_group.orders_db.id
#       description                  = "PostgreSQL from the orders application"
#       ip_protocol                  = "tcp"
#       from_port                    = 5432
#       to_port                      = 5432
#       referenced_security_group_id = aws_security_group.orders_app.id
#     }
#     ```
#
#     ```yaml
#     OrdersDatabase:
#       Type: AWS::RDS::DBInstance
#       Properties:
#         PubliclyAccessible: false
#         DBSubnetGroupName: !Ref PrivateSubnetGroup
#         VPCSecurityGroups:
#           - !GetAtt OrdersDatabaseSecurityGroup.GroupId
#     ```
#   resource_types:
#     - aws_db_instance
#     - aws_rds_cluster
#     - aws_rds_cluster_instance
#     - aws_docdb_cluster
#     - aws_neptune_cluster
#     - aws_elasticache_cluster
#     - aws_elasticache_replication_group
#     - aws_opensearch_domain
#     - aws_elasticsearch_domain
#     - aws_redshift_cluster
#     - aws_mq_broker
#     - AWS::RDS::DBInstance
#     - AWS::RDS::DBCluster
#     - AWS::DocDB::DBCluster
#     - AWS::Neptune::DBCluster
#     - AWS::ElastiCache::CacheCluster
#     - AWS::ElastiCache::ReplicationGroup
#     - AWS::OpenSearchService::Domain
#     - AWS::Elasticsearch::Domain
#     - AWS::Redshift::Cluster
#     - AWS::AmazonMQ::Broker
#     - aws_security_group
#     - aws_security_group_rule
#     - aws_vpc_security_group_ingress_rule
#     - AWS::EC2::SecurityGroup
#     - AWS::EC2::SecurityGroupIngress
package portcullis.aws.ec2.datastore_exposed

import data.portcullis.lib.network
import data.portcullis.lib.resource

# _stores: type -> [what it is, attributes that attach security groups,
# attribute that gives it a public address or ""].
_stores := {
	"aws_db_instance": ["Database", ["vpc_security_group_ids", "security_group_names"], "publicly_accessible"],
	"aws_rds_cluster": ["Database cluster", ["vpc_security_group_ids"], ""],
	"aws_rds_cluster_instance": ["Database cluster instance", [], "publicly_accessible"],
	"aws_docdb_cluster": ["DocumentDB cluster", ["vpc_security_group_ids"], ""],
	"aws_neptune_cluster": ["Neptune cluster", ["vpc_security_group_ids"], ""],
	"aws_elasticache_cluster": ["ElastiCache cluster", ["security_group_ids"], ""],
	"aws_elasticache_replication_group": ["ElastiCache replication group", ["security_group_ids"], ""],
	"aws_opensearch_domain": ["OpenSearch domain", ["vpc_options"], ""],
	"aws_elasticsearch_domain": ["Elasticsearch domain", ["vpc_options"], ""],
	"aws_redshift_cluster": ["Redshift cluster", ["vpc_security_group_ids"], "publicly_accessible"],
	"aws_mq_broker": ["MQ broker", ["security_groups"], "publicly_accessible"],
	"AWS::RDS::DBInstance": ["Database", ["VPCSecurityGroups", "DBSecurityGroups"], "PubliclyAccessible"],
	"AWS::RDS::DBCluster": ["Database cluster", ["VpcSecurityGroupIds"], "PubliclyAccessible"],
	"AWS::DocDB::DBCluster": ["DocumentDB cluster", ["VpcSecurityGroupIds"], ""],
	"AWS::Neptune::DBCluster": ["Neptune cluster", ["VpcSecurityGroupIds"], ""],
	"AWS::ElastiCache::CacheCluster": ["ElastiCache cluster", ["VpcSecurityGroupIds"], ""],
	"AWS::ElastiCache::ReplicationGroup": ["ElastiCache replication group", ["SecurityGroupIds"], ""],
	"AWS::OpenSearchService::Domain": ["OpenSearch domain", ["VPCOptions"], ""],
	"AWS::Elasticsearch::Domain": ["Elasticsearch domain", ["VPCOptions"], ""],
	"AWS::Redshift::Cluster": ["Redshift cluster", ["VpcSecurityGroupIds"], "PubliclyAccessible"],
	"AWS::AmazonMQ::Broker": ["MQ broker", ["SecurityGroups"], "PubliclyAccessible"],
}

# _exposures(res, spec) are [{group, attribute, exposure}] for the attached
# groups that admit the internet.
_exposures(res, spec) := [{"group": g.group, "attribute": g.attribute, "exposure": e} |
	some g in network.attached_groups(res, spec[1])
	some e in object.get(network.group_exposures, g.group, [])
]

# A public address.
deny contains finding if {
	some address, res in resource.of_types(object.keys(_stores))
	spec := _stores[res.type]
	spec[2] != ""
	resource.is_true(res, [spec[2]])
	exposures := _exposures(res, spec)
	finding := {
		"resource": address,
		"attribute": spec[2],
		"message": _public_message(address, spec, exposures),
		"severity": _public_severity(exposures),
	}
}

_public_message(address, spec, exposures) := sprintf("%s %s has a public address (%s = true); keep data stores private", [spec[0], address, spec[2]]) if {
	count(exposures) == 0
} else := sprintf("%s %s has a public address (%s = true) and its security group %s", [spec[0], address, spec[2], _chain(exposures)])

_public_severity(exposures) := "high" if count(exposures) == 0

else := "critical"

_chain(exposures) := sprintf("%s (attached through %s) %s%s", [x.group, x.attribute, network.exposure_text(x.exposure), _more(exposures)]) if {
	x := _first_attached(exposures)
}

_first_attached(exposures) := x if {
	keys := sort({[y.group, y.attribute, y.exposure.rule.resource, y.exposure.rule.path, y.exposure.peer.path] | some y in exposures})
	some x in exposures
	[x.group, x.attribute, x.exposure.rule.resource, x.exposure.rule.path, x.exposure.peer.path] == keys[0]
}

# A security group that admits the internet, without a public address.
deny contains finding if {
	some address, res in resource.of_types(object.keys(_stores))
	spec := _stores[res.type]
	not _public(res, spec)
	some g in network.attached_groups(res, spec[1])
	exposures := object.get(network.group_exposures, g.group, [])
	count(exposures) > 0
	finding := {
		"resource": address,
		"attribute": g.attribute,
		"message": sprintf("%s %s is attached to security group %s, which %s%s: only the systems that use the data store should reach it", [
			spec[0], address, g.group, network.exposure_text(network.first_exposure(exposures)), _more(exposures),
		]),
	}
}

_more(exposures) := "" if count(exposures) == 1

_more(exposures) := sprintf(" (and %d more openings)", [count(exposures) - 1]) if count(exposures) > 1

_public(res, spec) if {
	spec[2] != ""
	resource.is_true(res, [spec[2]])
}

# A search domain outside any VPC has a public endpoint.
_public_endpoint := {
	"aws_opensearch_domain": "vpc_options",
	"aws_elasticsearch_domain": "vpc_options",
	"AWS::OpenSearchService::Domain": "VPCOptions",
	"AWS::Elasticsearch::Domain": "VPCOptions",
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_public_endpoint))
	attr := _public_endpoint[res.type]
	resource.missing(res, attr)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("%s %s sets no %s, so its endpoint is public: anyone on the internet can reach it, and only its access policy stands in the way; place it in a VPC", [
			_stores[res.type][0], address, attr,
		]),
	}
}
