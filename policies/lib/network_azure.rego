# The Azure normaliser of the network model (see network.rego for the shape
# of an element): network security group rules, written inline as
# security_rule blocks of azurerm_network_security_group, or as
# azurerm_network_security_rule resources joined to their group through the
# reference edge of network_security_group_name.
#
# Azure specifics:
# - direction "Inbound"/"Outbound", access "Allow"/"Deny" and the protocol
#   are read case-insensitively; protocol "*" is every protocol ("-1"), and
#   its port ranges still restrict TCP and UDP, so a "*" rule on port 22 is
#   not every port.
# - port ranges are strings: "*" (0-65535), "22", "1000-2000", in
#   destination_port_range or the list destination_port_ranges.
# - the remote peers are the source of an inbound rule and the destination of
#   an outbound one. An address prefix is a CIDR ("10.0.0.0/8"), a single
#   address ("203.0.113.7", a /32 or /128) or a service tag ("*",
#   "Internet", "VirtualNetwork", "AzureLoadBalancer", "Storage.WestEurope");
#   tags go to tags, application security groups to source_groups.
# - targets hold what narrows the traffic a rule applies to: the local side
#   (the destination of an inbound rule, the source of an outbound one) when
#   it is not every address ("*", "Any", "VirtualNetwork" or a /0 CIDR), and
#   source ports other than "*". A value that is unknown is a target whose
#   value is "". A deny with targets covers part of the traffic only, so it
#   never shadows an allow (see _earlier_denies).
# - the plan of an inline security_rule block holds every attribute, unset
#   ones as "" or []: empty strings are not values.
# This file is compiled only for graphs that hold one of these types:
# portcullis:resource_types azurerm_network_security_group azurerm_network_security_rule
package portcullis.lib.network

import data.portcullis.lib.cidr
import data.portcullis.lib.ports
import data.portcullis.lib.resource

_azure_nsg := "azurerm_network_security_group"

_azure_rule := "azurerm_network_security_rule"

rule_types contains _azure_nsg

rule_types contains _azure_rule

# Inline security_rule blocks (a list; a single block written as a JSON object
# in a .tf.json file is one block at the attribute's own path).
rules contains rule if {
	some address, res in resource.of_types({_azure_nsg})
	blocks := object.get(res, ["values", "security_rule"], [])
	is_array(blocks)
	some i, block in blocks
	is_object(block)
	rule := complete(_azure_core(address, res, ["security_rule", i], address, ""))
}

rules contains rule if {
	some address, res in resource.of_types({_azure_nsg})
	block := object.get(res, ["values", "security_rule"], [])
	is_object(block)
	rule := complete(_azure_core(address, res, ["security_rule"], address, ""))
}

rules contains rule if {
	some address, res in resource.of_types({_azure_rule})
	owner := _azure_owner(res)
	rule := complete(_azure_core(address, res, [], owner, "network_security_group_name"))
}

# _azure_owner(res) is the NSG that the reference edge of
# network_security_group_name points at (the smallest address, should there
# be several), or "".
_azure_owner(res) := min(owners) if {
	owners := {ref.target |
		some ref in object.get(res, "references", [])
		ref.attribute == "network_security_group_name"
	}
	count(owners) > 0
} else := ""

# _azure_sides: the attributes of the remote and local sides by direction.
_azure_sides := {
	"ingress": {"remote": "source", "local": "destination"},
	"egress": {"remote": "destination", "local": "source"},
}

_azure_core(address, res, base, protects, protects_attribute) := core if {
	values := _azure_values(res, base)
	unknown := _azure_unknown(res, base)
	prefix := resource.path(base)
	direction := _azure_enum(values, unknown, "direction", {"inbound": "ingress", "outbound": "egress"})
	protocol := _azure_protocol(values, unknown)
	remote := _azure_addresses(values, unknown, prefix, direction, "remote")
	core := object.union_n([
		{
			"resource": address,
			"resource_type": res.type,
			"format": object.get(res, "format", ""),
			"provider": "azure",
			"kind": "nsg",
			"direction": direction,
			"action": _azure_enum(values, unknown, "access", {"allow": "allow", "deny": "deny"}),
			"path": prefix,
			"protects": protects,
			"protects_attribute": protects_attribute,
			"protocol": protocol,
			"ipv4": [{"cidr": a.cidr, "path": a.path} | some a in remote; a.family == "ipv4"],
			"ipv6": [{"cidr": a.cidr, "path": a.path} | some a in remote; a.family == "ipv6"],
			"tags": [{"tag": a.value, "path": a.path} | some a in remote; a.family == "tag"],
			"cidrs_unknown": _azure_addresses_unknown(values, unknown, direction),
			"source_groups": _azure_groups(values, unknown, prefix, direction),
			"source_group_targets": _azure_group_targets(res, prefix, direction),
			"targets": _azure_targets(values, unknown, prefix, direction),
			"description_unknown": _azure_unknown_at(unknown, "description"),
			"description_path": resource.join(prefix, "description"),
		},
		_azure_description(values),
		_azure_priority(values, unknown),
		_azure_ranges(values, unknown, prefix, protocol),
	])
}

# _azure_values(res, base) are the rule's values (the resource's for a
# standalone rule, whose base is []).
_azure_values(res, []) := object.get(res, "values", {})

_azure_values(res, base) := object.get(res, array.concat(["values"], base), {}) if count(base) > 0

# _azure_unknown(res, base) is true when the whole rule is unknown, else its
# unknown subtree ({} when nothing is unknown).
_azure_unknown(res, base) if {
	resource.unknown(res, base)
} else := sub if {
	sub := object.get(object.get(res, "unknown", {}), base, {})
	is_object(sub)
} else := {}

# _azure_unknown_at(unknown, key) is true when the rule's attribute key is
# unknown.
_azure_unknown_at(true, _) := true

_azure_unknown_at(unknown, key) := resource.is_unknown(unknown, [key]) if is_object(unknown)

# _azure_string(values, key) is the trimmed, non-empty string at key.
_azure_string(values, key) := s if {
	v := object.get(values, key, null)
	is_string(v)
	s := trim_space(v)
	s != ""
}

# _azure_enum(values, unknown, key, names) maps the lower-cased value of key
# through names; "" when it is unknown, missing or not one of them.
_azure_enum(values, unknown, key, names) := names[lower(_azure_string(values, key))] if {
	not _azure_unknown_at(unknown, key)
} else := ""

_azure_protocol(values, unknown) := ports.normalise_protocol(_azure_string(values, "protocol")) if {
	not _azure_unknown_at(unknown, "protocol")
} else := ""

_azure_priority(values, unknown) := {"priority": n} if {
	not _azure_unknown_at(unknown, "priority")
	n := ports.to_port_number(object.get(values, "priority", null))
} else := {}

_azure_description(values) := {"description": d} if {
	d := object.get(values, "description", null)
	is_string(d)
} else := {}

# _azure_elements(values, prefix, scalar, list) lists {value, path} for the
# scalar attribute and each element of the list attribute, leaving out
# empty strings (the plan's unset values). Unknown list elements come through
# as null values.
_azure_elements(values, prefix, scalar, list) := array.concat(
	[{"value": v, "path": resource.join(prefix, scalar)} |
		v := object.get(values, scalar, null)
		not v in {null, ""}
	],
	[{"value": v, "path": resource.join(resource.join(prefix, list), i)} |
		vs := object.get(values, list, [])
		is_array(vs)
		some i, v in vs
		v != ""
	],
)

# _azure_address_keys(side) are the scalar and list address prefix
# attributes of a side ("source" or "destination").
_azure_address_keys(side) := [sprintf("%s_address_prefix", [side]), sprintf("%s_address_prefixes", [side])]

_azure_group_key(side) := sprintf("%s_application_security_group_ids", [side])

# _azure_addresses(values, unknown, prefix, direction, which) classifies the
# known address prefixes of the remote or local side: [{family, cidr, value,
# path}] with family "ipv4", "ipv6" or "tag".
_azure_addresses(values, _, prefix, direction, which) := [object.union(_azure_classify(trim_space(e.value)), {"value": trim_space(e.value), "path": e.path}) |
	side := _azure_sides[direction][which]
	keys := _azure_address_keys(side)
	some e in _azure_elements(values, prefix, keys[0], keys[1])
	is_string(e.value)
	trim_space(e.value) != ""
]

# _azure_classify(v): a valid CIDR, a single address (kept as a /32 or /128
# CIDR), or a service tag.
_azure_classify(v) := {"family": "ipv4", "cidr": v} if {
	cidr.is_ipv4(v)
} else := {"family": "ipv6", "cidr": v} if {
	cidr.is_ipv6(v)
} else := {"family": "ipv4", "cidr": c} if {
	not contains(v, "/")
	c := concat("", [v, "/32"])
	cidr.is_ipv4(c)
} else := {"family": "ipv6", "cidr": c} if {
	not contains(v, "/")
	c := concat("", [v, "/128"])
	cidr.is_ipv6(c)
} else := {"family": "tag"}

# _azure_addresses_unknown: an address prefix attribute of the remote side, or
# one of its elements, is unknown.
_azure_addresses_unknown(values, unknown, direction) if {
	side := _azure_sides[direction].remote
	some key in _azure_address_keys(side)
	_azure_unknown_at(unknown, key)
} else if {
	side := _azure_sides[direction].remote
	vs := object.get(values, _azure_address_keys(side)[1], [])
	is_array(vs)
	null in vs
} else := false

# _azure_groups are the application security group peers of the remote side:
# [{path, id}] for known ids, [{path}] for unknown ones.
_azure_groups(values, unknown, prefix, direction) := array.concat(
	[_azure_group(e) |
		key := _azure_group_key(_azure_sides[direction].remote)
		some e in _azure_elements(values, prefix, "", key)
	],
	[{"path": resource.join(prefix, key)} |
		key := _azure_group_key(_azure_sides[direction].remote)
		_azure_unknown_at(unknown, key)
	],
)

_azure_group(e) := {"path": e.path, "id": e.value} if is_string(e.value)

_azure_group(e) := {"path": e.path} if not is_string(e.value)

# _azure_group_targets are the addresses the remote application security
# group attribute references.
_azure_group_targets(res, prefix, direction) := sort({ref.target |
	attr := resource.join(prefix, _azure_group_key(_azure_sides[direction].remote))
	some ref in object.get(res, "references", [])
	resource.within(ref.attribute, attr)
})

# _azure_everywhere are the local-side values that mean every address of the
# group's network.
_azure_everywhere := {"*", "any", "virtualnetwork"}

# _azure_targets: what narrows the traffic the rule applies to (see the top of
# this file).
_azure_targets(values, unknown, prefix, direction) := array.concat(
	array.concat(
		[{"value": a.value, "path": a.path} |
			some a in _azure_addresses(values, unknown, prefix, direction, "local")
			not _azure_everywhere_value(a)
		],
		[{"value": _azure_target_value(e.value), "path": e.path} |
			key := _azure_group_key(_azure_sides[direction].local)
			some e in _azure_elements(values, prefix, "", key)
		],
	),
	array.concat(
		[{"value": _azure_target_value(e.value), "path": e.path} |
			some e in _azure_elements(values, prefix, "source_port_range", "source_port_ranges")
			not _azure_every_port(e.value)
		],
		[{"value": "", "path": resource.join(prefix, key)} |
			direction in {"ingress", "egress"}
			local := _azure_sides[direction].local
			some key in array.concat(
				array.concat(_azure_address_keys(local), [_azure_group_key(local)]),
				["source_port_range", "source_port_ranges"],
			)
			_azure_unknown_at(unknown, key)
		],
	),
)

_azure_everywhere_value(a) if lower(a.value) in _azure_everywhere

_azure_everywhere_value(a) if {
	a.family != "tag"
	cidr.is_internet(a.cidr)
}

_azure_target_value(v) := v if is_string(v)

_azure_target_value(v) := sprintf("%v", [v]) if is_number(v)

_azure_target_value(v) := "" if {
	not is_string(v)
	not is_number(v)
}

_azure_every_port(v) if {
	is_string(v)
	trim_space(v) == "*"
}

_azure_every_port(v) if {
	r := _azure_port_range(v)
	r.from == ports.min_port
	r.to == ports.max_port
}

# _azure_ranges: the destination port ranges, in the order written. Port-less
# protocols have none; ports_known is false when a range attribute or
# element is unknown or cannot be read, or when no range is written at all.
_azure_ranges(values, unknown, prefix, protocol) := {"ports_known": true, "ranges": []} if {
	protocol != ""
	not ports.port_based(protocol)
} else := {"ports_known": true, "ranges": ranges} if {
	not _azure_unknown_at(unknown, "destination_port_range")
	not _azure_unknown_at(unknown, "destination_port_ranges")
	elements := _azure_elements(values, prefix, "destination_port_range", "destination_port_ranges")
	count(elements) > 0
	ranges := [object.union(_azure_port_range(e.value), {"path": e.path}) | some e in elements]
	count(ranges) == count(elements)
} else := {"ports_known": false, "ranges": []}

# _azure_port_range(v) reads "*", "22", "1000-2000" (or a number) as {from,
# to}; undefined for anything else.
_azure_port_range(v) := {"from": v, "to": v} if {
	is_number(v)
} else := {"from": ports.min_port, "to": ports.max_port} if {
	is_string(v)
	trim_space(v) == "*"
} else := {"from": n, "to": n} if {
	is_string(v)
	n := ports.to_port_number(v)
	n >= ports.min_port
} else := {"from": to_number(m[1]), "to": to_number(m[2])} if {
	is_string(v)
	m := regex.find_all_string_submatch_n(`^\s*([0-9]+)\s*-\s*([0-9]+)\s*$`, v, 1)[0]
}
