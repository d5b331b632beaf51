# METADATA
# title: Builtin error
# custom:
#   name: acme-002
#   id: ACME-002
#   severity: high
package acme.builtin

deny contains {"resource": r.address, "attribute": "", "message": sprintf("%v", [to_number("abc")])} if {
	some r in input.resources
}
