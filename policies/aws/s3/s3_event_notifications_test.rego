package portcullis.aws.s3.s3_event_notifications_test

import data.portcullis.aws.s3.s3_event_notifications as notifications
import data.portcullis.aws.s3.s3_mock_test as s3
import data.portcullis.lib.mock_test as mock

_data := s3.bucket("data", {"bucket": "data"})

_none := "so changes to the bucket's objects raise no event; send them to EventBridge, a topic, a queue or a function"

_notification(values) := s3.config("aws_s3_bucket_notification", "data", "aws_s3_bucket.data", values)

# ---------------------------------------------------------------------------
# Firing

test_bucket_without_notifications_is_reported if {
	notifications.deny == {{
		"resource": "aws_s3_bucket.data",
		"attribute": "",
		"message": "S3 bucket aws_s3_bucket.data sends no event notifications, so changes to its objects raise no event; add an aws_s3_bucket_notification (eventbridge = true sends every event to Amazon EventBridge)",
	}} with input as s3.doc([_data])
}

test_notification_without_destination_is_reported_at_it if {
	notifications.deny == {{
		"resource": "aws_s3_bucket_notification.data",
		"attribute": "",
		"message": sprintf("aws_s3_bucket_notification.data configures no notification destination, %s", [_none]),
	}} with input as s3.doc([_data, _notification({"eventbridge": false})])
}

test_cloudformation_forms if {
	notifications.deny == {
		{
			"resource": "Plain",
			"attribute": "",
			"message": "S3 bucket Plain sends no event notifications, so changes to its objects raise no event; set NotificationConfiguration (EventBridgeConfiguration sends every event to Amazon EventBridge)",
		},
		{
			"resource": "Empty",
			"attribute": "NotificationConfiguration",
			"message": sprintf("S3 bucket Empty configures no notification destination, %s", [_none]),
		},
		{
			"resource": "Off",
			"attribute": "NotificationConfiguration",
			"message": sprintf("S3 bucket Off configures no notification destination, %s", [_none]),
		},
	} with input as s3.doc([
		mock.cfn("Plain", "AWS::S3::Bucket", {}),
		mock.cfn("Empty", "AWS::S3::Bucket", {"NotificationConfiguration": {"TopicConfigurations": []}}),
		mock.cfn("Off", "AWS::S3::Bucket", {"NotificationConfiguration": {"EventBridgeConfiguration": {"EventBridgeEnabled": false}}}),
	])
}

# ---------------------------------------------------------------------------
# Not firing

test_notification_with_a_destination_passes if {
	count(notifications.deny) == 0 with input as s3.doc([_data, _notification({"eventbridge": true})])
	queue := s3.unknown(_notification({"queue": [{"events": ["s3:ObjectCreated:*"]}]}), {"queue": [{"queue_arn": true}]})
	count(notifications.deny) == 0 with input as s3.doc([_data, queue])
}

test_cloudformation_destination_passes if {
	eventbridge := mock.cfn("Bridge", "AWS::S3::Bucket", {"NotificationConfiguration": {"EventBridgeConfiguration": {}}})
	topic := mock.cfn("Topic", "AWS::S3::Bucket", {"NotificationConfiguration": {"TopicConfigurations": [{"Event": "s3:ObjectRemoved:*"}]}})
	count(notifications.deny) == 0 with input as s3.doc([eventbridge, topic])
}

# ---------------------------------------------------------------------------
# Unknown values are not reported

test_unknown_destinations_count_as_present if {
	lambda := s3.unknown(_notification({}), {"lambda_function": true})
	count(notifications.deny) == 0 with input as s3.doc([_data, lambda])
	dynamic := object.union(_notification({"topic": [{"events": ["s3:ObjectCreated:*"]}]}), {"meta": {"dynamic_unknown": ["topic.0"]}})
	count(notifications.deny) == 0 with input as s3.doc([_data, dynamic])
	cfn := s3.unknown(mock.cfn("Data", "AWS::S3::Bucket", {}), {"NotificationConfiguration": true})
	count(notifications.deny) == 0 with input as s3.doc([cfn])
}

test_unjoinable_notification_suppresses_missing if {
	each := s3.unknown(mock.resource("aws_s3_bucket_notification", "each", {"eventbridge": true}), {"bucket": true})
	count(notifications.deny) == 0 with input as s3.doc([_data, each])
}
