# METADATA
# custom:
#   id: ACME-002
#   severity: high
package acme.builtin

import rego.v1

deny contains {"resource": r.address, "attribute": "", "message": sprintf("%v", [to_number("abc")])} if {
	some r in input.resources
}
