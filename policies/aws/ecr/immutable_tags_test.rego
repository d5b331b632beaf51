package portcullis.aws.ecr.immutable_tags_test

import data.portcullis.aws.ecr.immutable_tags
import data.portcullis.lib.mock_test as mock

_repo(values) := mock.resource("aws_ecr_repository", "app", object.union({"name": "app"}, values))

test_missing_mutability_is_reported_at_the_resource if {
	immutable_tags.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "",
		"message": "ECR repository aws_ecr_repository.app has no image_tag_mutability, so its tags are mutable (the default MUTABLE) and a push can replace a released image; set it to IMMUTABLE",
	}} with input as mock.doc([_repo({})])
}

test_mutable_is_reported_at_the_value if {
	immutable_tags.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "image_tag_mutability",
		"message": "ECR repository aws_ecr_repository.app sets image_tag_mutability to MUTABLE, so a push can replace a released image; set it to IMMUTABLE",
	}} with input as mock.doc([_repo({"image_tag_mutability": "MUTABLE"})])
}

test_mutable_with_exclusion_is_low if {
	immutable_tags.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "image_tag_mutability",
		"message": "ECR repository aws_ecr_repository.app sets image_tag_mutability to MUTABLE_WITH_EXCLUSION, so only the tags matching its exclusion filters are immutable and a push can replace any other released image; set it to IMMUTABLE",
		"severity": "low",
	}} with input as mock.doc([_repo({
		"image_tag_mutability": "MUTABLE_WITH_EXCLUSION",
		"image_tag_mutability_exclusion_filter": [{"filter": "release-*", "filter_type": "WILDCARD"}],
	})])
}

test_immutable_passes if {
	count(immutable_tags.deny) == 0 with input as mock.doc([_repo({"image_tag_mutability": "IMMUTABLE"})])
	count(immutable_tags.deny) == 0 with input as mock.doc([_repo({
		"image_tag_mutability": "IMMUTABLE_WITH_EXCLUSION",
		"image_tag_mutability_exclusion_filter": [{"filter": "latest", "filter_type": "WILDCARD"}],
	})])
}

test_unknown_mutability_is_not_reported if {
	unknown := object.union(_repo({}), {"unknown": {"image_tag_mutability": true}})
	referenced := object.union(_repo({}), {"references": [mock.ref("image_tag_mutability", "terraform_data.settings")]})
	count(immutable_tags.deny) == 0 with input as mock.doc([unknown])
	count(immutable_tags.deny) == 0 with input as mock.doc([referenced])
}

test_cloudformation_forms if {
	missing := mock.cfn("Missing", "AWS::ECR::Repository", {"RepositoryName": "missing"})
	mutable := mock.cfn("Mutable", "AWS::ECR::Repository", {"ImageTagMutability": "MUTABLE"})
	immutable := mock.cfn("Immutable", "AWS::ECR::Repository", {"ImageTagMutability": "IMMUTABLE"})
	unknown := object.union(mock.cfn("Unknown", "AWS::ECR::Repository", {}), {"unknown": {"ImageTagMutability": true}})
	opaque := object.union(mock.cfn("Opaque", "AWS::ECR::Repository", {}), {"meta": {"properties_unknown": true}})
	immutable_tags.deny == {
		{
			"resource": "Missing",
			"attribute": "",
			"message": "ECR repository Missing has no ImageTagMutability, so its tags are mutable (the default MUTABLE) and a push can replace a released image; set it to IMMUTABLE",
		},
		{
			"resource": "Mutable",
			"attribute": "ImageTagMutability",
			"message": "ECR repository Mutable sets ImageTagMutability to MUTABLE, so a push can replace a released image; set it to IMMUTABLE",
		},
	} with input as mock.doc([missing, mutable, immutable, unknown, opaque])
}
