package portcullis.lib.resource_test

import data.portcullis.lib.mock_test as mock
import data.portcullis.lib.resource

_bucket := object.union(mock.resource("aws_s3_bucket", "b", {"bucket": "b", "tags": {}, "enabled": "True"}), {
	"unknown": {"policy": true, "rules": [false, true]},
	"references": [mock.ref("logging.0.target_bucket", "aws_s3_bucket.logs")],
})

_logs := object.union(mock.resource("aws_s3_bucket", "logs", {}), {"referenced_by": [{
	"source": "aws_s3_bucket.b", "attribute": "logging.0.target_bucket", "target_attribute": "id",
}]})

test_managed_excludes_data_sources if {
	object.keys(resource.managed) == {"aws_s3_bucket.b"} with input as mock.doc([_bucket, mock.data_source("aws_vpc", "default", {})])
}

test_by_type_and_of_types if {
	docs := mock.doc([_bucket, _logs, mock.resource("aws_vpc", "v", {})])
	object.keys(resource.by_type.aws_s3_bucket) == {"aws_s3_bucket.b", "aws_s3_bucket.logs"} with input as docs
	object.keys(resource.of_types({"aws_vpc", "aws_subnet"})) == {"aws_vpc.v"} with input as docs
}

test_set_missing_unknown if {
	resource.set(_bucket, "bucket")
	resource.set(_bucket, "policy") # unknown
	resource.set(_bucket, "logging") # a reference inside it
	resource.missing(_bucket, "tags") # empty
	resource.missing(_bucket, "acl")
	resource.unknown(_bucket, ["rules", 1])
	not resource.unknown(_bucket, ["rules", 0])
	resource.unknown(_bucket, ["policy", "Statement"])
}

test_truthy_and_falsy if {
	resource.is_true(_bucket, ["enabled"])
	resource.truthy(true)
	resource.falsy("false")
	not resource.truthy("yes")
	not resource.falsy(null)
}

test_paths if {
	resource.path(["ingress", 0, "cidr_blocks"]) == "ingress.0.cidr_blocks"
	resource.join("", "x") == "x"
	resource.join("a.0", 1) == "a.0.1"
	resource.within("ingress.0.cidr_blocks", "ingress")
	not resource.within("ingress_rules", "ingress")
}

test_edges if {
	resource.targets(_bucket, "logging") == {"aws_s3_bucket.logs"}
	resource.referrers_by(_logs, {"aws_s3_bucket"}, "logging") == {"aws_s3_bucket.b"} with input as mock.doc([_bucket, _logs])
	resource.referrers_of_types(_logs, {"aws_vpc"}) == set() with input as mock.doc([_bucket, _logs])
}

test_properties_unknown_makes_every_attribute_unknown if {
	res := object.union(mock.cfn("B", "AWS::S3::Bucket", {}), {"meta": {"properties_unknown": true}})
	resource.properties_unknown(res)
	resource.unknown(res, ["BucketEncryption"])
	resource.set(res, "VersioningConfiguration")
	not resource.missing(res, "VersioningConfiguration")
	not resource.properties_unknown(_bucket)
}

test_absent_and_as_array if {
	plan := mock.resource("aws_ecr_repository", "r", {"image_scanning_configuration": []})
	resource.absent(plan, "image_scanning_configuration")
	resource.absent(plan, "encryption_configuration")
	cfn := mock.cfn("R", "AWS::ECR::Repository", {"ImageScanningConfiguration": {}})
	not resource.absent(cfn, "ImageScanningConfiguration")
	whole := object.union(mock.cfn("U", "AWS::ECR::Repository", {}), {"meta": {"properties_unknown": true}})
	not resource.absent(whole, "ImageScanningConfiguration")
	resource.as_array([1]) == [1]
	resource.as_array("x") == []
	resource.as_array(null) == []
}
