package portcullis.aws.lambda.url_no_auth_test

import data.portcullis.aws.lambda.url_no_auth
import data.portcullis.lib.mock_test as mock

_url(values) := object.union(mock.resource("aws_lambda_function_url", "api", values), {
	"unknown": {"function_name": true},
	"references": [mock.ref("function_name", "aws_lambda_function.api")],
})

test_url_without_authentication_is_reported if {
	url_no_auth.deny == {{
		"resource": "aws_lambda_function_url.api",
		"attribute": "authorization_type",
		"message": "Lambda function URL aws_lambda_function_url.api sets authorization_type to NONE, so anyone on the internet can invoke the function without authentication; use AWS_IAM",
	}} with input as mock.doc([_url({"authorization_type": "NONE"})])
}

test_url_with_iam_passes if {
	count(url_no_auth.deny) == 0 with input as mock.doc([_url({"authorization_type": "AWS_IAM"})])
}

test_unknown_authorization_type_is_not_reported if {
	url := object.union(_url({}), {"unknown": {"function_name": true, "authorization_type": true}})
	count(url_no_auth.deny) == 0 with input as mock.doc([url])
}

test_cloudformation_forms if {
	public := mock.cfn("PublicUrl", "AWS::Lambda::Url", {"AuthType": "NONE", "TargetFunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:api"})
	private := mock.cfn("PrivateUrl", "AWS::Lambda::Url", {"AuthType": "AWS_IAM", "TargetFunctionArn": "arn:aws:lambda:eu-west-1:111122223333:function:api"})
	unknown := object.union(mock.cfn("UnknownUrl", "AWS::Lambda::Url", {}), {"unknown": {"AuthType": true}})
	url_no_auth.deny == {{
		"resource": "PublicUrl",
		"attribute": "AuthType",
		"message": "Lambda function URL PublicUrl sets AuthType to NONE, so anyone on the internet can invoke the function without authentication; use AWS_IAM",
	}} with input as mock.doc([public, private, unknown])
}

test_sam_function_url_without_authentication_is_reported if {
	public := mock.cfn("PublicFunction", "AWS::Serverless::Function", {"Runtime": "python3.12", "FunctionUrlConfig": {"AuthType": "NONE"}})
	private := mock.cfn("PrivateFunction", "AWS::Serverless::Function", {"Runtime": "python3.12", "FunctionUrlConfig": {"AuthType": "AWS_IAM"}})
	no_url := mock.cfn("NoUrlFunction", "AWS::Serverless::Function", {"Runtime": "python3.12"})
	unknown := object.union(mock.cfn("UnknownFunction", "AWS::Serverless::Function", {"FunctionUrlConfig": {}}), {"unknown": {"FunctionUrlConfig": {"AuthType": true}}})
	url_no_auth.deny == {{
		"resource": "PublicFunction",
		"attribute": "FunctionUrlConfig.AuthType",
		"message": "The function URL of SAM function PublicFunction sets FunctionUrlConfig.AuthType to NONE, so anyone on the internet can invoke the function without authentication; use AWS_IAM",
	}} with input as mock.doc([public, private, no_url, unknown])
}
