# METADATA
# title: Lambda function URL without authentication
# description: |
#   A Lambda function URL is an HTTPS endpoint that invokes the function
#   directly, outside API Gateway. With authorization type NONE, Lambda does not
#   authenticate the caller: anyone on the internet who learns or guesses the
#   URL can invoke the function, as often as they like, with any payload, and
#   the function's role acts on their behalf. Unless the function authenticates
#   each request itself (a webhook checking a signature), this exposes the
#   function's data and permissions and the account's bill to everyone (SOC 2
#   CC6.1 logical access, CC6.6 boundary protection).
#
#   The rule reports an aws_lambda_function_url whose authorization_type is NONE,
#   an AWS::Lambda::Url whose AuthType is NONE, and an AWS SAM
#   AWS::Serverless::Function whose FunctionUrlConfig.AuthType is NONE (written
#   on the function or in the template's Globals), at that value. AWS_IAM
#   passes. A value that cannot be known statically is not reported. The
#   resource-based permission that such a URL needs (principal "*") is reported
#   by PCS-AWS-034.
# custom:
#   id: PCS-AWS-033
#   name: lambda-url-no-auth
#   severity: high
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#   remediation: |
#     Require IAM authentication (AWS Signature Version 4) on the URL and grant
#     lambda:InvokeFunctionUrl to the roles that call it. For a public endpoint,
#     put API Gateway or CloudFront with authentication, throttling and a web
#     application firewall in front of the function instead; if the URL must
#     stay public (a webhook), verify each request's signature in the function
#     and record the exception with an inline ignore and its reason.
#
#     ```hcl
#     resource "aws_lambda_function_url" "api" {
#       function_name      = aws_lambda_function.api.function_name
#       authorization_type = "AWS_IAM"
#     }
#     ```
#
#     ```yaml
#     ApiUrl:
#       Type: AWS::Lambda::Url
#       Properties:
#         TargetFunctionArn: !GetAtt ApiFunction.Arn
#         AuthType: AWS_IAM
#     ```
#   resource_types:
#     - aws_lambda_function_url
#     - AWS::Lambda::Url
#     - AWS::Serverless::Function
package portcullis.aws.lambda.url_no_auth

import data.portcullis.lib.resource

# _forms: resource type -> what it is called and the path of its URL's
# authorization type.
_forms := {
	"aws_lambda_function_url": {"noun": "Lambda function URL", "path": ["authorization_type"]},
	"AWS::Lambda::Url": {"noun": "Lambda function URL", "path": ["AuthType"]},
	"AWS::Serverless::Function": {"noun": "The function URL of SAM function", "path": ["FunctionUrlConfig", "AuthType"]},
}

deny contains finding if {
	some t, form in _forms
	some address, res in resource.of_types({t})
	v := resource.value(res, form.path)
	is_string(v)
	upper(trim_space(v)) == "NONE"
	attr := resource.path(form.path)
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("%s %s sets %s to NONE, so anyone on the internet can invoke the function without authentication; use AWS_IAM", [form.noun, address, attr]),
	}
}
