# A Lambda function invoked by a schedule and, through its URL, only by IAM
# principals: no permission is open to every principal.

resource "aws_iam_role" "nightly_report" {
  name = "nightly-report"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "lambda.amazonaws.com" }
      Action    = "sts:AssumeRole"
    }]
  })
}

resource "aws_lambda_function" "nightly_report" {
  function_name = "nightly-report"
  role          = aws_iam_role.nightly_report.arn
  runtime       = "python3.12"
  handler       = "report.handler"
  s3_bucket     = "example-artifacts"
  s3_key        = "nightly-report/v1.zip"
}

# Callers sign their requests (SigV4) with an IAM identity.
resource "aws_lambda_function_url" "nightly_report" {
  function_name      = aws_lambda_function.nightly_report.function_name
  authorization_type = "AWS_IAM"
}

resource "aws_cloudwatch_event_rule" "nightly" {
  name                = "nightly-report"
  schedule_expression = "cron(0 2 * * ? *)"
}

resource "aws_cloudwatch_event_target" "nightly_report" {
  rule = aws_cloudwatch_event_rule.nightly.name
  arn  = aws_lambda_function.nightly_report.arn
}

# A service principal limited to the one rule that may invoke the function.
resource "aws_lambda_permission" "nightly_schedule" {
  statement_id  = "AllowNightlySchedule"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.nightly_report.function_name
  principal     = "events.amazonaws.com"
  source_arn    = aws_cloudwatch_event_rule.nightly.arn
}
