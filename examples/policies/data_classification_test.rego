package acme.tagging.data_classification_test

import data.acme.tagging.data_classification

# The helpers portcullis.terraform and portcullis.cloudformation load the
# text as a scan does: the rule sees exactly the document it sees in
# production (portcullis test provides them; docs/writing-policies.md).

test_terraform_group_without_the_tag if {
	inp := portcullis.terraform({"main.tf": `
resource "aws_security_group" "cache" {
  description = "Redis for the session store"
  tags = {
    team = "web"
  }
}
`})
	data_classification.deny == {{
		"resource": "aws_security_group.cache",
		"attribute": "tags",
		"message": "Security group aws_security_group.cache has no data-classification tag; tag it public, internal, confidential or restricted",
	}} with input as inp
}

test_terraform_group_without_tags if {
	inp := portcullis.terraform({"main.tf": `resource "aws_security_group" "cache" {}`})
	data_classification.deny == {{
		"resource": "aws_security_group.cache",
		"attribute": "",
		"message": "Security group aws_security_group.cache has no data-classification tag; tag it public, internal, confidential or restricted",
	}} with input as inp
}

test_terraform_unknown_class if {
	inp := portcullis.terraform({"main.tf": `
resource "aws_security_group" "batch" {
  tags = { data-classification = "secret" }
}
`})
	data_classification.deny == {{
		"resource": "aws_security_group.batch",
		"attribute": "tags.data-classification",
		"message": "Security group aws_security_group.batch has data-classification \"secret\", which is not one of public, internal, confidential, restricted",
	}} with input as inp
}

test_terraform_classified_groups_pass if {
	inp := portcullis.terraform({
		"main.tf": `
variable "classification" {
  type = string
}

locals {
  common_tags = { data-classification = "internal" }
}

resource "aws_security_group" "db" {
  tags = { data-classification = "confidential" }
}

resource "aws_security_group" "web" {
  tags = merge(local.common_tags, { team = "web" })
}

resource "aws_security_group" "from_variable" {
  tags = { data-classification = var.classification }
}

resource "aws_security_group" "from_tfvars" {
  tags = { data-classification = var.tfvars_class }
}
`,
		"variables.tf": `variable "tfvars_class" {}`,
		"terraform.tfvars": `tfvars_class = "restricted"`,
	})

	# A value that cannot be known statically is not reported.
	inp.resources["aws_security_group.from_variable"].unknown == {"tags": {"data-classification": true}}
	inp.resources["aws_security_group.from_tfvars"].values.tags == {"data-classification": "restricted"}
	count(data_classification.deny) == 0 with input as inp
}

test_terraform_groups_in_a_module if {
	inp := portcullis.terraform({
		"main.tf": `
module "net" {
  source = "./modules/net"
}
`,
		"modules/net/main.tf": `resource "aws_security_group" "this" {}`,
	})
	data_classification.deny == {{
		"resource": "module.net.aws_security_group.this",
		"attribute": "",
		"message": "Security group module.net.aws_security_group.this has no data-classification tag; tag it public, internal, confidential or restricted",
	}} with input as inp
}

test_cloudformation_groups if {
	inp := portcullis.cloudformation(`
Parameters:
  Classification:
    Type: String
Resources:
  Tagged:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: PostgreSQL for the orders service
      Tags:
        - Key: data-classification
          Value: confidential
  FromParameter:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Report generators
      Tags:
        - Key: data-classification
          Value: !Ref Classification
  Untagged:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Redis for the session store
  OtherTags:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: Batch
      Tags:
        - Key: team
          Value: batch
        - Key: data-classification
          Value: Secret
`)
	data_classification.deny == {
		{
			"resource": "Untagged",
			"attribute": "",
			"message": "Security group Untagged has no data-classification tag; tag it public, internal, confidential or restricted",
		},
		{
			"resource": "OtherTags",
			"attribute": "Tags.1.Value",
			"message": "Security group OtherTags has data-classification \"Secret\", which is not one of public, internal, confidential, restricted",
		},
	} with input as inp
}

test_cloudformation_json_template if {
	inp := portcullis.cloudformation(`{"Resources": {"Group": {"Type": "AWS::EC2::SecurityGroup", "Properties": {"GroupDescription": "x"}}}}`)
	inp.root == "template.yaml"
	data_classification.deny == {{
		"resource": "Group",
		"attribute": "",
		"message": "Security group Group has no data-classification tag; tag it public, internal, confidential or restricted",
	}} with input as inp
}
