# Lambda access settings that Portcullis reports. Each finding is named in the
# comment above the line it points at.

resource "aws_iam_role" "report_lambda" {
  name = "report-lambda"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "report" {
  function_name = "report"
  role          = aws_iam_role.report_lambda.arn
  runtime       = "python3.12"
  handler       = "report.handler"
  s3_bucket     = "example-artifacts"
  s3_key        = "report/v1.zip"
}

resource "aws_lambda_function_url" "report" {
  function_name = aws_lambda_function.report.function_name
  # PCS-AWS-033 (Lambda URL without authentication): anyone can call it.
  authorization_type = "NONE"
}

resource "aws_lambda_permission" "report_url" {
  statement_id           = "PublicFunctionUrl"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.report.function_name
  function_url_auth_type = "NONE"
  # PCS-AWS-034 (Lambda public policy, high): the public function URL's grant.
  principal = "*"
}

resource "aws_lambda_permission" "report_anyone" {
  statement_id  = "AnyAccount"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.report.function_name
  # PCS-AWS-034 (Lambda public policy, critical): every AWS account may invoke.
  principal = "*"
}
