# METADATA
# title: S3 bucket without event notifications
# description: |
#   Event notifications tell other systems, as it happens, that objects were
#   created, deleted, restored or replicated: they feed the alerts that catch a
#   mass deletion or an unexpected upload, and the pipelines that scan or
#   catalogue new data. Without them a change to sensitive data is seen, if at
#   all, in the next log review. SOC 2 CC7.2 expects system components to be
#   monitored for anomalies, and AWS Foundational Security Best Practices
#   S3.11 asks for event notifications. Many buckets (build artefacts,
#   caches) need none, so this rule is opt-in: enable it by name where
#   changes to buckets must raise events.
#
#   The rule reports a bucket (aws_s3_bucket, AWS::S3::Bucket) without an
#   aws_s3_bucket_notification joined to it through its bucket reference and
#   without a CloudFormation NotificationConfiguration (reported at the
#   bucket), and a notification configuration with no destination at all (no
#   topic, queue, lambda_function and no eventbridge = true; CloudFormation:
#   no TopicConfigurations, QueueConfigurations, LambdaConfigurations or
#   EventBridgeConfiguration), which removes every notification of the bucket
#   (reported at that configuration). A configuration whose values are unknown
#   statically counts as a destination. When an aws_s3_bucket_notification of
#   the root names its bucket without a reference to it (a plain string, a
#   variable, each.value), it may configure any bucket: buckets are then not
#   reported for lacking one.
# custom:
#   id: PCS-AWS-026
#   name: s3-event-notifications
#   severity: low
#   precision: high
#   enabled: false
#   controls:
#     - "SOC2:CC7.2"
#     - "AWS-FSBP:S3.11"
#   remediation: |
#     Send the bucket's events to Amazon EventBridge (every event type, routed
#     by rules), or to an SNS topic, SQS queue or Lambda function for the event
#     types you watch.
#
#     ```hcl
#     resource "aws_s3_bucket_notification" "data" {
#       bucket      = aws_s3_bucket.data.id
#       eventbridge = true
#     }
#     ```
#
#     ```yaml
#     DataBucket:
#       Type: AWS::S3::Bucket
#       Properties:
#         NotificationConfiguration:
#           EventBridgeConfiguration:
#             EventBridgeEnabled: true
#     ```
#   resource_types:
#     - aws_s3_bucket
#     - aws_s3_bucket_notification
#     - AWS::S3::Bucket
package portcullis.aws.s3.s3_event_notifications

import data.portcullis.aws.s3.buckets
import data.portcullis.lib.resource

_split := "aws_s3_bucket_notification"

_terraform := ["topic", "queue", "lambda_function"]

_cloudformation := ["TopicConfigurations", "QueueConfigurations", "LambdaConfigurations"]

deny contains finding if {
	some res in buckets.buckets
	count(_states(res)) == 0
	not buckets.suppressed({_split})
	finding := {
		"resource": res.address,
		"attribute": "",
		"message": sprintf("S3 bucket %s sends no event notifications, so changes to its objects raise no event; %s", [res.address, _advice(res)]),
	}
}

deny contains finding if {
	some res in buckets.buckets
	some finding in buckets.reportable(res, _states(res), {_split})
}

_advice(res) := "set NotificationConfiguration (EventBridgeConfiguration sends every event to Amazon EventBridge)" if {
	res.type == "AWS::S3::Bucket"
} else := "add an aws_s3_bucket_notification (eventbridge = true sends every event to Amazon EventBridge)"

_states(res) := {_state(input.resources[address], [], _terraform, "eventbridge") |
	some address in buckets.configs(res, _split)
} | _own_states(res)

_own_states(res) := {buckets.unknown} if {
	res.type == "AWS::S3::Bucket"
	resource.unknown(res, ["NotificationConfiguration"])
} else := {_state(res, ["NotificationConfiguration"], _cloudformation, "EventBridgeConfiguration")} if {
	res.type == "AWS::S3::Bucket"
	resource.value(res, ["NotificationConfiguration"]) != null
} else := set()

# _state(r, prefix, lists, eventbridge): the state of the notification
# configuration at prefix.
_state(r, prefix, lists, eventbridge) := buckets.ok if {
	some name in lists
	not resource.value(r, array.concat(prefix, [name])) in {null, []}
} else := buckets.ok if {
	_eventbridge(r, array.concat(prefix, [eventbridge]))
} else := buckets.unknown if {
	some name in array.concat(lists, [eventbridge])
	buckets.uncertain(r, array.concat(prefix, [name]))
} else := buckets.bad(r, prefix, sprintf(
	"%s configures no notification destination, so changes to the bucket's objects raise no event; send them to EventBridge, a topic, a queue or a function",
	[buckets.label(r)],
))

# _eventbridge(r, p): eventbridge = true (Terraform), or an
# EventBridgeConfiguration whose EventBridgeEnabled is not false
# (CloudFormation; it defaults to true).
_eventbridge(r, p) if resource.is_true(r, p)

_eventbridge(r, p) if {
	is_object(resource.value(r, p))
	not resource.is_false(r, array.concat(p, ["EventBridgeEnabled"]))
}
