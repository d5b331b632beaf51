# Package portcullis.lib.mock_test builds mock input documents in the exact
# shape the engine produces, for the policy tests. Test-only.
package portcullis.lib.mock_test

# resource(type, name, values) is a managed Terraform resource in the root
# module with nothing unknown and no edges; override fields with object.union.
resource(type, name, values) := {
	"address": sprintf("%s.%s", [type, name]),
	"mode": "managed",
	"type": type,
	"name": name,
	"format": "terraform",
	"module": "",
	"provider": "registry.terraform.io/hashicorp/aws",
	"values": values,
	"unknown": {},
	"sensitive": {},
	"references": [],
	"referenced_by": [],
	"location": {"file": "main.tf", "start_line": 1, "end_line": 10},
	"meta": {},
}

# data_source(type, name, values) is a Terraform data source.
data_source(type, name, values) := object.union(resource(type, name, values), {
	"address": sprintf("data.%s.%s", [type, name]),
	"mode": "data",
})

# cfn(logical_id, type, properties) is a CloudFormation resource.
cfn(logical_id, type, properties) := object.union(resource(type, logical_id, properties), {
	"address": logical_id,
	"format": "cloudformation",
	"provider": "",
	"location": {"file": "template.yaml", "start_line": 1, "end_line": 10},
})

# ref(attribute, target) is a reference edge to target's id.
ref(attribute, target) := {"attribute": attribute, "target": target, "target_attribute": "id"}

# doc(resources) is an input document holding the given resources, keyed by
# address.
doc(resources) := {
	"schema_version": 1,
	"format": "terraform",
	"root": "examples/terraform/test",
	"resources": {r.address: r | some r in resources},
}
