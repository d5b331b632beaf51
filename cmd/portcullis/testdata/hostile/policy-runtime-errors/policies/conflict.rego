# METADATA
# title: Conflicting values
# custom:
#   name: acme-001
#   id: ACME-001
#   severity: high
package acme.conflict

value := 1 if true

value := 2 if true

deny contains {"resource": r.address, "attribute": "", "message": sprintf("%v", [value])} if {
	some r in input.resources
}
