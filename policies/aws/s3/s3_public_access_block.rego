# METADATA
# title: S3 bucket without a complete public access block
# description: |
#   S3 Block Public Access is the guard rail that keeps a bucket private
#   whatever its ACLs and bucket policy say: block_public_acls and
#   ignore_public_acls refuse and neutralise public ACLs, block_public_policy
#   refuses a bucket policy that grants public access, and
#   restrict_public_buckets limits an already public policy to AWS services
#   and the owner's account. Without all four, one ACL or policy statement
#   written by mistake (or by an attacker) publishes the bucket's data to the
#   internet, the most common cause of S3 data breaches. SOC 2 CC6.1 and CC6.6
#   ask for access to data to be restricted and the boundary protected; AWS
#   Foundational Security Best Practices S3.8 (bucket level) and S3.1 (account
#   level) and CIS AWS 2.1.4 ask for these settings. AWS turns them on for
#   buckets created since April 2023, but only a setting in the configuration
#   shows that it is intended, and keeps a later change from removing it
#   unnoticed.
#
#   The rule reports a bucket (aws_s3_bucket, AWS::S3::Bucket) that has no
#   public access block with all four settings true: no
#   aws_s3_bucket_public_access_block joined to it through its bucket
#   reference and no CloudFormation PublicAccessBlockConfiguration (reported at
#   the bucket; medium, because AWS turns Block Public Access on for new
#   buckets by default), or one whose settings are false or missing (a
#   missing setting is false; reported at the first false setting, else at
#   the public access block; high: the configuration turns the guard rail
#   off). Nothing is reported in a root that has an
#   aws_s3_account_public_access_block with all four settings true, which
#   covers every bucket of the account. A setting that is not known statically
#   counts as true. When an aws_s3_bucket_public_access_block of the root names
#   its bucket without a reference to it (a plain string, a variable,
#   each.value), it may configure any bucket: buckets are then not reported
#   for lacking one, while that resource is still judged on its own.
# custom:
#   id: PCS-AWS-023
#   name: s3-public-access-block
#   severity: high
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "AWS-FSBP:S3.8"
#     - "AWS-FSBP:S3.1"
#     - "CIS-AWS-3.0:2.1.4"
#   remediation: |
#     Block public access on every bucket, with all four settings; grant
#     access to other accounts or to CloudFront (origin access control) through
#     the bucket policy instead. Blocking public access for the whole account
#     covers every bucket at once.
#
#     ```hcl
#     resource "aws_s3_bucket_public_access_block" "data" {
#       bucket = aws_s3_bucket.data.id
#
#       block_public_acls       = true
#       block_public_policy     = true
#       ignore_public_acls      = true
#       restrict_public_buckets = true
#     }
#
#     # or, for every bucket of the account:
#     resource "aws_s3_account_public_access_block" "account" {
#       block_public_acls       = true
#       block_public_policy     = true
#       ignore_public_acls      = true
#       restrict_public_buckets = true
#     }
#     ```
#
#     ```yaml
#     DataBucket:
#       Type: AWS::S3::Bucket
#       Properties:
#         PublicAccessBlockConfiguration:
#           BlockPublicAcls: true
#           BlockPublicPolicy: true
#           IgnorePublicAcls: true
#           RestrictPublicBuckets: true
#     ```
#   resource_types:
#     - aws_s3_bucket
#     - aws_s3_bucket_public_access_block
#     - aws_s3_account_public_access_block
#     - AWS::S3::Bucket
package portcullis.aws.s3.s3_public_access_block

import data.portcullis.aws.s3.buckets
import data.portcullis.lib.resource

_split := "aws_s3_bucket_public_access_block"

_terraform := ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"]

_cloudformation := ["BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]

deny contains finding if {
	not _account_blocked
	some res in buckets.buckets
	count(_states(res)) == 0
	not buckets.suppressed({_split})
	finding := {
		"resource": res.address,
		"attribute": "",
		"message": sprintf("S3 bucket %s has no public access block, so it relies on the account's settings and AWS's default for new buckets, and a public ACL or bucket policy could expose its data; %s", [res.address, _advice(res)]),
		"severity": "medium",
	}
}

deny contains finding if {
	not _account_blocked
	some res in buckets.buckets
	some finding in buckets.reportable(res, _states(res), {_split})
}

# A public access block whose bucket cannot be joined is judged on its own.
deny contains finding if {
	not _account_blocked
	some cfg in object.get(resource.by_type, _split, {})
	not buckets.joined(cfg)
	s := _block_state(cfg, [], _terraform)
	s.state == "bad"
	finding := s.finding
}

# _account_blocked: an account-level block with every setting true (or not
# known statically) covers every bucket.
_account_blocked if {
	some account in object.get(resource.by_type, "aws_s3_account_public_access_block", {})
	every name in _terraform {
		_on(account, [name])
	}
}

_advice(res) := "set PublicAccessBlockConfiguration with BlockPublicAcls, BlockPublicPolicy, IgnorePublicAcls and RestrictPublicBuckets true" if {
	res.type == "AWS::S3::Bucket"
} else := "add an aws_s3_bucket_public_access_block with block_public_acls, block_public_policy, ignore_public_acls and restrict_public_buckets true"

# _states(res): the states of every public access block of the bucket res.
_states(res) := _own_states(res) | {_block_state(input.resources[address], [], _terraform) |
	some address in buckets.configs(res, _split)
}

_own_states(res) := {buckets.unknown} if {
	res.type == "AWS::S3::Bucket"
	resource.unknown(res, ["PublicAccessBlockConfiguration"])
} else := {_block_state(res, ["PublicAccessBlockConfiguration"], _cloudformation)} if {
	res.type == "AWS::S3::Bucket"
	resource.value(res, ["PublicAccessBlockConfiguration"]) != null
} else := set()

# _on(r, p): the setting at p is true, or not known statically.
_on(r, p) if resource.is_true(r, p)

_on(r, p) if buckets.uncertain(r, p)

# _block_state(r, prefix, names): the state of the public access block at
# prefix: ok when every setting is on, else bad at the first false setting
# (or at the block when the settings that are not on are all missing).
_block_state(r, prefix, names) := buckets.ok if {
	every name in names {
		_on(r, array.concat(prefix, [name]))
	}
} else := buckets.bad(r, _where(r, prefix, names), sprintf(
	"%s does not set %s to true, so a public ACL or bucket policy could expose the bucket's data; set all four public access block settings to true",
	[buckets.label(r), buckets.enumerate([name | some name in names; not _on(r, array.concat(prefix, [name]))])],
))

_where(r, prefix, names) := array.concat(prefix, [falses[0]]) if {
	falses := [name | some name in names; resource.is_false(r, array.concat(prefix, [name]))]
	count(falses) > 0
} else := prefix
