# Exposure of network rules to the internet, shared by the open-ingress rules
# of every provider: how a rule is named in a message, what it opens, and how
# severe that is according to the port catalogue (portcullis.lib.ports).
package portcullis.lib.network

import data.portcullis.lib.ports

# _severity_rank orders severities.
_severity_rank := {"critical": 4, "high": 3, "medium": 2, "low": 1}

# exposure_severity(e) is the severity of exposure e (an element of
# open_ingress), else _severity(e), except for network ACLs, which are a
# second layer behind security groups. An ACL entry that admits every port
# from the internet filters nothing (AWS's default ACL does exactly that, and
# the security groups alone decide): medium. An entry that admits less is
# never more severe, except one that picks critical ports, as if to expose
# them: high. The replies to connections the subnet opens need an entry of
# the ephemeral ports (AWS documents TCP 1024-65535 from 0.0.0.0/0); one
# whose ranges start at 1024 or above and end at 65535 picks nothing: medium.
exposure_severity(e) := "high" if {
	e.rule.kind == "network_acl"
	not _every_port(e)
	not _return_traffic(e)
	_severity(e) == "critical"
} else := "medium" if {
	e.rule.kind == "network_acl"
} else := _severity(e)

_every_port(e) if {
	e.rule.port_based
	e.rule.ports_known
	count(subtract(ports.every_port, e.ranges)) == 0
}

# _ephemeral_from is where the ports that operating systems pick for the
# local end of outgoing connections begin, at the lowest (IANA's registered
# ports end at 1023; Linux starts at 32768, Windows at 49152).
_ephemeral_from := 1024

_return_traffic(e) if {
	e.rule.port_based
	e.rule.ports_known
	count(e.rule.ranges) > 0
	every r in e.rule.ranges {
		r.from >= _ephemeral_from
		r.to == ports.max_port
	}
}

# _severity(e) is critical for every port (of every protocol, or of TCP or
# UDP; an Azure "*" rule on some ports is judged on those ports); for port ranges
# the most severe category of the catalogue ports they include, or
# ports.unlisted_severity for a port not in the catalogue; for a rule whose
# only port is a service's (classic groups) that service's category; high
# otherwise (ICMP and other port-less protocols, ports unknown).
_severity(e) := "critical" if {
	_all_open(e)
} else := s if {
	e.rule.port_based
	e.rule.ports_known
	severities := {_port_severity(p) | some p in _catalogued_in(e.ranges)} | _unlisted(e.ranges)
	s := _most_severe(severities)
} else := ports.categories[e.rule.service] if {
	e.rule.service != ""
	ports.categories[e.rule.service]
} else := "critical" if {
	e.rule.service != ""
} else := "high"

_all_open(e) if {
	e.rule.port_based
	e.rule.ports_known
	count(subtract(ports.every_port, e.ranges)) == 0
}

_port_severity(p) := ports.categories[ports.catalogue[p].category]

_catalogued_in(ranges) := {p |
	some r in ranges
	r.from == r.to
	ports.catalogue[r.from]
	p := r.from
} | {p |
	some r in ranges
	r.from != r.to
	some p, _ in ports.catalogue
	r.from <= p
	p <= r.to
}

# _unlisted(ranges) is {ports.unlisted_severity} when the ranges include a
# port that is not in the catalogue.
_unlisted(ranges) := {ports.unlisted_severity} if {
	some r in ranges
	listed := count([p | some p, _ in ports.catalogue; r.from <= p; p <= r.to])
	(r.to - r.from) + 1 > listed
} else := set()

_most_severe(severities) := s if {
	top := max({_severity_rank[x] | some x in severities})
	some s in severities
	_severity_rank[s] == top
}

# kind_names name each kind of rule in messages.
kind_names := {
	"security_group": "Security group rule",
	"network_acl": "Network ACL rule",
	"classic_group": "Classic security group rule",
	"nsg": "Network security group rule",
	"firewall": "Firewall rule",
}

# _max_listed caps the sensitive ports named in one message.
_max_listed := 6

# describe_exposure(e) says what exposure e opens, for a message: "TCP port
# 22 (SSH)", "all traffic (every protocol and port)", "TCP ports 0-21,
# 23-65535 including 3306 (MySQL), ...".
describe_exposure(e) := "all traffic (protocol -1: every protocol, ports 0-65535)" if {
	e.rule.all_protocols
	e.rule.provider == "aws"
	count(subtract([{"from": ports.min_port, "to": ports.max_port}], e.ranges)) == 0
} else := "all traffic (every protocol and port)" if {
	e.rule.all_protocols
	count(subtract([{"from": ports.min_port, "to": ports.max_port}], e.ranges)) == 0
} else := "traffic whose protocol cannot be determined statically" if {
	not e.rule.protocol_known
} else := sprintf("the %s port of the attached %s", [protocol_name(e.rule.protocol), e.rule.service]) if {
	e.rule.service != ""
	not e.rule.ports_known
} else := sprintf("%s ports that cannot be determined statically", [protocol_name(e.rule.protocol)]) if {
	e.rule.port_based
	not e.rule.ports_known
} else := protocol_name(e.rule.protocol) if {
	not e.rule.port_based
} else := sprintf("%s %s", [protocol_name(e.rule.protocol), _port_text(e.ranges)])

_protocol_names := {"tcp": "TCP", "udp": "UDP", "icmp": "ICMP", "icmpv6": "ICMPv6", "sctp": "SCTP", "-1": "every protocol on"}

# protocol_name(p) names a normalised protocol in messages.
protocol_name(p) := _protocol_names[p]

protocol_name(p) := sprintf("protocol %s", [p]) if not _protocol_names[p]

_port_text(ranges) := sprintf("port %s", [ports.label(ranges[0].from)]) if {
	count(ranges) == 1
	ranges[0].from == ranges[0].to
} else := sprintf("ports %v-%v (all)", [ports.min_port, ports.max_port]) if {
	count(subtract([{"from": ports.min_port, "to": ports.max_port}], ranges)) == 0
} else := sprintf("ports %s%s", [concat(", ", [_range_text(r) | some r in ranges]), _including(ports.sensitive_in(ranges))]) if {
	some r in ranges
	r.from != r.to
} else := sprintf("ports %s", [concat(", ", [ports.label(r.from) | some r in ranges])])

_range_text(r) := sprintf("%v", [r.from]) if r.from == r.to

_range_text(r) := sprintf("%v-%v", [r.from, r.to]) if r.from != r.to

_including(sensitive) := "" if count(sensitive) == 0

_including(sensitive) := sprintf(" including %s", [concat(", ", [ports.label(p) | some p in sensitive])]) if {
	count(sensitive) > 0
	count(sensitive) <= _max_listed
}

_including(sensitive) := sprintf(" including %s and %v more sensitive ports", [
	concat(", ", [ports.label(p) | some p in array.slice(sensitive, 0, _max_listed)]),
	count(sensitive) - _max_listed,
]) if {
	count(sensitive) > _max_listed
}

# open_ingress_finding(e) is the finding of an open-ingress rule for exposure
# e: at the internet peer, naming the rule, the peer and what it opens, with
# the severity of exposure_severity. It is undefined, and so no finding, for
# an exposure of public ports only (public_only).
open_ingress_finding(e) := {
	"resource": e.rule.resource,
	"attribute": e.peer.path,
	"message": sprintf("%s %s allows %s to %s%s", [
		kind_names[e.rule.kind], label(e.rule), e.peer.value,
		describe_exposure(e), _shadow_note(e),
	]),
	"severity": exposure_severity(e),
} if not public_only(e)

# public_only(e) is true when every port exposure e admits is one the
# configuration allows to be public (ports.public): a TCP, UDP or SCTP rule
# whose known admitted ranges lie within the public ports. A rule of every
# protocol also admits ICMP and the rest, a port-less protocol has no port to
# allow, and unknown ports may be any: none of them is public only.
public_only(e) if {
	count(ports.public) > 0
	e.rule.port_based
	e.rule.ports_known
	not e.rule.all_protocols
	count(e.ranges) > 0
	every r in e.ranges {
		_all_public(r)
	}
}

# _all_public(r) is true when every port of the range r is public.
_all_public(r) if {
	count({p | some p in ports.public; r.from <= p; p <= r.to}) == (r.to - r.from) + 1
}

# _shadow_note says when an earlier deny took part of the rule away.
_shadow_note(e) := "" if {
	[{"from": r.from, "to": r.to} | some r in e.rule.ranges] == e.ranges
} else := " (the rest is denied by a rule evaluated before it)"

# open_egress are the egress rules that let traffic leave to the whole
# internet on every port: one element {rule, peer, ranges} per internet peer
# of an enabled allow egress rule that opens every port of every protocol or
# of a port-based protocol (an Azure "*" rule on some ports is not
# unrestricted), with nothing taken away by a deny evaluated before
# it: any deny evaluated before it whose destination is the whole internet
# of the peer's family, of any protocol or port, restricts it; a deny of
# other destinations (a private range, VirtualNetwork) takes nothing away
# from the internet.
open_egress contains exposure if {
	some rule in egress
	rule.enabled
	rule.action == "allow"
	_unrestricted(rule)
	some peer in rule.internet
	not _restricted(rule, peer)
	exposure := {"rule": rule, "peer": peer, "ranges": [{"from": r.from, "to": r.to} | some r in rule.ranges]}
}

_restricted(rule, peer) if {
	some d in _earlier_denies(rule)
	_covers_family(d, _family(peer.value))
}

_unrestricted(rule) if rule.all_ports

# open_egress_finding(e) is the finding of an unrestricted-egress rule for
# exposure e (an element of open_egress), at the internet peer.
open_egress_finding(e) := {
	"resource": e.rule.resource,
	"attribute": e.peer.path,
	"message": sprintf("%s %s allows %s to %s, so anything running behind it can reach any host on any port: data can leave and malware can call home unhindered", [
		kind_names[e.rule.kind], label(e.rule), e.peer.value, _egress_reach(e),
	]),
}

_egress_reach(e) := "all traffic (protocol -1: every protocol, ports 0-65535)" if {
	e.rule.all_protocols
	e.rule.provider == "aws"
} else := "all traffic (every protocol and port)" if {
	e.rule.all_protocols
} else := sprintf("every %s port", [protocol_name(e.rule.protocol)])

# description_missing(rule) is true when the normalised rule has no
# description: none is written and it is not unknown; or, in a plan, an
# inline block's description is "" (a plan holds every attribute of an
# inline block, and shows an unset string as "").
description_missing(rule) if {
	not rule.description_unknown
	not "description" in object.keys(rule)
}

description_missing(rule) if {
	rule.format == "terraform-plan"
	rule.path != ""
	rule.description == ""
}

# placeholder_descriptions are descriptions that say nothing, compared
# without case and surrounding space: Terraform's default for security groups
# and classic groups, the default of the terraform-aws-modules security group
# module, and the usual fillers.
placeholder_descriptions := {
	"managed by terraform",
	"security group managed by terraform",
	"todo",
	"tbd",
	"n/a",
	"description",
}

# is_placeholder_description(d) is true when the string d is a placeholder.
is_placeholder_description(d) if {
	is_string(d)
	lower(trim_space(d)) in placeholder_descriptions
}
