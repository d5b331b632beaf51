# Package portcullis.lib.network is the normalised view of network access rules
# that every network policy is written against, whatever the provider and the
# form that declared them.
#
# data.portcullis.lib.network.rules holds one element per access rule. The
# normalisers (one per source form, described as data below and in
# network_azure.rego and network_gcp.rego) build a core object; complete()
# derives the rest, so every element has the same shape:
#
#   resource            address of the resource that declares the rule
#   resource_type       its type
#   format              "terraform", "terraform-plan" or "cloudformation"
#   provider            "aws", "azure" or "gcp"
#   kind                "security_group" (AWS VPC security groups),
#                       "network_acl" (AWS NACLs), "classic_group" (EC2-Classic
#                       era RDS, Redshift and ElastiCache groups), "nsg" (Azure
#                       network security groups), "firewall" (GCP firewalls)
#   direction           "ingress", "egress", or "" when it is unknown
#   action              "allow", "deny", or "" when it is unknown
#   enabled             false when the rule is switched off (a disabled GCP
#                       firewall); it admits nothing
#   priority            number; present where order decides (NACL rule number,
#                       NSG and GCP priority: lower is evaluated first)
#   path                the rule's own attribute path: "ingress.0" for an inline
#                       block, "" for a resource that is one rule
#   protects            address of what the rule belongs to and guards: the
#                       security group, network ACL or NSG (the resource itself
#                       for inline blocks; the target of the reference edge of
#                       protects_attribute for standalone rules), the GCP
#                       firewall's network; "" when not known
#   protects_attribute  attribute naming it ("security_group_id", "GroupId",
#                       "network_acl_id"); "" for inline blocks
#   targets             [{value, path}]: what narrows the rule to part of what
#                       it protects: GCP target tags and service accounts,
#                       an Azure rule's local side when it is not every
#                       address and its source ports when not "*" (empty: the
#                       whole group, ACL, NSG or network). A deny with targets
#                       never shadows an allow
#   protocol            normalised lower-case protocol: "tcp", "udp", "icmp",
#                       "icmpv6", "-1" (all protocols: AWS "-1"/"all", Azure "*",
#                       GCP "all"), other protocols as written ("esp", "50");
#                       "" when unknown
#   protocol_known      false when the protocol is unknown or missing
#   all_protocols       protocol is "-1": every protocol and every port
#   port_based          the protocol's traffic is addressed by TCP/UDP ports
#                       (tcp, udp, sctp, -1)
#   ports_known         the port ranges are known
#   ranges              [{from, to, path}]: the destination port ranges, in the
#                       order written (Azure "*", "22", "1000-2000" and lists;
#                       GCP port lists; AWS from_port/to_port with -1 meaning the
#                       edge of the port space). AWS protocol -1 and GCP "all"
#                       give one range 0-65535; an Azure "*" rule keeps the
#                       ports it names. Empty for port-less protocols and when
#                       unknown
#   all_ports           the ranges cover every TCP/UDP port (1-65535 is enough:
#                       port 0 is reserved, see ports.every_port)
#   ipv4, ipv6          [{cidr, path}]: the known remote CIDRs: sources for
#                       ingress, destinations for egress. path is the attribute
#                       path of the element ("ingress.0.cidr_blocks.1")
#   tags                [{tag, path}]: named remote address sets (Azure service
#                       tags "Internet", "*", "Any", "VirtualNetwork", ...)
#   internet            [{value, path}]: the remote peers that are the whole
#                       internet: a CIDR with prefix length 0 (0.0.0.0/0, ::/0,
#                       also 10.0.0.0/0) or the tags "*", "Internet", "Any"
#   cidrs_unknown       some remote address is unknown
#   source_groups       [{path} + {id} when known]: security group peers
#   source_group_targets sorted addresses that the peer attributes reference
#   prefix_lists        [{path} + {id} when known]: managed prefix list peers
#   self                the rule allows the group itself
#   service             for rules without ports: what listens ("database" for
#                       an RDS DB security group); "" otherwise
#   description         the description string; present only when it is known
#                       and set (it may be empty)
#   description_unknown the description is unknown
#   description_path    attribute path of the description
#
# Order-sensitive sources are judged on what they actually admit: see
# admitted(rule, peer) and open_ingress. A deny that may not exist (from an
# unknown count or for_each, a dynamic block whose for_each is unknown, or a
# CloudFormation Condition that cannot be decided) takes nothing away.
package portcullis.lib.network

import data.portcullis.lib.cidr
import data.portcullis.lib.ports
import data.portcullis.lib.resource

# ---------------------------------------------------------------------------
# Form descriptions: which attribute holds what. Keys are dotted paths
# relative to the rule ("PortRange.From"). Optional keys: direction_key (an
# attribute naming the direction), egress_key (a boolean attribute that is
# true for egress), action_key, priority, protects, protocol_value (a fixed
# protocol), service.

_tf_inline := {
	"kind": "security_group",
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
	"protects": "security_group_id",
	"direction_key": "type",
})

_tf_vpc_rule := {
	"kind": "security_group",
	"protocol": "ip_protocol",
	"from": "from_port",
	"to": "to_port",
	"ipv4": [{"key": "cidr_ipv4", "list": false}],
	"ipv6": [{"key": "cidr_ipv6", "list": false}],
	"groups": [{"key": "referenced_security_group_id", "list": false}],
	"prefix_lists": [{"key": "prefix_list_id", "list": false}],
	"description": "description",
	"protects": "security_group_id",
}

_cfn_ingress := {
	"kind": "security_group",
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

_tf_nacl_inline := {
	"kind": "network_acl",
	"protocol": "protocol",
	"from": "from_port",
	"to": "to_port",
	"ipv4": [{"key": "cidr_block", "list": false}],
	"ipv6": [{"key": "ipv6_cidr_block", "list": false}],
	"action_key": "action",
	"priority": "rule_no",
}

_tf_nacl_rule := {
	"kind": "network_acl",
	"protocol": "protocol",
	"from": "from_port",
	"to": "to_port",
	"ipv4": [{"key": "cidr_block", "list": false}],
	"ipv6": [{"key": "ipv6_cidr_block", "list": false}],
	"action_key": "rule_action",
	"priority": "rule_number",
	"egress_key": "egress",
	"protects": "network_acl_id",
}

_cfn_nacl_entry := {
	"kind": "network_acl",
	"protocol": "Protocol",
	"from": "PortRange.From",
	"to": "PortRange.To",
	"ipv4": [{"key": "CidrBlock", "list": false}],
	"ipv6": [{"key": "Ipv6CidrBlock", "list": false}],
	"action_key": "RuleAction",
	"priority": "RuleNumber",
	"egress_key": "Egress",
	"protects": "NetworkAclId",
}

# Classic groups open the port of the database, cluster or cache they are
# attached to: there is no port or protocol to read.
_tf_db_classic := {
	"kind": "classic_group",
	"protocol_value": "tcp",
	"service": "database",
	"ipv4": [{"key": "cidr", "list": false}],
	"ipv6": [],
	"groups": [
		{"key": "security_group_id", "list": false},
		{"key": "security_group_name", "list": false},
	],
}

_tf_redshift_classic := object.union(_tf_db_classic, {
	"service": "data warehouse",
	"groups": [{"key": "security_group_name", "list": false}],
})

_cfn_db_classic := {
	"kind": "classic_group",
	"protocol_value": "tcp",
	"service": "database",
	"ipv4": [{"key": "CIDRIP", "list": false}],
	"ipv6": [],
	"groups": [
		{"key": "EC2SecurityGroupId", "list": false},
		{"key": "EC2SecurityGroupName", "list": false},
	],
}

_cfn_elasticache_classic := {
	"kind": "classic_group",
	"protocol_value": "tcp",
	"service": "cache",
	"ipv4": [],
	"ipv6": [],
	"groups": [{"key": "EC2SecurityGroupName", "list": false}],
	"protects": "CacheSecurityGroupName",
}

# _inline: resource type -> {block attribute: [direction, field map]}.
_inline := {
	"aws_security_group": {"ingress": ["ingress", _tf_inline], "egress": ["egress", _tf_inline]},
	"aws_default_security_group": {"ingress": ["ingress", _tf_inline], "egress": ["egress", _tf_inline]},
	"AWS::EC2::SecurityGroup": {
		"SecurityGroupIngress": ["ingress", _cfn_ingress],
		"SecurityGroupEgress": ["egress", _cfn_egress],
	},
	"aws_network_acl": {"ingress": ["ingress", _tf_nacl_inline], "egress": ["egress", _tf_nacl_inline]},
	"aws_default_network_acl": {"ingress": ["ingress", _tf_nacl_inline], "egress": ["egress", _tf_nacl_inline]},
	"aws_db_security_group": {"ingress": ["ingress", _tf_db_classic]},
	"aws_redshift_security_group": {"ingress": ["ingress", _tf_redshift_classic]},
	"AWS::RDS::DBSecurityGroup": {"DBSecurityGroupIngress": ["ingress", _cfn_db_classic]},
}

# _standalone: resource type -> field map.
_standalone := {
	"aws_security_group_rule": _tf_rule,
	"aws_vpc_security_group_ingress_rule": object.union(_tf_vpc_rule, {"direction": "ingress"}),
	"aws_vpc_security_group_egress_rule": object.union(_tf_vpc_rule, {"direction": "egress"}),
	"AWS::EC2::SecurityGroupIngress": object.union(_cfn_ingress, {"protects": "GroupId", "direction": "ingress"}),
	"AWS::EC2::SecurityGroupEgress": object.union(_cfn_egress, {"protects": "GroupId", "direction": "egress"}),
	"aws_network_acl_rule": _tf_nacl_rule,
	"AWS::EC2::NetworkAclEntry": _cfn_nacl_entry,
	"AWS::RDS::DBSecurityGroupIngress": object.union(_cfn_db_classic, {"protects": "DBSecurityGroupName", "direction": "ingress"}),
	"AWS::Redshift::ClusterSecurityGroupIngress": object.union(_cfn_db_classic, {
		"service": "data warehouse",
		"groups": [{"key": "EC2SecurityGroupName", "list": false}],
		"protects": "ClusterSecurityGroupName",
		"direction": "ingress",
	}),
	"AWS::ElastiCache::SecurityGroupIngress": object.union(_cfn_elasticache_classic, {"direction": "ingress"}),
}

# group_types are the resource types that hold rules as a group: AWS security
# groups, network ACLs and classic groups, Azure NSGs, GCP firewalls.
group_types := {
	"aws_security_group", "aws_default_security_group", "AWS::EC2::SecurityGroup",
	"aws_network_acl", "aws_default_network_acl", "AWS::EC2::NetworkAcl",
	"aws_db_security_group", "aws_redshift_security_group", "aws_elasticache_security_group",
	"AWS::RDS::DBSecurityGroup", "AWS::Redshift::ClusterSecurityGroup", "AWS::ElastiCache::SecurityGroup",
	"azurerm_network_security_group", "google_compute_firewall",
}

# security_group_types are the AWS VPC security group types.
security_group_types := {"aws_security_group", "aws_default_security_group", "AWS::EC2::SecurityGroup"}

# rule_types are every resource type that declares network rules.
# Normalisers in other files of this package add theirs.
rule_types contains t if some t, _ in _inline

rule_types contains t if some t, _ in _standalone

# ---------------------------------------------------------------------------
# The normalised rules

rules contains rule if {
	some address, res in resource.of_types({t | some t, _ in _inline})
	some attr, form in _inline[res.type]
	some i, block in object.get(res, ["values", attr], [])
	is_object(block)
	rule := complete(_build(address, res, form[0], [attr, i], form[1], address))
}

# A single nested block written as a JSON object in a .tf.json file, or a
# single CloudFormation entry written as a mapping, is one block at the
# attribute's path.
rules contains rule if {
	some address, res in resource.of_types({t | some t, _ in _inline})
	some attr, form in _inline[res.type]
	block := object.get(res, ["values", attr], [])
	is_object(block)
	rule := complete(_build(address, res, form[0], [attr], form[1], address))
}

rules contains rule if {
	some address, res in resource.of_types({t | some t, _ in _standalone})
	spec := _standalone[res.type]
	rule := complete(_build(address, res, _direction(res, spec), [], spec, _owner(res, object.get(spec, "protects", ""))))
}

# _direction(res, spec) is the direction of a standalone rule: fixed by its
# type, named by an attribute ("type" = "ingress"), or a boolean egress
# attribute (NACL rules; false or missing means ingress).
_direction(res, spec) := spec.direction if {
	spec.direction
} else := d if {
	d := object.get(res, ["values", spec.direction_key], "")
	d in {"ingress", "egress"}
} else := "" if {
	spec.direction_key
} else := "" if {
	resource.unknown(res, split(spec.egress_key, "."))
} else := "egress" if {
	resource.is_true(res, split(spec.egress_key, "."))
} else := "ingress" if {
	spec.egress_key
} else := ""

# _owner(res, attr) is the address of the resource that the reference edge of
# attribute attr points at (the smallest, should there be several), or "".
_owner(res, attr) := min(targets) if {
	attr != ""
	targets := {ref.target | some ref in object.get(res, "references", []); ref.attribute == attr}
	count(targets) > 0
} else := ""

_build(address, res, direction, base, spec, protects) := rule if {
	# The rule's own values and unknown subtrees, looked up once. unknown is true
	# when the whole rule is unknown, else an object.
	values := object.get(object.get(res, "values", {}), base, {})
	unknown := _unknown_subtree(object.get(res, "unknown", {}), base)
	prefix := path(base)
	ipv4 := _elements(values, prefix, spec.ipv4)
	ipv6 := _elements(values, prefix, spec.ipv6)
	groups := _elements(values, prefix, object.get(spec, "groups", []))
	prefix_lists := _elements(values, prefix, object.get(spec, "prefix_lists", []))
	protocol := _protocol(values, unknown, spec)
	description_key := object.get(spec, "description", "")
	rule := object.union_n([
		{
			"resource": address,
			"resource_type": res.type,
			"format": object.get(res, "format", ""),
			"provider": "aws",
			"kind": spec.kind,
			"direction": direction,
			"action": _action(values, unknown, spec),
			"enabled": true,
			"path": prefix,
			"protects": protects,
			"protects_attribute": object.get(spec, "protects", ""),
			"protocol": protocol,
			"self": object.get(values, object.get(spec, "self", ""), false) == true,
			"service": object.get(spec, "service", ""),
			"description_unknown": _description_unknown(unknown, description_key),
			"description_path": _join(prefix, description_key),
			"ipv4": _cidrs(ipv4),
			"ipv6": _cidrs(ipv6),
			"cidrs_unknown": _any_unknown(unknown, array.concat(spec.ipv4, spec.ipv6), array.concat(ipv4, ipv6)),
			"source_groups": _peers(unknown, prefix, object.get(spec, "groups", []), groups),
			"source_group_targets": _targets(res, prefix, object.get(spec, "groups", [])),
			"prefix_lists": _peers(unknown, prefix, object.get(spec, "prefix_lists", []), prefix_lists),
		},
		_description(values, description_key),
		_priority(values, unknown, spec),
		_aws_ranges(values, unknown, prefix, spec, protocol),
	])
}

# complete(core) derives the shared fields from a normaliser's core object,
# which holds at least resource, resource_type, format, provider, kind,
# direction, action, path, protects, protocol (normalised, "" when unknown),
# ranges and ports_known. Missing optional fields get their empty value.
complete(core) := object.union_n([
	{
		"enabled": true,
		"protects": "",
		"protects_attribute": "",
		"targets": [],
		"ipv4": [],
		"ipv6": [],
		"tags": [],
		"cidrs_unknown": false,
		"source_groups": [],
		"source_group_targets": [],
		"prefix_lists": [],
		"self": false,
		"service": "",
		"description_unknown": false,
		"description_path": "",
		"group": object.get(core, "protects", ""),
		"group_attribute": object.get(core, "protects_attribute", ""),
	},
	core,
	{
		"protocol_known": core.protocol != "",
		"all_protocols": core.protocol == ports.all_protocols,
		"port_based": _port_based(core.protocol),
		"all_ports": _covers_all(core),
		"internet": _internet(core),
	},
])

# ---------------------------------------------------------------------------
# Values and unknowns

# path(segments) joins attribute path segments: ["ingress", 0, "cidr_blocks"] ->
# "ingress.0.cidr_blocks".
path(segments) := resource.path(segments)

_join(_, "") := ""

_join(prefix, key) := resource.join(prefix, key) if key != ""

# is_unknown(unknown, segments): see resource.is_unknown.
is_unknown(unknown, segments) := resource.is_unknown(unknown, segments)

# _unknown_subtree(unknown, base) is true when the value at base (or an
# enclosing one) is unknown, else the unknown object at base ({} if none).
_unknown_subtree(unknown, base) if {
	resource.is_unknown(unknown, base)
} else := sub if {
	sub := object.get(unknown, base, {})
	is_object(sub)
} else := {}

# _field_unknown(unknown, key) is true when the attribute at dotted path key
# of a rule whose unknown subtree is given is unknown (or an enclosing value
# is).
_field_unknown(true, _) := true

_field_unknown(unknown, key) := resource.is_unknown(unknown, split(key, ".")) if is_object(unknown)

_description_unknown(_, "") := false

_description_unknown(unknown, key) := _field_unknown(unknown, key) if key != ""

_get(values, key) := object.get(values, split(key, "."), null)

# _elements lists {value, path} for every element of the attributes in
# fields (list attributes element by element, scalar attributes once).
# Unknown array elements come through as null values.
_elements(values, prefix, fields) := array.concat(
	[{"value": v, "path": _join(_join(prefix, f.key), i)} |
		some f in fields
		f.list
		some i, v in resource.as_array(_get(values, f.key))
	],
	[{"value": v, "path": _join(prefix, f.key)} |
		some f in fields
		not f.list
		v := _get(values, f.key)
		v != null
	],
)

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
	resource.within(ref.attribute, attr)
})

_description(_, "") := {}

_description(values, key) := {"description": d} if {
	key != ""
	d := _get(values, key)
	is_string(d)
} else := {}

# _action: AWS security groups and classic groups only allow; NACL rules say.
_action(values, unknown, spec) := "allow" if {
	not spec.action_key
} else := a if {
	not _field_unknown(unknown, spec.action_key)
	raw := _get(values, spec.action_key)
	is_string(raw)
	a := lower(trim_space(raw))
	a in {"allow", "deny"}
} else := ""

_priority(values, unknown, spec) := {"priority": n} if {
	not _field_unknown(unknown, spec.priority)
	n := ports.to_port_number(_get(values, spec.priority))
} else := {}

# ---------------------------------------------------------------------------
# Protocol and ports

_protocol(values, unknown, spec) := spec.protocol_value if {
	spec.protocol_value
} else := p if {
	not _field_unknown(unknown, spec.protocol)
	raw := _get(values, spec.protocol)
	raw != null
	p := ports.normalise_protocol(raw)
} else := ""

_port(values, unknown, key) := n if {
	not _field_unknown(unknown, key)
	n := ports.to_port_number(_get(values, key))
}

# _aws_ranges: AWS forms have one from/to pair. Protocol -1 opens every port
# whatever is written; for TCP and UDP -1 stands for the edge of the port
# space; for ICMP the numbers are type and code, not ports.
_aws_ranges(values, unknown, prefix, spec, protocol) := {"ports_known": true, "ranges": [{"from": ports.min_port, "to": ports.max_port, "path": ""}]} if {
	protocol == ports.all_protocols
} else := {"ports_known": false, "ranges": []} if {
	protocol == ""
} else := {"ports_known": true, "ranges": []} if {
	not _port_based(protocol)
} else := {"ports_known": true, "ranges": [{
	"from": _edge(from, ports.min_port),
	"to": _edge(to, ports.max_port),
	"path": _join(prefix, spec.from),
}]} if {
	from := _port(values, unknown, spec.from)
	to := _port(values, unknown, spec.to)
} else := {"ports_known": false, "ranges": []}

_port_based(protocol) if ports.port_based(protocol)

else := false

# _covers_all(rule): the union of the ranges covers every port
# (ports.every_port: port 0 may be left out).
_covers_all(rule) if {
	_port_based(rule.protocol)
	rule.ports_known
	count(subtract(ports.every_port, rule.ranges)) == 0
} else := false

_edge(n, default_value) := default_value if n < 0

_edge(n, _) := n if n >= 0

# subtract(ranges, holes) is ranges without the ports of holes, as sorted
# disjoint [{from, to}]. Each result segment starts at a range's start or
# just after a subtracted range, and ends just before the next subtracted
# range or at the range's end.
subtract(ranges, holes) := sort({{"from": s, "to": e} |
	some r in ranges
	starts := {r.from} | {x | some m in holes; x := m.to + 1; x > r.from; x <= r.to}
	some s in starts
	not _covered(s, holes)
	e := min({r.to} | {x | some m in holes; m.from > s; x := m.from - 1; x <= r.to})
})

_covered(p, holes) if {
	some m in holes
	m.from <= p
	p <= m.to
}

# ---------------------------------------------------------------------------
# The internet, and what order-sensitive sources actually admit

# internet_tags are the named address sets that stand for every address.
internet_tags := {"*", "internet", "any"}

_internet(core) := array.concat(
	[{"value": c.cidr, "path": c.path} |
		some c in array.concat(object.get(core, "ipv4", []), object.get(core, "ipv6", []))
		cidr.is_internet(c.cidr)
	],
	[{"value": t.tag, "path": t.path} |
		some t in object.get(core, "tags", [])
		lower(t.tag) in internet_tags
	],
)

# _family(value) is "ipv4" or "ipv6" for a CIDR, "any" for a tag.
_family(value) := "ipv6" if cidr.is_ipv6(value)

_family(value) := "ipv4" if cidr.is_ipv4(value)

_family(value) := "any" if not cidr.is_valid(value)

# _covers_family(deny, family): a deny rule's remote side includes the whole
# internet of that family.
_covers_family(deny, _) if {
	some p in deny.internet
	_family(p.value) == "any"
}

_covers_family(deny, family) if {
	family != "any"
	some p in deny.internet
	_family(p.value) == family
}

_covers_family(deny, "any") if {
	some p in deny.internet
	_family(p.value) == "ipv4"
	some q in deny.internet
	_family(q.value) == "ipv6"
}

# _covers_protocol(deny, rule): every packet of rule's protocol is matched by
# deny's protocol.
_covers_protocol(deny, _) if deny.all_protocols

_covers_protocol(deny, rule) if {
	deny.protocol_known
	deny.protocol == rule.protocol
}

# _ordered: the order-sensitive kinds. A rule of another kind is never
# shadowed (an AWS security group only allows, and allows add up).
_ordered := {"network_acl", "nsg", "firewall"}

# _precedes(deny, rule): deny is evaluated before rule. GCP evaluates a deny
# before an allow of the same priority.
_precedes(deny, rule) if deny.priority < rule.priority

_precedes(deny, rule) if {
	deny.kind == "firewall"
	deny.priority == rule.priority
}

# _earlier_denies(rule) are the deny rules that AWS, Azure or GCP evaluate
# before rule on the same traffic: same kind, same protected resource (known),
# same direction, lower priority, enabled, certain to exist, and applying to
# the whole ACL, NSG or network (no targets).
_earlier_denies(rule) := [d |
	rule.kind in _ordered
	rule.protects != ""
	is_number(rule.priority)
	some d in _by_scope[[rule.kind, rule.protects, rule.direction]]
	d.action == "deny"
	d.enabled
	is_number(d.priority)
	_precedes(d, rule)
	count(d.targets) == 0
	not _may_not_exist(d)
]

# _may_not_exist(d): the rule comes from the representative instance of a
# count or for_each that is unknown, from a block generated by a dynamic
# block whose for_each is unknown, or from a CloudFormation resource whose
# Condition cannot be decided: there may be no such rule, so a deny of it
# never hides an allow.
_may_not_exist(d) if resource.expanded_unknown(input.resources[d.resource])

_may_not_exist(d) if object.get(input.resources[d.resource], ["meta", "condition_unknown"], false) == true

_may_not_exist(d) if {
	d.path != ""
	some p in object.get(input.resources[d.resource], ["meta", "dynamic_unknown"], [])
	resource.within(d.path, p)
}

_by_scope := {[kind, protects, direction]: [r |
	some r in _ordered_rules
	r.kind == kind
	r.protects == protects
	r.direction == direction
] |
	some s in _ordered_rules
	kind := s.kind
	protects := s.protects
	direction := s.direction
}

# _ordered_rules are the rules of the order-sensitive kinds.
_ordered_rules := [r | some r in rules; r.kind in _ordered]

# admitted(rule, peer) is what rule actually admits from (or to) the internet
# peer, one of rule.internet, once the denies evaluated before it are taken
# away: {"all": true} when nothing is taken away; {"all": false, "ranges":
# [{from, to}]} for the port ranges left of a port-based rule with known
# ports; undefined when the rule admits nothing (disabled, not an allow, or
# shadowed completely).
admitted(rule, peer) := result if {
	rule.enabled
	rule.action == "allow"
	denies := [d |
		some d in _earlier_denies(rule)
		_covers_family(d, _family(peer.value))
		_covers_protocol(d, rule)
	]
	result := _admitted(rule, denies)
}

_admitted(_, denies) := {"all": true} if count(denies) == 0

_admitted(rule, denies) := {"all": false, "ranges": left} if {
	count(denies) > 0
	rule.port_based
	rule.ports_known
	not _blanket(denies)
	left := subtract(rule.ranges, [{"from": r.from, "to": r.to} | some d in denies; some r in _deny_ranges(d)])
	count(left) > 0
}

# A port-less rule (ICMP), or one whose ports are unknown, is shadowed only by
# a deny of every port.
_admitted(rule, denies) := {"all": true} if {
	count(denies) > 0
	not _blanket(denies)
	not _ranged(rule)
}

_ranged(rule) if {
	rule.port_based
	rule.ports_known
}

# _blanket(denies): one of the denies matches every port of its protocols. A
# deny of every protocol is not blanket by itself: an Azure "*" rule still
# has port ranges (AWS -1 and GCP "all" have 0-65535, so all_ports).
_blanket(denies) if {
	some d in denies
	d.all_ports
}

_blanket(denies) if {
	some d in denies
	d.protocol_known
	not d.port_based
}

_deny_ranges(d) := d.ranges if d.ports_known

_deny_ranges(d) := [] if not d.ports_known

# open_ingress are the exposures of ingress rules to the internet: one
# element {rule, peer, ranges} per internet peer of an enabled allow rule
# that is not shadowed completely. ranges are the admitted port ranges
# ({from, to}), rule.ranges when nothing is taken away.
open_ingress contains exposure if {
	some rule in ingress
	some peer in rule.internet
	a := admitted(rule, peer)
	exposure := {"rule": rule, "peer": peer, "ranges": _exposed_ranges(rule, a)}
}

_exposed_ranges(rule, a) := [{"from": r.from, "to": r.to} | some r in rule.ranges] if a.all

_exposed_ranges(_, a) := a.ranges if not a.all

# ---------------------------------------------------------------------------
# Helpers for messages and rules

# label(rule) names a rule in messages: "aws_security_group.web ingress.0" for an
# inline block, "aws_security_group_rule.ssh on aws_security_group.web" for a
# standalone rule whose group is known, the bare address otherwise.
label(rule) := sprintf("%s %s", [rule.resource, rule.path]) if rule.path != ""

label(rule) := sprintf("%s on %s", [rule.resource, rule.protects]) if {
	rule.path == ""
	rule.protects != ""
	rule.protects != rule.resource
}

label(rule) := rule.resource if {
	rule.path == ""
	rule.protects in {"", rule.resource}
}

# ingress are the normalised ingress rules.
ingress := {r | some r in rules; r.direction == "ingress"}

# egress are the normalised egress rules.
egress := {r | some r in rules; r.direction == "egress"}
