# Package portcullis.aws.s3.s3_mock_test builds mock documents for the S3
# rule tests: resources joined by reference edges, seen from both ends as the
# engine gives them. Test-only.
package portcullis.aws.s3.s3_mock_test

import data.portcullis.lib.mock_test as mock

# doc(resources) is mock.doc with every resource's referenced_by filled from
# the references of the others.
doc(resources) := mock.doc([object.union(r, {"referenced_by": [edge |
	some s in resources
	some ref in s.references
	ref.target == r.address
	edge := {"source": s.address, "attribute": ref.attribute, "target_attribute": ref.target_attribute}
]}) |
	some r in resources
])

# refer(res, attr, target) makes the top-level attribute attr of res a
# reference to target (whose value is unknown statically, like an id).
refer(res, attr, target) := object.union(res, {
	"unknown": object.union(res.unknown, {attr: true}),
	"references": array.concat(res.references, [mock.ref(attr, target)]),
})

# bucket(name, values) is an aws_s3_bucket.
bucket(name, values) := mock.resource("aws_s3_bucket", name, values)

# config(type, name, bucket_address, values) is a configuration resource of
# type whose bucket references the bucket at bucket_address.
config(type, name, bucket_address, values) := refer(mock.resource(type, name, values), "bucket", bucket_address)

# unknown(res, tree) marks the unknown leaves of tree in res.
unknown(res, tree) := object.union(res, {"unknown": object.union(res.unknown, tree)})
