package portcullis.aws.lambda.public_policy_test

import data.portcullis.aws.lambda.public_policy
import data.portcullis.lib.mock_test as mock

_permission(name, values) := object.union(
	mock.resource("aws_lambda_permission", name, object.union({"statement_id": name}, values)),
	{
		"unknown": {"function_name": true},
		"references": [mock.ref("function_name", "aws_lambda_function.api")],
	},
)

_conditions := "source_arn, source_account, principal_org_id"

test_invoke_by_everyone_is_critical if {
	public_policy.deny == {{
		"resource": "aws_lambda_permission.public",
		"attribute": "principal",
		"message": sprintf("Lambda permission aws_lambda_permission.public grants lambda:InvokeFunction to every principal (\"*\") with none of %s, so any AWS account can use it; name the principal, or limit it with one of those", [_conditions]),
		"severity": "critical",
	}} with input as mock.doc([_permission("public", {"action": "lambda:InvokeFunction", "principal": "*"})])
}

test_unknown_action_is_still_reported if {
	permission := object.union(_permission("public", {"principal": " * "}), {"unknown": {"function_name": true, "action": true}})
	public_policy.deny == {{
		"resource": "aws_lambda_permission.public",
		"attribute": "principal",
		"message": sprintf("Lambda permission aws_lambda_permission.public grants its action to every principal (\"*\") with none of %s, so any AWS account can use it; name the principal, or limit it with one of those", [_conditions]),
		"severity": "critical",
	}} with input as mock.doc([permission])
}

test_function_url_without_auth_is_high if {
	public_policy.deny == {{
		"resource": "aws_lambda_permission.url",
		"attribute": "principal",
		"message": "Lambda permission aws_lambda_permission.url grants lambda:InvokeFunctionUrl to every principal (\"*\") for a function URL without authentication (function_url_auth_type NONE), so anyone on the internet can invoke the function; require AWS_IAM on the URL and name the principals",
		"severity": "high",
	}} with input as mock.doc([_permission("url", {"action": "lambda:InvokeFunctionUrl", "principal": "*", "function_url_auth_type": "NONE"})])
}

test_invoke_via_function_url_is_high if {
	public_policy.deny == {{
		"resource": "aws_lambda_permission.url_invoke",
		"attribute": "principal",
		"message": "Lambda permission aws_lambda_permission.url_invoke grants lambda:InvokeFunction through the function URL to every principal (\"*\"), so anyone the URL lets in can invoke the function; require AWS_IAM on the URL and name the principals",
		"severity": "high",
	}} with input as mock.doc([_permission("url_invoke", {"action": "lambda:InvokeFunction", "principal": "*", "invoked_via_function_url": true})])
}

test_function_url_with_iam_and_every_principal_is_critical if {
	public_policy.deny == {{
		"resource": "aws_lambda_permission.url",
		"attribute": "principal",
		"message": sprintf("Lambda permission aws_lambda_permission.url grants lambda:InvokeFunctionUrl to every principal (\"*\") with none of %s, so any AWS account can use it; name the principal, or limit it with one of those", [_conditions]),
		"severity": "critical",
	}} with input as mock.doc([_permission("url", {"action": "lambda:InvokeFunctionUrl", "principal": "*", "function_url_auth_type": "AWS_IAM"})])
}

test_narrowed_or_named_principals_pass if {
	by_arn := object.union(
		_permission("by_arn", {"action": "lambda:InvokeFunction", "principal": "*"}),
		{
			"unknown": {"function_name": true, "source_arn": true},
			"references": [mock.ref("function_name", "aws_lambda_function.api"), mock.ref("source_arn", "aws_s3_bucket.uploads")],
		},
	)
	by_account := _permission("by_account", {"action": "lambda:InvokeFunction", "principal": "*", "source_account": "111122223333"})
	by_org := _permission("by_org", {"action": "lambda:InvokeFunction", "principal": "*", "principal_org_id": "o-a1b2c3d4e5"})
	service := _permission("service", {"action": "lambda:InvokeFunction", "principal": "s3.amazonaws.com"})
	account := _permission("account", {"action": "lambda:InvokeFunction", "principal": "111122223333"})
	count(public_policy.deny) == 0 with input as mock.doc([by_arn, by_account, by_org, service, account])
}

test_unknown_principal_or_condition_is_not_reported if {
	principal := object.union(_permission("p", {"action": "lambda:InvokeFunction"}), {"unknown": {"function_name": true, "principal": true}})
	condition := object.union(_permission("c", {"action": "lambda:InvokeFunction", "principal": "*"}), {"unknown": {"function_name": true, "source_account": true}})
	count(public_policy.deny) == 0 with input as mock.doc([principal, condition])
}

test_cloudformation_forms if {
	public := mock.cfn("PublicPermission", "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": "api", "Principal": "*"})
	url := mock.cfn("UrlPermission", "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunctionUrl", "FunctionName": "api", "Principal": "*", "FunctionUrlAuthType": "NONE"})
	via_url := mock.cfn("ViaUrlPermission", "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": "api", "Principal": "*", "InvokedViaFunctionUrl": "true"})
	org := mock.cfn("OrgPermission", "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": "api", "Principal": "*", "PrincipalOrgID": "o-a1b2c3d4e5"})
	service := mock.cfn("ServicePermission", "AWS::Lambda::Permission", {"Action": "lambda:InvokeFunction", "FunctionName": "api", "Principal": "sns.amazonaws.com"})
	opaque := object.union(mock.cfn("OpaquePermission", "AWS::Lambda::Permission", {"Principal": "*"}), {"meta": {"properties_unknown": true}})
	public_policy.deny == {
		{
			"resource": "PublicPermission",
			"attribute": "Principal",
			"message": "Lambda permission PublicPermission grants lambda:InvokeFunction to every principal (\"*\") with none of SourceArn, SourceAccount, PrincipalOrgID, so any AWS account can use it; name the principal, or limit it with one of those",
			"severity": "critical",
		},
		{
			"resource": "UrlPermission",
			"attribute": "Principal",
			"message": "Lambda permission UrlPermission grants lambda:InvokeFunctionUrl to every principal (\"*\") for a function URL without authentication (FunctionUrlAuthType NONE), so anyone on the internet can invoke the function; require AWS_IAM on the URL and name the principals",
			"severity": "high",
		},
		{
			"resource": "ViaUrlPermission",
			"attribute": "Principal",
			"message": "Lambda permission ViaUrlPermission grants lambda:InvokeFunction through the function URL to every principal (\"*\"), so anyone the URL lets in can invoke the function; require AWS_IAM on the URL and name the principals",
			"severity": "high",
		},
	} with input as mock.doc([public, url, via_url, org, service, opaque])
}
