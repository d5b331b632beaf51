# Which resources are protected by which security groups, followed through
# reference edges (never names), and what those groups admit from the
# internet.
package portcullis.lib.network

import data.portcullis.lib.resource

# group_exposures maps a security group's address to the exposures of
# open_ingress whose rule belongs to it (inline blocks and standalone rules
# joined to the group through their edge).
group_exposures := {g: [e |
	some e in open_ingress
	e.rule.protects == g
] |
	some e0 in open_ingress
	e0.rule.kind == "security_group"
	g := e0.rule.protects
	g != ""
}

# attached_groups(res, attrs) are the security groups that the attributes
# attrs of res (dotted paths; the attribute or anything inside it) reference:
# [{group, attribute}] with attribute the referring path, sorted.
attached_groups(res, attrs) := sort({{"group": ref.target, "attribute": ref.attribute} |
	some ref in object.get(res, "references", [])
	some attr in attrs
	resource.within(ref.attribute, attr)
	input.resources[ref.target].type in security_group_types
})

# exposure_text(e) names an exposure in a message: "aws_security_group.db
# ingress.0 admits 0.0.0.0/0 to TCP port 5432 (PostgreSQL)".
exposure_text(e) := sprintf("%s admits %s to %s", [label(e.rule), e.peer.value, describe_exposure(e)])

# first_exposure(exposures) is the first of a collection of exposures in a
# stable order (rule address, rule path, peer path), so that a message naming
# one does not depend on evaluation order.
first_exposure(exposures) := e if {
	keys := sort({[x.rule.resource, x.rule.path, x.peer.path] | some x in exposures})
	some e in exposures
	[e.rule.resource, e.rule.path, e.peer.path] == keys[0]
}
