# METADATA
# title: Lambda function policy open to every principal
# description: |
#   A Lambda permission adds a statement to the function's resource-based
#   policy. With the principal "*" and nothing to narrow it (no source ARN,
#   source account or organization), the statement lets every AWS account, not
#   only yours, invoke the function or perform the granted action on it: anyone
#   can run its code with its role's permissions, read what it returns, and run
#   up its cost (SOC 2 CC6.1 logical access, CC6.6 boundary protection; AWS
#   Foundational Security Best Practices Lambda.1).
#
#   The rule reports, at the principal, an aws_lambda_permission whose
#   principal is "*" and that sets none of source_arn, source_account and
#   principal_org_id, and the same AWS::Lambda::Permission (Principal "*"
#   without SourceArn, SourceAccount or PrincipalOrgID). It is critical, except
#   for the statements a public function URL needs, which are high because
#   PCS-AWS-033 reports the URL itself: function_url_auth_type NONE
#   (FunctionUrlAuthType), which lets anyone on the internet call the URL
#   without signing the request, and invoked_via_function_url true
#   (InvokedViaFunctionUrl), which limits lambda:InvokeFunction to calls through
#   the URL. A condition set to a value that cannot be known statically counts
#   as narrowing, and a principal that cannot be known is not reported. A
#   service principal (s3.amazonaws.com) without a source ARN, which lets
#   resources of other accounts trigger the function, is not reported by this
#   rule.
# custom:
#   id: PCS-AWS-034
#   name: lambda-public-policy
#   severity: critical
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "AWS-FSBP:Lambda.1"
#   remediation: |
#     Grant the permission to the account, role or service that needs it, and
#     for a service principal name the resource that calls the function with
#     source_arn (and the account with source_account). To share a function
#     with your organization, keep "*" and set principal_org_id.
#
#     ```hcl
#     resource "aws_lambda_permission" "from_bucket" {
#       statement_id   = "AllowS3Invoke"
#       action         = "lambda:InvokeFunction"
#       function_name  = aws_lambda_function.thumbnails.function_name
#       principal      = "s3.amazonaws.com"
#       source_arn     = aws_s3_bucket.uploads.arn
#       source_account = "111122223333"
#     }
#     ```
#
#     ```yaml
#     FromBucketPermission:
#       Type: AWS::Lambda::Permission
#       Properties:
#         Action: lambda:InvokeFunction
#         FunctionName: !Ref ThumbnailsFunction
#         Principal: s3.amazonaws.com
#         SourceArn: !GetAtt UploadsBucket.Arn
#         SourceAccount: !Ref AWS::AccountId
#     ```
#   resource_types:
#     - aws_lambda_permission
#     - AWS::Lambda::Permission
package portcullis.aws.lambda.public_policy

import data.portcullis.lib.resource

# _forms: permission type -> its attribute names.
_forms := {
	"aws_lambda_permission": {
		"principal": "principal",
		"action": "action",
		"conditions": ["source_arn", "source_account", "principal_org_id"],
		"url_auth_type": "function_url_auth_type",
		"via_url": "invoked_via_function_url",
	},
	"AWS::Lambda::Permission": {
		"principal": "Principal",
		"action": "Action",
		"conditions": ["SourceArn", "SourceAccount", "PrincipalOrgID"],
		"url_auth_type": "FunctionUrlAuthType",
		"via_url": "InvokedViaFunctionUrl",
	},
}

deny contains finding if {
	some t, form in _forms
	some address, res in resource.of_types({t})
	principal := resource.value(res, [form.principal])
	is_string(principal)
	trim_space(principal) == "*"
	not _narrowed(res, form)
	finding := {
		"resource": address,
		"attribute": form.principal,
		"message": _message(address, res, form),
		"severity": _severity(res, form),
	}
}

# _narrowed(res, form) is true when a condition limits the callers (a value
# that cannot be known counts).
_narrowed(res, form) if {
	some attr in form.conditions
	resource.set(res, attr)
}

_narrowed(res, _) if resource.properties_unknown(res)

# _url_without_auth(res, form) is true for the lambda:InvokeFunctionUrl
# statement of a function URL that does not authenticate callers.
_url_without_auth(res, form) if {
	v := resource.value(res, [form.url_auth_type])
	is_string(v)
	upper(trim_space(v)) == "NONE"
}

# _via_url(res, form) is true for the lambda:InvokeFunction statement limited
# to calls through the function URL.
_via_url(res, form) if resource.is_true(res, [form.via_url])

_severity(res, form) := "high" if _url_without_auth(res, form)

else := "high" if _via_url(res, form)

else := "critical"

_action(res, form) := v if {
	v := resource.value(res, [form.action])
	is_string(v)
} else := "its action"

_conditions(form) := concat(", ", form.conditions)

_message(address, res, form) := sprintf("Lambda permission %s grants %s to every principal (\"*\") for a function URL without authentication (%s NONE), so anyone on the internet can invoke the function; require AWS_IAM on the URL and name the principals", [address, _action(res, form), form.url_auth_type]) if {
	_url_without_auth(res, form)
} else := sprintf("Lambda permission %s grants %s through the function URL to every principal (\"*\"), so anyone the URL lets in can invoke the function; require AWS_IAM on the URL and name the principals", [address, _action(res, form)]) if {
	_via_url(res, form)
} else := sprintf("Lambda permission %s grants %s to every principal (\"*\") with none of %s, so any AWS account can use it; name the principal, or limit it with one of those", [address, _action(res, form), _conditions(form)])
