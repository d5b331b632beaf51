# Package portcullis.lib.resource holds the generic helpers every rule uses
# to read resources: which resources are managed, whether an attribute is set,
# missing or unknown, and how resources are joined through reference edges.
# Rules never copy these helpers.
#
# Conventions of the input document (docs/input-schema.md): values holds the
# known values only; an unknown leaf is absent from values and true in
# unknown; null attributes are dropped. So an attribute is exactly one of
# known (in values), unknown (in unknown) or missing (neither).
package portcullis.lib.resource

# managed are the input resources that are not data sources, keyed by
# address. An object comprehension, not a partial object rule: OPA checks each
# key of a partial object against every key already built, which is quadratic
# in the number of resources (100,000 resources took minutes).
managed := {address: res |
	some address, res in input.resources
	object.get(res, "mode", "managed") == "managed"
}

# data_sources are the input data sources, keyed by address.
data_sources := {address: res |
	some address, res in input.resources
	object.get(res, "mode", "managed") == "data"
}

# by_type maps a resource type to the managed resources of that type, keyed
# by address. Rules iterate by_type[t] instead of every resource.
by_type := {t: {address: res |
	some address, res in managed
	res.type == t
} |
	some _, r in managed
	t := r.type
}

# of_types(types) are the managed resources whose type is in the set types,
# keyed by address.
of_types(types) := {address: res |
	some t in types
	some address, res in object.get(by_type, t, {})
}

# path(segments) joins attribute path segments: ["ingress", 0, "cidr_blocks"] ->
# "ingress.0.cidr_blocks".
path(segments) := concat(".", [sprintf("%v", [s]) | some s in segments])

# join(prefix, key) appends key to the dotted path prefix ("" for the
# resource itself).
join(prefix, key) := sprintf("%v", [key]) if prefix == ""

join(prefix, key) := concat(".", [prefix, sprintf("%v", [key])]) if prefix != ""

# within(p, attr) is true when the dotted path p is attr or lies inside it
# ("ingress.0.cidr_blocks" is within "ingress" and "ingress.0").
within(p, attr) if p == attr

within(p, attr) if startswith(p, concat("", [attr, "."]))

# is_unknown(unknown, segments) is true when the value at segments is unknown
# in an unknown tree: the leaf itself or any enclosing value is marked true.
is_unknown(unknown, segments) if {
	count(segments) > 0
	some n in numbers.range(1, count(segments))
	object.get(unknown, array.slice(segments, 0, n), false) == true
} else := false

# properties_unknown(res) is true for a CloudFormation resource whose
# Properties cannot be known as a whole (meta.properties_unknown): every
# attribute of it is unknown.
properties_unknown(res) if object.get(res, ["meta", "properties_unknown"], false) == true

# unknown(res, segments) is true when the resource's value at segments is
# unknown (or an enclosing value is, or its Properties as a whole are).
unknown(res, segments) if {
	properties_unknown(res)
} else := is_unknown(object.get(res, "unknown", {}), segments)

# value(res, segments) is the known value at segments, or null.
value(res, segments) := object.get(object.get(res, "values", {}), segments, null)

# known(res, segments) is true when a known, non-null value is at segments.
known(res, segments) if value(res, segments) != null

# set(res, attr) is true when top-level attribute attr has a known non-empty
# value, is unknown, or is written as a reference to another resource (a
# reference counts even when the referenced value is not known).
set(res, attr) if {
	v := value(res, [attr])
	not v in {null, "", [], {}}
}

set(res, attr) if unknown(res, [attr])

set(res, attr) if {
	some ref in object.get(res, "references", [])
	within(ref.attribute, attr)
}

# missing(res, attr) is true when attribute attr is neither set, unknown nor
# a reference (see set).
missing(res, attr) if not set(res, attr)

# absent(res, attr) is true when top-level attribute attr is not written at
# all: missing (see missing), not even an empty CloudFormation object, and
# the resource's Properties are not unknown as a whole. An empty list is how
# a Terraform plan gives a nested block that is not written (a dynamic block
# whose for_each is empty gives none either).
absent(res, attr) if {
	missing(res, attr)
	not _written_empty(res, attr)
	not properties_unknown(res)
}

_written_empty(res, attr) if {
	attr in object.keys(object.get(res, "values", {}))
	value(res, [attr]) != []
}

# as_array(v) is v when it is an array, else []: for iterating a value a
# repository may have written as anything.
as_array(v) := v if is_array(v)

as_array(v) := [] if not is_array(v)

# truthy(v) is true for true and the strings CloudFormation and HCL accept for
# it ("true", "True", "TRUE").
truthy(v) if v == true

truthy(v) if {
	is_string(v)
	lower(trim_space(v)) == "true"
}

# falsy(v) is true for false and its string forms. An unknown or missing
# value is neither truthy nor falsy.
falsy(v) if v == false

falsy(v) if {
	is_string(v)
	lower(trim_space(v)) == "false"
}

# is_true(res, segments) is true when the known value at segments is truthy.
is_true(res, segments) if truthy(value(res, segments))

# is_false(res, segments) is true when the known value at segments is falsy.
is_false(res, segments) if falsy(value(res, segments))

# targets(res, attr) is the set of addresses the resource's attribute attr
# (or something inside it) references through an edge.
targets(res, attr) := {ref.target |
	some ref in object.get(res, "references", [])
	within(ref.attribute, attr)
}

# referrers(res) are the edges pointing at res, as {source, attribute,
# target_attribute}, from resources of any type.
referrers(res) := object.get(res, "referenced_by", [])

# referrers_of_types(res, types) are the addresses of managed resources of a
# type in types whose edges point at res.
referrers_of_types(res, types) := {ref.source |
	some ref in referrers(res)
	src := input.resources[ref.source]
	src.type in types
	object.get(src, "mode", "managed") == "managed"
}

# referrers_by(res, types, attr) are the addresses of managed resources of a
# type in types whose attribute attr (or something inside it) points at res.
referrers_by(res, types, attr) := {ref.source |
	some ref in referrers(res)
	within(ref.attribute, attr)
	src := input.resources[ref.source]
	src.type in types
	object.get(src, "mode", "managed") == "managed"
}

# is_cloudformation(res) and is_terraform(res) tell the input formats apart
# (Terraform covers evaluated HCL and plan JSON).
is_cloudformation(res) if res.format == "cloudformation"

is_terraform(res) if res.format in {"terraform", "terraform-plan"}

# expanded_unknown(res) is true for the representative instance of a count or
# for_each whose value is not known (address "name[*]").
expanded_unknown(res) if object.get(res, ["meta", "expansion"], "") == "unknown"
