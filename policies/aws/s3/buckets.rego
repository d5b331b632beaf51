# Package portcullis.aws.s3.buckets holds what the S3 rules share: which
# resources are buckets, how a bucket is joined to the resources that
# configure it, when a configuration cannot be joined, and a normalised view
# of bucket policies.
#
# A bucket is a managed aws_s3_bucket (Terraform) or AWS::S3::Bucket
# (CloudFormation). Terraform AWS provider v4+ configures a bucket through
# separate resources (aws_s3_bucket_versioning, aws_s3_bucket_logging, ...)
# whose `bucket` attribute names it; they are joined to the bucket only
# through that attribute's reference edges (referenced_by, seen from the
# bucket), never by names. A configuration resource whose `bucket` has no
# edge to a bucket (a plain string, a variable, each.value of a for_each over
# the buckets) cannot be joined: the rules then do not report missing
# configuration of that kind anywhere in the root, because it may be the
# missing one (a false negative is preferred to a false positive).
#
# Each rule evaluates every setting of one kind that applies to a bucket into
# a state:
#
#   {"state": "ok"}          the setting is compliant
#   {"state": "unknown"}     it cannot be known statically (never reported)
#   {"state": "bad", "finding": {resource, attribute, message}}
#
# A bucket passes when one of its states is ok or unknown.
package portcullis.aws.s3.buckets

import data.portcullis.lib.resource

bucket_types := {"aws_s3_bucket", "AWS::S3::Bucket"}

# buckets are the managed S3 buckets, keyed by address.
buckets := resource.of_types(bucket_types)

# config_types are the resources that configure one bucket named by their
# bucket attribute (Bucket for CloudFormation).
config_types := {
	"aws_s3_bucket_acl",
	"aws_s3_bucket_logging",
	"aws_s3_bucket_notification",
	"aws_s3_bucket_object_lock_configuration",
	"aws_s3_bucket_policy",
	"aws_s3_bucket_public_access_block",
	"aws_s3_bucket_server_side_encryption_configuration",
	"aws_s3_bucket_versioning",
	"AWS::S3::BucketPolicy",
}

# bucket_attribute(type) is the attribute of a configuration resource that
# names its bucket.
bucket_attribute(type) := "Bucket" if type == "AWS::S3::BucketPolicy"

else := "bucket"

# configs(res, type) are the addresses of the managed resources of type whose
# bucket attribute references the bucket res.
configs(res, type) := resource.referrers_by(res, {type}, bucket_attribute(type))

# joined(cfg) is true when the bucket attribute of the configuration resource
# cfg references a bucket (managed, or a data source: a bucket managed
# elsewhere).
joined(cfg) if {
	some ref in object.get(cfg, "references", [])
	resource.within(ref.attribute, bucket_attribute(cfg.type))
	object.get(input.resources, [ref.target, "type"], "") in bucket_types
}

# unjoinable are the configuration types of which some resource of the root
# cannot be joined to its bucket.
unjoinable := {t |
	some t in config_types
	some cfg in object.get(resource.by_type, t, {})
	not joined(cfg)
} | _module_kinds

# A CloudFormation module (a registry type ending in ::MODULE, or a type that
# is not a resource type at all, such as a Rain module) may declare bucket
# policies that cannot be seen: bucket policies are then unjoinable. (Bucket
# properties are inline in CloudFormation; the policy is the only separate
# configuration.)
_module_kinds := {"AWS::S3::BucketPolicy"} if {
	some res in resource.managed
	resource.is_cloudformation(res)
	_module_type(res.type)
} else := set()

_module_type(type) if endswith(type, "::MODULE")

_module_type(type) if {
	not regex.match(`^[A-Za-z0-9]+::[A-Za-z0-9]+::[A-Za-z0-9]+$`, type)
	not startswith(type, "Custom::")
}

# suppressed(types) is true when a configuration resource of one of types
# cannot be joined: no bucket of the root is reported for lacking it.
suppressed(types) if {
	some t in types
	t in unjoinable
}

# referrers_typed(res) are the edges pointing at res from managed resources,
# as {source, attribute, type} (type: the source's type).
referrers_typed(res) := {{"source": ref.source, "attribute": ref.attribute, "type": src.type} |
	some ref in resource.referrers(res)
	src := input.resources[ref.source]
	object.get(src, "mode", "managed") == "managed"
}

# passes(states) is true when a state is ok or unknown.
passes(states) if {
	some s in states
	s.state in {"ok", "unknown"}
}

# ok, unknown and bad(res, segments, message) build states.
ok := {"state": "ok"}

unknown := {"state": "unknown"}

bad(res, segments, message) := {"state": "bad", "finding": {
	"resource": res.address,
	"attribute": resource.path(segments),
	"message": message,
}}

# reportable(res, states, types) are the findings of the bad states of the
# bucket res when none passes, given types, the configuration types of the
# rule:
# a finding on the bucket itself is withheld when a configuration of those
# types cannot be joined (it may override the bucket's own setting); a
# finding on a configuration resource is always reported.
reportable(res, states, types) := {s.finding |
	not passes(states)
	some s in states
	s.state == "bad"
	_may_report(res, s.finding, types)
}

_may_report(res, finding, _) if finding.resource != res.address

_may_report(_, _, types) if not suppressed(types)

# label(res) names a resource in messages: "S3 bucket aws_s3_bucket.b" for a
# bucket, the address for anything else.
label(res) := sprintf("S3 bucket %s", [res.address]) if res.type in bucket_types

else := res.address

# enumerate(names) joins a list of names for a message: "a", "a and b",
# "a, b and c".
enumerate(names) := names[0] if count(names) == 1

else := concat(" and ", [concat(", ", array.slice(names, 0, count(names) - 1)), names[count(names) - 1]]) if {
	count(names) > 1
} else := ""

# dynamic_unknown(res, attr) is true when a dynamic block whose for_each is
# unknown generates the dotted path attr, something inside it or around it.
dynamic_unknown(res, attr) if {
	some p in object.get(res, ["meta", "dynamic_unknown"], [])
	resource.within(p, attr)
}

dynamic_unknown(res, attr) if {
	some p in object.get(res, ["meta", "dynamic_unknown"], [])
	resource.within(attr, p)
}

# uncertain(res, segments) is true when the value at segments, an enclosing
# value or anything inside it is unknown, or a dynamic block with an unknown
# for_each generates it.
uncertain(res, segments) if resource.unknown(res, segments)

uncertain(res, segments) if {
	walk(object.get(object.get(res, "unknown", {}), segments, false), [_, v])
	v == true
}

uncertain(res, segments) if dynamic_unknown(res, resource.path(segments))

# as_list(x) is x when it is a list or a set, [x] for a scalar, [] otherwise.
as_list(x) := x if is_array(x)

else := x if is_set(x)

else := [x] if {
	not is_object(x)
	x != null
}

else := []

# lower_string(x) is x in lower case with outer blanks removed, "" when it is
# not a string.
lower_string(x) := lower(trim_space(x)) if is_string(x)

else := ""

# scalar_text(x) is a scalar as lower-case text (false -> "false").
scalar_text(x) := lower_string(x) if is_string(x)

else := sprintf("%v", [x]) if {
	not is_object(x)
	not is_array(x)
	not is_set(x)
}

else := ""

# log_target(res): the bucket receives the server access logs of S3: a
# target_bucket (aws_s3_bucket_logging, legacy logging block) or
# DestinationBucketName (CloudFormation) references it, it has the
# log-delivery-write canned ACL (acl, aws_s3_bucket_acl, AccessControl
# LogDeliveryWrite) or a grant to the log delivery group, or its bucket policy
# allows the logging.s3.amazonaws.com service.
log_target(res) if {
	some ref in referrers_typed(res)
	_target_edge(ref.type, ref.attribute)
}

log_target(res) if lower_string(resource.value(res, ["acl"])) == "log-delivery-write"

log_target(res) if resource.value(res, ["AccessControl"]) == "LogDeliveryWrite"

log_target(res) if {
	some address in configs(res, "aws_s3_bucket_acl")
	_log_delivery_acl(input.resources[address])
}

log_target(res) if {
	some p in policies(res)
	some s in p.statements
	s.effect == "allow"
	"service:logging.s3.amazonaws.com" in s.principals
}

_target_edge("aws_s3_bucket_logging", "target_bucket")

_target_edge("aws_s3_bucket", attribute) if resource.within(attribute, "logging")

_target_edge("AWS::S3::Bucket", attribute) if resource.within(attribute, "LoggingConfiguration")

_log_delivery_acl(acl) if lower_string(resource.value(acl, ["acl"])) == "log-delivery-write"

# A grant to the S3 log delivery group in an explicit access control policy.
_log_delivery_acl(acl) if {
	some policy in as_list(resource.value(acl, ["access_control_policy"]))
	is_object(policy)
	some grant in as_list(object.get(policy, "grant", []))
	is_object(grant)
	some grantee in as_list(object.get(grant, "grantee", []))
	is_object(grantee)
	endswith(lower_string(object.get(grantee, "uri", "")), "/groups/s3/logdelivery")
}

# load_balancer_log_target(res): a load balancer sends its access or
# connection logs to the bucket (aws_lb, aws_alb, aws_elb access_logs or
# connection_logs; CloudFormation AccessLoggingPolicy, or a
# LoadBalancerAttributes value of an Elastic Load Balancing v2 load balancer),
# or the bucket's policy lets Elastic Load Balancing deliver them (a log
# bucket shared with load balancers of other configurations): it allows the
# logdelivery.elasticloadbalancing.amazonaws.com service (Regions opened since
# August 2022), or it, or a policy document it is built from, references
# data.aws_elb_service_account (the Elastic Load Balancing account of the
# Region).
load_balancer_log_target(res) if {
	some ref in referrers_typed(res)
	_load_balancer_log_edge(ref.type, ref.attribute)
}

load_balancer_log_target(res) if {
	some p in policies(res)
	some s in p.statements
	s.effect == "allow"
	"service:logdelivery.elasticloadbalancing.amazonaws.com" in s.principals
}

load_balancer_log_target(res) if {
	some p in policies(res)
	some ref in object.get(input.resources[p.resource], "references", [])
	resource.within(ref.attribute, p.attribute)
	_elb_service_account(ref.target)
}

load_balancer_log_target(res) if {
	some p in policies(res)
	some d in p.documents
	some ref in object.get(input.resources[d], "references", [])
	_elb_service_account(ref.target)
}

_elb_service_account(address) if {
	account := input.resources[address]
	account.type == "aws_elb_service_account"
	account.mode == "data"
}

_load_balancer_log_edge(type, attribute) if {
	type in {"aws_lb", "aws_alb", "aws_elb"}
	some block in ["access_logs", "connection_logs"]
	resource.within(attribute, block)
}

_load_balancer_log_edge("AWS::ElasticLoadBalancing::LoadBalancer", attribute) if resource.within(attribute, "AccessLoggingPolicy")

_load_balancer_log_edge("AWS::ElasticLoadBalancingV2::LoadBalancer", attribute) if resource.within(attribute, "LoadBalancerAttributes")

# ---------------------------------------------------------------------------
# Bucket policies
#
# policy_of(r) is the policy a resource declares: aws_s3_bucket_policy and the
# legacy aws_s3_bucket policy (a JSON string, or a reference to
# data.aws_iam_policy_document sources), AWS::S3::BucketPolicy (PolicyDocument)
# as
#
#   attribute   the attribute that holds it ("policy", "PolicyDocument")
#   statements  a list of normalised statements:
#                 effect      "allow", "deny" (lower case; "" if not known)
#                 actions     set of lower-case actions ("s3:*")
#                 principals  set of "type:identifier" in lower case: "*:*" for
#                             Principal "*", "aws:*", "service:logging.s3.amazonaws.com"
#                 conditions  set of {op, key, values}: lower-case operator
#                             ("bool"), key ("aws:securetransport") and the
#                             set of values as lower-case text ("false")
#                 unknown     the set of those four fields (by name) of which
#                             a part is not known statically
#   unknown     true when the statements themselves are not all known: the
#               policy, its statement list or a whole statement is unknown,
#               a statement block is generated by a dynamic block with an
#               unknown for_each, or a merged policy cannot be followed
#   documents   the policy document data sources it is built from
#
# policies(res) are the policies of the bucket res: its aws_s3_bucket_policy
# or AWS::S3::BucketPolicy resources and its legacy inline policy, as
# policy_of(r) plus resource (address of r).

policies(res) := {object.union(policy_of(input.resources[a]), {"resource": a}) |
	some t in {"aws_s3_bucket_policy", "AWS::S3::BucketPolicy"}
	some a in configs(res, t)
} | _inline_policy(res)

_inline_policy(res) := {object.union(policy_of(res), {"resource": res.address})} if {
	res.type == "aws_s3_bucket"
	resource.set(res, "policy")
} else := set()

policy_of(r) := _cloudformation_policy(r) if r.type == "AWS::S3::BucketPolicy"

else := _terraform_policy(r)

_cloudformation_policy(r) := {
	"attribute": "PolicyDocument",
	"statements": _json_statements(json.unmarshal(v), false),
	"unknown": false,
	"documents": set(),
} if {
	v := resource.value(r, ["PolicyDocument"])
	is_string(v)
	json.is_valid(v)
} else := {
	"attribute": "PolicyDocument",
	"statements": _json_statements(resource.value(r, ["PolicyDocument"]), _unknown_at(r, ["PolicyDocument", "Statement"])),
	"unknown": _list_unknown_flag(r, ["PolicyDocument", "Statement"]),
	"documents": set(),
}

_terraform_policy(r) := {
	"attribute": "policy",
	"statements": _json_statements(json.unmarshal(v), false),
	"unknown": false,
	"documents": set(),
} if {
	v := resource.value(r, ["policy"])
	is_string(v)
	json.is_valid(v)
} else := _documents_policy(r) if {
	not resource.known(r, ["policy"])
	docs := resource.targets(r, "policy")
	count(docs) > 0
	every d in docs {
		_is_document(d)
	}
} else := {"attribute": "policy", "statements": [], "unknown": true, "documents": set()}

_is_document(address) if {
	d := input.resources[address]
	d.type == "aws_iam_policy_document"
	d.mode == "data"
}

# _document_sources are the attributes of aws_iam_policy_document that merge
# other policies into it.
_document_sources := ["source_policy_documents", "override_policy_documents", "source_json", "override_json"]

# _document_graph: each policy document data source -> the documents its
# source and override attributes reference.
_document_graph := {address: {t |
	some a in _document_sources
	some t in resource.targets(d, a)
	_is_document(t)
} |
	some address, d in resource.data_sources
	d.type == "aws_iam_policy_document"
}

_documents_policy(r) := {
	"attribute": "policy",
	"statements": [s | some d in docs; some s in _document_statements(input.resources[d])],
	"unknown": count({d | some d in docs; _document_uncertain(input.resources[d])}) > 0,
	"documents": docs,
} if {
	docs := graph.reachable(_document_graph, resource.targets(r, "policy"))
}

# _document_statements(d): the statement blocks of an aws_iam_policy_document
# and the statements of the known JSON policies merged into it.
_document_statements(d) := array.concat(
	[_hcl_statement(s, _element_unknown(blocks, u, i), _dynamic_fields(d, i)) |
		some i, s in as_list(blocks)
		is_object(s)
	],
	[s |
		some a in _document_sources
		some text in as_list(resource.value(d, [a]))
		is_string(text)
		json.is_valid(text)
		some s in _json_statements(json.unmarshal(text), false)
	],
) if {
	blocks := resource.value(d, ["statement"])
	u := _unknown_at(d, ["statement"])
}

# _document_uncertain(d): the statement blocks are not all known, or a
# merged policy is unknown without being one of the documents followed
# through the graph.
_document_uncertain(d) if _list_unknown(d, ["statement"])

_document_uncertain(d) if {
	some p in object.get(d, ["meta", "dynamic_unknown"], [])
	parts := split(p, ".")
	parts[0] == "statement"
	count(parts) <= 2
}

_document_uncertain(d) if {
	some a in _document_sources
	uncertain(d, [a])
	not _explained(d, a)
}

# _explained(d, a): every unknown part of the source attribute a is a
# reference to another policy document (followed through the graph).
_explained(d, a) if {
	docs := resource.targets(d, a)
	count(docs) > 0
	every t in docs {
		_is_document(t)
	}
	count([1 | walk(_unknown_at(d, [a]), [_, v]); v == true]) <= count(docs)
}

# _unknown_at(r, segments) is the unknown tree at segments (false when
# nothing there is marked).
_unknown_at(r, segments) := object.get(object.get(r, "unknown", {}), segments, false)

# _list_unknown(r, segments): the list at segments, an enclosing value or a
# whole element of it is unknown.
_list_unknown(r, segments) if resource.unknown(r, segments)

_list_unknown(r, segments) if {
	u := _unknown_at(r, segments)
	is_array(u)
	some x in u
	x == true
}

_list_unknown_flag(r, segments) if _list_unknown(r, segments)

else := false

# _element_unknown(statements, u, i): the unknown tree of statement i, given
# the Statement value (a list, or one statement) and its unknown tree u.
_element_unknown(statements, u, i) := u if {
	is_object(statements)
	is_object(u)
} else := u[i] if {
	is_array(u)
	is_object(u[i])
} else := false

# _fields_unknown(u, fields): the normalised fields of which a part is
# unknown in the statement's unknown tree u; fields maps the statement's keys
# to the normalised names.
_fields_unknown(u, fields) := {name |
	is_object(u)
	some key, name in fields
	walk(object.get(u, key, false), [_, v])
	v == true
}

_json_fields := {"Effect": "effect", "Action": "actions", "Principal": "principals", "Condition": "conditions"}

_hcl_fields := {"effect": "effect", "actions": "actions", "principals": "principals", "condition": "conditions"}

# _dynamic_fields(d, i): the fields of statement block i that a dynamic block
# with an unknown for_each generates (a dynamic "condition").
_dynamic_fields(d, i) := {name |
	some p in object.get(d, ["meta", "dynamic_unknown"], [])
	parts := split(p, ".")
	count(parts) > 2
	parts[0] == "statement"
	parts[1] == sprintf("%v", [i])
	name := _hcl_fields[parts[2]]
}

_json_statements(doc, u) := [_json_statement(s, _element_unknown(statements, u, i)) |
	some i, s in _statement_list(statements)
	is_object(s)
] if {
	is_object(doc)
	statements := object.get(doc, "Statement", [])
} else := []

_json_statement(s, u) := {
	"effect": lower_string(object.get(s, "Effect", "")),
	"actions": {lower_string(a) | some a in as_list(object.get(s, "Action", []))},
	"principals": _json_principals(object.get(s, "Principal", null)),
	"conditions": {{"op": lower_string(op), "key": lower_string(k), "values": {scalar_text(x) | some x in as_list(values)}} |
		some op, block in _object(object.get(s, "Condition", {}))
		some k, values in _object(block)
	},
	"unknown": _fields_unknown(u, _json_fields),
}

_json_principals(p) := {"*:*"} if p == "*"

else := {concat(":", [lower_string(t), lower_string(id)]) |
	some t, ids in _object(p)
	some id in as_list(ids)
}

_hcl_statement(s, u, dynamic) := {
	"effect": lower_string(object.get(s, "effect", "Allow")),
	"actions": {lower_string(a) | some a in as_list(object.get(s, "actions", []))},
	"principals": {concat(":", [lower_string(object.get(p, "type", "")), lower_string(id)]) |
		some p in as_list(object.get(s, "principals", []))
		is_object(p)
		some id in as_list(object.get(p, "identifiers", []))
	},
	"conditions": {{"op": lower_string(object.get(c, "test", "")), "key": lower_string(object.get(c, "variable", "")), "values": {scalar_text(x) | some x in as_list(object.get(c, "values", []))}} |
		some c in as_list(object.get(s, "condition", []))
		is_object(c)
	},
	"unknown": (_fields_unknown(u, _hcl_fields) | dynamic),
}

_object(x) := x if is_object(x)

else := {}

# _statement_list(x): a policy's Statement is a list or a single statement.
_statement_list(x) := [x] if is_object(x)

else := as_list(x)
