package portcullis.aws.ecr.scan_on_push_test

import data.portcullis.aws.ecr.scan_on_push
import data.portcullis.lib.mock_test as mock

_fix := "set scan_on_push = true in image_scanning_configuration or configure registry scanning"

_cfn_fix := "set ImageScanningConfiguration.ScanOnPush to true or configure registry scanning"

_repo(values) := mock.resource("aws_ecr_repository", "app", object.union({"name": "app"}, values))

_scanning(values) := mock.resource("aws_ecr_registry_scanning_configuration", "this", values)

# ---------------------------------------------------------------------------
# Terraform

test_repository_without_scanning_configuration_is_reported if {
	scan_on_push.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "",
		"message": sprintf("ECR repository aws_ecr_repository.app has no image_scanning_configuration, so images are not scanned on push; %s", [_fix]),
	}} with input as mock.doc([_repo({})])
}

test_scan_on_push_false_is_reported_at_the_value if {
	expected := {{
		"resource": "aws_ecr_repository.app",
		"attribute": "image_scanning_configuration.0.scan_on_push",
		"message": sprintf("ECR repository aws_ecr_repository.app sets scan_on_push to false, so images are not scanned on push; %s", [_fix]),
	}}
	scan_on_push.deny == expected with input as mock.doc([_repo({"image_scanning_configuration": [{"scan_on_push": false}]})])
	scan_on_push.deny == expected with input as mock.doc([_repo({"image_scanning_configuration": [{"scan_on_push": "false"}]})])
}

test_block_without_scan_on_push_is_reported_at_the_block if {
	scan_on_push.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "image_scanning_configuration.0",
		"message": sprintf("ECR repository aws_ecr_repository.app has no scan_on_push in image_scanning_configuration (default false), so images are not scanned on push; %s", [_fix]),
	}} with input as mock.doc([_repo({"image_scanning_configuration": [{}]})])
}

test_scan_on_push_true_passes if {
	count(scan_on_push.deny) == 0 with input as mock.doc([_repo({"image_scanning_configuration": [{"scan_on_push": true}]})])
	count(scan_on_push.deny) == 0 with input as mock.doc([_repo({"image_scanning_configuration": [{"scan_on_push": "true"}]})])
}

test_unknown_scan_on_push_is_not_reported if {
	unknown_leaf := object.union(_repo({"image_scanning_configuration": [{}]}), {"unknown": {"image_scanning_configuration": [{"scan_on_push": true}]}})
	unknown_block := object.union(_repo({}), {"unknown": {"image_scanning_configuration": true}})
	unknown_element := object.union(_repo({"image_scanning_configuration": [null]}), {"unknown": {"image_scanning_configuration": [true]}})
	count(scan_on_push.deny) == 0 with input as mock.doc([unknown_leaf])
	count(scan_on_push.deny) == 0 with input as mock.doc([unknown_block])
	count(scan_on_push.deny) == 0 with input as mock.doc([unknown_element])
}

test_data_source_is_not_reported if {
	count(scan_on_push.deny) == 0 with input as mock.doc([mock.data_source("aws_ecr_repository", "app", {"name": "app"})])
}

# ---------------------------------------------------------------------------
# Registry scanning

test_registry_scanning_covers_every_repository if {
	repos := [_repo({}), mock.resource("aws_ecr_repository", "off", {"image_scanning_configuration": [{"scan_on_push": false}]})]
	enhanced := _scanning({"scan_type": "ENHANCED"})
	on_push := _scanning({"scan_type": "BASIC", "rule": [{"scan_frequency": "SCAN_ON_PUSH", "repository_filter": [{"filter": "*", "filter_type": "WILDCARD"}]}]})
	continuous := _scanning({"scan_type": "BASIC", "rule": [
		{"scan_frequency": "MANUAL", "repository_filter": [{"filter": "tmp-*", "filter_type": "WILDCARD"}]},
		{"scan_frequency": "CONTINUOUS_SCAN", "repository_filter": [{"filter": "*", "filter_type": "WILDCARD"}]},
	]})
	unknown_type := object.union(_scanning({}), {"unknown": {"scan_type": true}})
	unknown_frequency := object.union(_scanning({"scan_type": "BASIC", "rule": [{"repository_filter": [{"filter": "*", "filter_type": "WILDCARD"}]}]}), {"unknown": {"rule": [{"scan_frequency": true}]}})
	count(scan_on_push.deny) == 0 with input as mock.doc(array.concat(repos, [enhanced]))
	count(scan_on_push.deny) == 0 with input as mock.doc(array.concat(repos, [on_push]))
	count(scan_on_push.deny) == 0 with input as mock.doc(array.concat(repos, [continuous]))
	count(scan_on_push.deny) == 0 with input as mock.doc(array.concat(repos, [unknown_type]))
	count(scan_on_push.deny) == 0 with input as mock.doc(array.concat(repos, [unknown_frequency]))
}

test_basic_registry_scanning_without_scanning_rule_does_not_cover if {
	manual := _scanning({"scan_type": "BASIC", "rule": [{"scan_frequency": "MANUAL", "repository_filter": [{"filter": "*", "filter_type": "WILDCARD"}]}]})
	scan_on_push.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "",
		"message": sprintf("ECR repository aws_ecr_repository.app has no image_scanning_configuration, so images are not scanned on push; %s", [_fix]),
	}} with input as mock.doc([_repo({}), manual])
}

test_registry_scanning_data_source_does_not_cover if {
	lookup := mock.data_source("aws_ecr_registry_scanning_configuration", "this", {"scan_type": "ENHANCED"})
	scan_on_push.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "",
		"message": sprintf("ECR repository aws_ecr_repository.app has no image_scanning_configuration, so images are not scanned on push; %s", [_fix]),
	}} with input as mock.doc([_repo({}), lookup])
}

# ---------------------------------------------------------------------------
# CloudFormation

test_cloudformation_forms if {
	missing := mock.cfn("Missing", "AWS::ECR::Repository", {"RepositoryName": "missing"})
	off := mock.cfn("Off", "AWS::ECR::Repository", {"ImageScanningConfiguration": {"ScanOnPush": "false"}})
	empty := mock.cfn("Empty", "AWS::ECR::Repository", {"ImageScanningConfiguration": {}})
	on := mock.cfn("On", "AWS::ECR::Repository", {"ImageScanningConfiguration": {"ScanOnPush": true}})
	unknown := object.union(mock.cfn("Unknown", "AWS::ECR::Repository", {"ImageScanningConfiguration": {}}), {"unknown": {"ImageScanningConfiguration": {"ScanOnPush": true}}})
	opaque := object.union(mock.cfn("Opaque", "AWS::ECR::Repository", {}), {"meta": {"properties_unknown": true}})
	scan_on_push.deny == {
		{
			"resource": "Missing",
			"attribute": "",
			"message": sprintf("ECR repository Missing has no ImageScanningConfiguration, so images are not scanned on push; %s", [_cfn_fix]),
		},
		{
			"resource": "Off",
			"attribute": "ImageScanningConfiguration.ScanOnPush",
			"message": sprintf("ECR repository Off sets ScanOnPush to false, so images are not scanned on push; %s", [_cfn_fix]),
		},
		{
			"resource": "Empty",
			"attribute": "ImageScanningConfiguration",
			"message": sprintf("ECR repository Empty has no ScanOnPush in ImageScanningConfiguration (default false), so images are not scanned on push; %s", [_cfn_fix]),
		},
	} with input as mock.doc([missing, off, empty, on, unknown, opaque])
}

test_cloudformation_registry_scanning_covers if {
	repo := mock.cfn("Repo", "AWS::ECR::Repository", {})
	enhanced := mock.cfn("Scanning", "AWS::ECR::RegistryScanningConfiguration", {"ScanType": "ENHANCED", "Rules": []})
	on_push := mock.cfn("Scanning", "AWS::ECR::RegistryScanningConfiguration", {"ScanType": "BASIC", "Rules": [{"ScanFrequency": "SCAN_ON_PUSH", "RepositoryFilters": [{"Filter": "*", "FilterType": "WILDCARD"}]}]})
	opaque := object.union(mock.cfn("Scanning", "AWS::ECR::RegistryScanningConfiguration", {}), {"meta": {"properties_unknown": true}})
	manual := mock.cfn("Scanning", "AWS::ECR::RegistryScanningConfiguration", {"ScanType": "BASIC", "Rules": [{"ScanFrequency": "MANUAL", "RepositoryFilters": [{"Filter": "*", "FilterType": "WILDCARD"}]}]})
	count(scan_on_push.deny) == 0 with input as mock.doc([repo, enhanced])
	count(scan_on_push.deny) == 0 with input as mock.doc([repo, on_push])
	count(scan_on_push.deny) == 0 with input as mock.doc([repo, opaque])
	scan_on_push.deny == {{
		"resource": "Repo",
		"attribute": "",
		"message": sprintf("ECR repository Repo has no ImageScanningConfiguration, so images are not scanned on push; %s", [_cfn_fix]),
	}} with input as mock.doc([repo, manual])
}

# A Terraform plan gives a block that is not written as an empty list.
test_plan_without_scanning_configuration_is_reported if {
	repo := object.union(_repo({"image_scanning_configuration": [], "image_tag_mutability": "MUTABLE"}), {
		"format": "terraform-plan",
		"unknown": {"arn": true, "image_scanning_configuration": []},
	})
	scan_on_push.deny == {{
		"resource": "aws_ecr_repository.app",
		"attribute": "",
		"message": sprintf("ECR repository aws_ecr_repository.app has no image_scanning_configuration, so images are not scanned on push; %s", [_fix]),
	}} with input as mock.doc([repo])
}
