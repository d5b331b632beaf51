# Package portcullis.lib.network is the normalised view of network access rules
# that every network policy is written against.
#
# data.portcullis.lib.network.rules holds one object per ingress or egress rule,
# whatever form declared it:
#
#   - inline ingress/egress blocks of aws_security_group and
#     aws_default_security_group (path "ingress.0");
#   - aws_security_group_rule (path "");
#   - aws_vpc_security_group_ingress_rule and aws_vpc_security_group_egress_rule
#     (path "");
#   - CloudFormation AWS::EC2::SecurityGroup SecurityGroupIngress and
#     SecurityGroupEgress entries (path "SecurityGroupIngress.0"), and
#     AWS::EC2::SecurityGroupIngress / AWS::EC2::SecurityGroupEgress (path "").
#
# Each form is described by a field map in _inline or _standalone (which attribute holds the
# protocol, the ports, the CIDRs, ...); one generic builder turns a field map and
# a values object into a rule. A new form is one more entry, not a new builder.
#
# Element shape (every key is always present unless said otherwise):
#
#   resource            address of the resource that declares the rule
#   resource_type       its type
#   format              "terraform", "terraform-plan" or "cloudformation"
#   direction           "ingress", "egress", or "" when it is unknown
#   path                the rule's own attribute path: "ingress.0" for an inline
#                       block, "" for a standalone rule resource
#   group               address of the owning security group: the resource itself
#                       for inline blocks; for standalone rules the target of the
#                       reference edge of group_attribute; "" when not known
#   group_attribute     attribute naming the owning group ("security_group_id",
#                       "GroupId"); "" for inline blocks
#   protocol            normalised lower-case protocol: "tcp", "udp", "icmp",
#                       "icmpv6", "-1" (all protocols, also written "all"), other
#                       protocols as written; "" when unknown
#   protocol_known      false when the protocol is unknown or missing
#   all_protocols       protocol is "-1": every protocol and every port
#   port_based          the protocol's traffic is addressed by TCP/UDP ports (tcp,
#                       udp, -1)
#   ports_known         from_port and to_port are present
#   from_port, to_port  numbers; present only when ports_known. For protocol -1
#                       0 and 65535 whatever was written; for tcp/udp the range as
#                       written with -1 meaning 0 (from) or 65535 (to); for other
#                       protocols the numbers as written (ICMP type and code)
#   all_ports           every TCP/UDP port 0-65535 is open (always for -1)
#   ipv4, ipv6          [{cidr, path}]: the known CIDR sources (ingress) or
#                       destinations (egress), path = attribute path of the element
#                       ("ingress.0.cidr_blocks.1", "cidr_ipv4")
#   cidrs_unknown       some CIDR element or CIDR attribute is unknown
#   source_groups       [{path} + {id} when known]: security group peers
#   source_group_targets sorted addresses that the peer attributes reference
#   prefix_lists        [{path} + {id} when known]: managed prefix list peers
#   self                the rule allows the group itself
#   description         the description string; present only when it is known
#                       and set (it may be empty)
#   description_unknown the description is unknown
#   description_path    attribute path of the description ("ingress.0.description")
package portcullis.lib.network

import data.portcullis.lib.ports

# ---------------------------------------------------------------------------
# Form descriptions

_tf_inline := {
	"protocol": "protocol",
	"from": "from_port",
	"to": "to_port",
	"ipv4": [{"key": "cidr_blocks", "list": true}],
	"ipv6": [{"key": "ipv6_cidr_blocks", "list": true}],
	"groups": [{"key": "security_groups", "list": true}],
	"prefix_lists": [{"key": "prefix_list_ids", "list": true}],
	"self": "self",
	"description": "description",
}

_tf_rule := object.union(_tf_inline, {
	"groups": [{"key": "source_security_group_id", "list": false}],
	"group": "security_group_id",
})

_tf_vpc_rule := {
	"protocol": "ip_protocol",
	"from": "from_port",
	"to": "to_port",
	"ipv4": [{"key": "cidr_ipv4", "list": false}],
	"ipv6": [{"key": "cidr_ipv6", "list": false}],
	"groups": [{"key": "referenced_security_group_id", "list": false}],
	"prefix_lists": [{"key": "prefix_list_id", "list": false}],
	"description": "description",
	"group": "security_group_id",
}

_cfn_ingress := {
	"protocol": "IpProtocol",
	"from": "FromPort",
	"to": "ToPort",
	"ipv4": [{"key": "CidrIp", "list": false}],
	"ipv6": [{"key": "CidrIpv6", "list": false}],
	"groups": [
		{"key": "SourceSecurityGroupId", "list": false},
		{"key": "SourceSecurityGroupName", "list": false},
	],
	"prefix_lists": [{"key": "SourcePrefixListId", "list": false}],
	"description": "Description",
}

_cfn_egress := object.union(_cfn_ingress, {
	"groups": [{"key": "DestinationSecurityGroupId", "list": false}],
	"prefix_lists": [{"key": "DestinationPrefixListId", "list": false}],
})

# _inline: resource type -> {block attribute: [direction, field map]}.
_inline := {
	"aws_security_group": {"ingress": ["ingress", _tf_inline], "egress": ["egress", _tf_inline]},
	"aws_default_security_group": {"ingress": ["ingress", _tf_inline], "egress": ["egress", _tf_inline]},
	"AWS::EC2::SecurityGroup": {
		"SecurityGroupIngress": ["ingress", _cfn_ingress],
		"SecurityGroupEgress": ["egress", _cfn_egress],
	},
}

# _standalone: resource type -> field map (direction comes from _direction).
_standalone := {
	"aws_security_group_rule": _tf_rule,
	"aws_vpc_security_group_ingress_rule": _tf_vpc_rule,
	"aws_vpc_security_group_egress_rule": _tf_vpc_rule,
	"AWS::EC2::SecurityGroupIngress": object.union(_cfn_ingress, {"group": "GroupId"}),
	"AWS::EC2::SecurityGroupEgress": object.union(_cfn_egress, {"group": "GroupId"}),
}

# group_types are the resource types that are security groups (owners of rules).
group_types := {"aws_security_group", "aws_default_security_group", "AWS::EC2::SecurityGroup"}

# rule_types are every resource type that declares network rules.
rule_types := {t | some t, _ in _inline} | {t | some t, _ in _standalone}

_fixed_direction := {
	"aws_vpc_security_group_ingress_rule": "ingress",
	"aws_vpc_security_group_egress_rule": "egress",
	"AWS::EC2::SecurityGroupIngress": "ingress",
	"AWS::EC2::SecurityGroupEgress": "egress",
}

_direction(res) := _fixed_direction[res.type]

_direction(res) := d if {
	res.type == "aws_security_group_rule"
	d := object.get(res, ["values", "type"], "")
	d in {"ingress", "egress"}
}

_direction(res) := "" if {
	res.type == "aws_security_group_rule"
	not object.get(res, ["values", "type"], "") in {"ingress", "egress"}
}

# ---------------------------------------------------------------------------
# The normalised rules

# managed_resources are the input resources that are not data sources, keyed by
# address. An object comprehension, not a partial object rule: OPA checks each
# key of a partial object against every key already built, which is quadratic
# in the number of resources (100,000 resources took minutes).
managed_resources := {address: res |
	some address, res in input.resources
	object.get(res, "mode", "managed") == "managed"
}

rules contains rule if {
	some address, res in managed_resources
	some attr, form in _inline[res.type]
	some i, block in object.get(res, ["values", attr], [])
	is_object(block)
	rule := _build(address, res, form[0], [attr, i], form[1], address)
}

# A single nested block written as a JSON object in a .tf.json file
# ("ingress": {...} instead of [{...}]) is one block, at the attribute's path.
rules contains rule if {
	some address, res in managed_resources
	some attr, form in _inline[res.type]
	block := object.get(res, ["values", attr], [])
	is_object(block)
	rule := _build(address, res, form[0], [attr], form[1], address)
}

rules contains rule if {
	some address, res in managed_resources
	spec := _standalone[res.type]
	rule := _build(address, res, _direction(res), [], spec, _owner(res, spec.group))
}

# _owner(res, attr) is the address of the group that the reference edge of
# attribute attr points at (the smallest, should there be several), or "".
_owner(res, attr) := min(targets) if {
	targets := {ref.target | some ref in object.get(res, "references", []); ref.attribute == attr}
	count(targets) > 0
} else := ""

_build(address, res, direction, base, spec, group) := rule if {
	# The rule's own values and unknown subtrees, looked up once. unknown is true
	# when the whole rule is unknown, else an object.
	values := object.get(object.get(res, "values", {}), base, {})
	unknown := _unknown_subtree(object.get(res, "unknown", {}), base)
	prefix := path(base)
	ipv4 := _elements(values, prefix, spec.ipv4)
	ipv6 := _elements(values, prefix, spec.ipv6)
	groups := _elements(values, prefix, spec.groups)
	prefix_lists := _elements(values, prefix, spec.prefix_lists)
	protocol := _protocol(values, unknown, spec.protocol)
	rule := object.union(
		{
			"resource": address,
			"resource_type": res.type,
			"format": object.get(res, "format", ""),
			"direction": direction,
			"path": prefix,
			"group": group,
			"group_attribute": object.get(spec, "group", ""),
			"self": object.get(values, object.get(spec, "self", ""), false) == true,
			"description_unknown": _field_unknown(unknown, spec.description),
			"description_path": _join(prefix, spec.description),
			"ipv4": _cidrs(ipv4),
			"ipv6": _cidrs(ipv6),
			"cidrs_unknown": _any_unknown(unknown, array.concat(spec.ipv4, spec.ipv6), array.concat(ipv4, ipv6)),
			"source_groups": _peers(unknown, prefix, spec.groups, groups),
			"source_group_targets": _targets(res, prefix, spec.groups),
			"prefix_lists": _peers(unknown, prefix, spec.prefix_lists, prefix_lists),
		},
		object.union(
			_description(values, spec.description),
			object.union(protocol, _ports(values, unknown, spec, protocol)),
		),
	)
}

# ---------------------------------------------------------------------------
# Values and unknowns

# path(segments) joins attribute path segments: ["ingress", 0, "cidr_blocks"] ->
# "ingress.0.cidr_blocks".
path(segments) := concat(".", [sprintf("%v", [s]) | some s in segments])

_join(prefix, key) := key if prefix == ""

_join(prefix, key) := concat(".", [prefix, sprintf("%v", [key])]) if prefix != ""

# is_unknown(unknown, segments) is true when the value at segments is unknown
# in the resource's unknown tree: the leaf itself or any enclosing value is
# marked true.
is_unknown(unknown, segments) if {
	count(segments) > 0
	some n in numbers.range(1, count(segments))
	object.get(unknown, array.slice(segments, 0, n), false) == true
} else := false

# _unknown_subtree(unknown, base) is true when the value at base (or an
# enclosing one) is unknown, else the unknown object at base ({} if none).
_unknown_subtree(unknown, base) if {
	is_unknown(unknown, base)
} else := sub if {
	sub := object.get(unknown, base, {})
	is_object(sub)
} else := {}

# _field_unknown(unknown, key) is true when attribute key of a rule whose
# unknown subtree is given is unknown as a whole.
_field_unknown(true, _) := true

_field_unknown(unknown, key) := object.get(unknown, key, false) == true if is_object(unknown)

# _elements lists {value, path, key} for every element of the attributes in
# fields (list attributes element by element, scalar attributes once). Unknown
# array elements come through as null values.
_elements(values, prefix, fields) := array.concat(
	[{"value": v, "path": _join(_join(prefix, f.key), i)} |
		some f in fields
		f.list
		some i, v in _list(object.get(values, f.key, null))
	],
	[{"value": v, "path": _join(prefix, f.key)} |
		some f in fields
		not f.list
		v := object.get(values, f.key, null)
		v != null
	],
)

_list(v) := v if is_array(v)

_list(v) := [] if not is_array(v)

_cidrs(elements) := [{"cidr": e.value, "path": e.path} |
	some e in elements
	is_string(e.value)
]

_any_unknown(unknown, fields, elements) if {
	some f in fields
	_field_unknown(unknown, f.key)
} else if {
	some e in elements
	e.value == null
} else := false

_peers(unknown, prefix, fields, elements) := array.concat(
	[{"path": e.path, "id": e.value} |
		some e in elements
		is_string(e.value)
	],
	array.concat(
		[{"path": e.path} |
			some e in elements
			not is_string(e.value)
		],
		[{"path": _join(prefix, f.key)} |
			some f in fields
			_field_unknown(unknown, f.key)
		],
	),
)

# _targets are the addresses referenced from the peer attributes (the attribute
# itself or one of its elements).
_targets(res, prefix, fields) := sort({ref.target |
	some f in fields
	attr := _join(prefix, f.key)
	some ref in object.get(res, "references", [])
	_within(ref.attribute, attr)
})

_within(p, attr) if p == attr

_within(p, attr) if startswith(p, concat("", [attr, "."]))

_description(values, key) := {"description": d} if {
	d := values[key]
	is_string(d)
} else := {}

# ---------------------------------------------------------------------------
# Protocol and ports

_protocol(values, unknown, key) := {
	"protocol": protocol,
	"protocol_known": true,
	"all_protocols": protocol == ports.all_protocols,
	"port_based": _port_based(protocol),
} if {
	not _field_unknown(unknown, key)
	raw := values[key]
	raw != null
	protocol := ports.normalise_protocol(raw)
} else := {
	"protocol": "",
	"protocol_known": false,
	"all_protocols": false,
	"port_based": false,
}

_port(values, unknown, key) := n if {
	not _field_unknown(unknown, key)
	n := ports.to_port_number(values[key])
}

_ports(values, unknown, spec, protocol) := {
	"ports_known": true,
	"from_port": ports.min_port,
	"to_port": ports.max_port,
	"all_ports": true,
} if {
	protocol.all_protocols
} else := r if {
	protocol.protocol_known
	from := _port(values, unknown, spec.from)
	to := _port(values, unknown, spec.to)
	r := _range(protocol.port_based, from, to)
} else := {"ports_known": false, "all_ports": false}

# _range normalises a known range: for TCP and UDP, -1 stands for the edge of
# the port space.
_range(true, from, to) := {
	"ports_known": true,
	"from_port": f,
	"to_port": t,
	"all_ports": _covers_all(f, t),
} if {
	f := _edge(from, ports.min_port)
	t := _edge(to, ports.max_port)
}

_range(false, from, to) := {
	"ports_known": true,
	"from_port": from,
	"to_port": to,
	"all_ports": false,
}

_port_based(protocol) if ports.port_based(protocol)

else := false

_covers_all(from, to) if {
	from <= ports.min_port
	to >= ports.max_port
} else := false

_edge(n, default_value) := default_value if n < 0

_edge(n, _) := n if n >= 0

# ---------------------------------------------------------------------------
# Helpers for messages and rules

# label(rule) names a rule in messages: "aws_security_group.web ingress.0" for an
# inline block, "aws_security_group_rule.ssh on aws_security_group.web" for a
# standalone rule whose group is known, the bare address otherwise.
label(rule) := sprintf("%s %s", [rule.resource, rule.path]) if rule.path != ""

label(rule) := sprintf("%s on %s", [rule.resource, rule.group]) if {
	rule.path == ""
	rule.group != ""
}

label(rule) := rule.resource if {
	rule.path == ""
	rule.group == ""
}

# ingress are the normalised ingress rules.
ingress := {r | some r in rules; r.direction == "ingress"}

# egress are the normalised egress rules.
egress := {r | some r in rules; r.direction == "egress"}
