# METADATA
# title: Load balancer listener accepts TLS 1.0 or 1.1
# description: |
#   TLS 1.0 and 1.1 are deprecated (RFC 8996): they rely on weak hash
#   constructions and cipher modes, are the target of downgrade attacks, and are
#   refused by current compliance baselines (PCI DSS, NIST SP 800-52r2). A load
#   balancer that still negotiates them lets a client, or an attacker in the
#   middle who forces a downgrade, protect traffic with them. The security policy
#   of each HTTPS, TLS or SSL listener decides which versions are accepted
#   (SOC 2 CC6.7 protection of data in transit; AWS Foundational Security Best
#   Practices ELB.8 for Classic Load Balancers and ELB.17 for Application and
#   Network Load Balancers, which asks for TLS 1.3 policies: passing this rule
#   does not by itself satisfy ELB.17).
#
#   The rule reports:
#   - an HTTPS or TLS aws_lb_listener / aws_alb_listener, or
#     AWS::ElasticLoadBalancingV2::Listener, whose ssl_policy (SslPolicy) is one
#     of the predefined policies that accept TLS 1.0 or 1.1, at the value; or
#     that sets none, at the resource: AWS then applies ELBSecurityPolicy-2016-08
#     (the default of the Terraform provider, the API, CloudFormation and the
#     CDK), which accepts TLS 1.0;
#   - Classic Load Balancers: an SSL negotiation policy (aws_load_balancer_policy
#     policy_attribute, aws_lb_ssl_negotiation_policy attribute, or an entry of
#     the Policies of an AWS::ElasticLoadBalancing::LoadBalancer) whose
#     Reference-Security-Policy is such a predefined policy, or that enables
#     Protocol-SSLv3, Protocol-TLSv1 or Protocol-TLSv1.1; and an HTTPS or SSL
#     listener of an aws_elb or AWS::ElasticLoadBalancing::LoadBalancer to which
#     no policy is attached (no aws_load_balancer_listener_policy or
#     aws_lb_ssl_negotiation_policy joined to the load balancer through an edge
#     for that port; no PolicyNames on the listener and no Policies entry naming
#     its port), since AWS then applies ELBSecurityPolicy-2016-08.
#   The list of outdated policies is kept as data in the rule (_outdated, from
#   the TLS versions each predefined policy enables in the Elastic Load
#   Balancing user guides); a policy name the rule does not know (a newer
#   predefined policy) is not reported. A policy or protocol that cannot be
#   known statically is not reported, and Classic listeners are not reported as
#   lacking a policy when the configuration holds a listener policy whose load
#   balancer cannot be followed through an edge.
# custom:
#   id: PCS-AWS-013
#   name: lb-outdated-tls-policy
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC6.7"
#     - "AWS-FSBP:ELB.8"
#     - "AWS-FSBP:ELB.17"
#   remediation: |
#     Set a security policy that requires TLS 1.2 or later on every HTTPS or TLS
#     listener: ELBSecurityPolicy-TLS13-1-2-Res-2021-06 (TLS 1.2 and 1.3, the
#     strongest ciphers) or ELBSecurityPolicy-TLS13-1-3-2021-06 (TLS 1.3 only)
#     for Application and Network Load Balancers, and
#     ELBSecurityPolicy-TLS-1-2-2017-01 for Classic Load Balancers.
#
#     ```hcl
#     resource "aws_lb_listener" "https" {
#       load_balancer_arn = aws_lb.web.arn
#       port              = 443
#       protocol          = "HTTPS"
#       ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"
#       certificate_arn   = aws_acm_certificate.web.arn
#
#       default_action {
#         type             = "forward"
#         target_group_arn = aws_lb_target_group.web.arn
#       }
#     }
#     ```
#
#     ```yaml
#     HttpsListener:
#       Type: AWS::ElasticLoadBalancingV2::Listener
#       Properties:
#         LoadBalancerArn: !Ref LoadBalancer
#         Port: 443
#         Protocol: HTTPS
#         SslPolicy: ELBSecurityPolicy-TLS13-1-2-Res-2021-06
#         Certificates:
#           - CertificateArn: !Ref Certificate
#         DefaultActions:
#           - Type: forward
#             TargetGroupArn: !Ref TargetGroup
#     ```
#   resource_types:
#     - aws_lb_listener
#     - aws_alb_listener
#     - aws_elb
#     - aws_load_balancer_policy
#     - aws_load_balancer_listener_policy
#     - aws_lb_ssl_negotiation_policy
#     - AWS::ElasticLoadBalancingV2::Listener
#     - AWS::ElasticLoadBalancing::LoadBalancer
package portcullis.aws.elb.lb_outdated_tls_policy

import data.portcullis.lib.resource

# ---------------------------------------------------------------------------
# The predefined policies that accept TLS 1.0 or TLS 1.1
#
# Source: the tables of TLS protocols by policy in the Elastic Load Balancing
# user guides ("Security policies for your Application Load Balancer", "... for
# your Network Load Balancer", "Predefined SSL security policies for Classic
# Load Balancers"). Every ELBSecurityPolicy-TLS13-1-0-* and
# ELBSecurityPolicy-TLS13-1-1-* policy (2021-06, FIPS-2023-04, PQ-2025-09 and
# their variants) also accepts TLS 1.0 or 1.1: they are matched by _legacy_tls13.
# Not outdated: ELBSecurityPolicy-TLS-1-2-*, ELBSecurityPolicy-TLS13-1-2-*,
# ELBSecurityPolicy-TLS13-1-3-*, ELBSecurityPolicy-FS-1-2-*.
_outdated := {
	"ELBSecurityPolicy-2016-08",
	"ELBSecurityPolicy-2015-05",
	"ELBSecurityPolicy-2015-03",
	"ELBSecurityPolicy-2015-02",
	"ELBSecurityPolicy-2014-10",
	"ELBSecurityPolicy-2014-01",
	"ELBSecurityPolicy-2011-08",
	"ELBSecurityPolicy-TLS-1-0-2015-04",
	"ELBSecurityPolicy-TLS-1-1-2017-01",
	"ELBSecurityPolicy-FS-2018-06",
	"ELBSecurityPolicy-FS-1-1-2019-08",
	"ELBSample-ELBDefaultCipherPolicy",
	"ELBSample-OpenSSLDefaultCipherPolicy",
}

_legacy_tls13 := `^ELBSecurityPolicy-TLS13-1-[01]-`

# The default of the Terraform provider, the ELB API, CloudFormation and the
# CDK for a listener that names no policy (the console uses a TLS 1.3 policy).
_default_policy := "ELBSecurityPolicy-2016-08"

_outdated_policy(name) if name in _outdated

_outdated_policy(name) if {
	is_string(name)
	regex.match(_legacy_tls13, name)
}

# The protocols a custom Classic policy must not enable.
_outdated_protocols := {"Protocol-SSLv3", "Protocol-TLSv1", "Protocol-TLSv1.1"}

# ---------------------------------------------------------------------------
# Application and Network Load Balancer listeners

_listener := {
	"aws_lb_listener": {"protocol": "protocol", "policy": "ssl_policy"},
	"aws_alb_listener": {"protocol": "protocol", "policy": "ssl_policy"},
	"AWS::ElasticLoadBalancingV2::Listener": {"protocol": "Protocol", "policy": "SslPolicy"},
}

_recommended := "ELBSecurityPolicy-TLS13-1-2-Res-2021-06 or another policy that requires TLS 1.2 or later"

deny contains finding if {
	some address, res in resource.of_types(object.keys(_listener))
	spec := _listener[res.type]
	protocol := _encrypted(res, spec.protocol)
	policy := resource.value(res, [spec.policy])
	_outdated_policy(policy)
	finding := {
		"resource": address,
		"attribute": spec.policy,
		"message": sprintf(
			"%s listens on %s with the security policy %s, which accepts TLS 1.0 or 1.1; set %s to %s",
			[address, protocol, policy, spec.policy, _recommended],
		),
	}
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_listener))
	spec := _listener[res.type]
	protocol := _encrypted(res, spec.protocol)
	resource.missing(res, spec.policy)
	not resource.properties_unknown(res)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf(
			"%s listens on %s without %s, so AWS applies %s, which accepts TLS 1.0 and 1.1; set %s to %s",
			[address, protocol, spec.policy, _default_policy, spec.policy, _recommended],
		),
	}
}

# _encrypted(res, attr) is the listener's protocol when it is HTTPS or TLS.
_encrypted(res, attr) := protocol if {
	protocol := upper(_text(resource.value(res, [attr])))
	protocol in {"HTTPS", "TLS"}
}

# ---------------------------------------------------------------------------
# Classic Load Balancers: SSL negotiation policies

# _policy_forms: type -> where the policy's attributes are and what they are
# called.
_policy_forms := {
	"aws_load_balancer_policy": {"attributes": ["policy_attribute"], "name": "name", "value": "value"},
	"aws_lb_ssl_negotiation_policy": {"attributes": ["attribute"], "name": "name", "value": "value"},
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_policy_forms))
	form := _policy_forms[res.type]
	some finding in _policy_findings(address, res, form.attributes, form)
}

deny contains finding if {
	some address, res in resource.of_types({"AWS::ElasticLoadBalancing::LoadBalancer"})
	some j, policy in resource.as_array(resource.value(res, ["Policies"]))
	is_object(policy)
	_text(object.get(policy, "PolicyType", "")) == "SSLNegotiationPolicyType"
	some finding in _policy_findings(address, res, ["Policies", j, "Attributes"], {"name": "Name", "value": "Value"})
}

# _policy_findings are the findings on the policy attributes listed at path:
# a reference to an outdated predefined policy, an outdated protocol enabled.
_policy_findings(address, res, path, form) := {finding |
	some k, attribute in resource.as_array(resource.value(res, path))
	is_object(attribute)
	name := _text(object.get(attribute, form.name, ""))
	value := object.get(attribute, form.value, null)
	message := _attribute_problem(address, name, value)
	finding := {
		"resource": address,
		"attribute": resource.path(array.concat(path, [k, form.value])),
		"message": message,
	}
}

_attribute_problem(address, "Reference-Security-Policy", value) := sprintf(
	"%s references the predefined security policy %s, which accepts TLS 1.0 or 1.1; reference ELBSecurityPolicy-TLS-1-2-2017-01",
	[address, value],
) if {
	_outdated_policy(value)
}

_attribute_problem(address, name, value) := sprintf(
	"%s enables %s, a deprecated protocol; disable it (or reference ELBSecurityPolicy-TLS-1-2-2017-01)",
	[address, name],
) if {
	name in _outdated_protocols
	resource.truthy(value)
}

# ---------------------------------------------------------------------------
# Classic Load Balancers: HTTPS/SSL listeners without a policy

_attachments := {
	"aws_load_balancer_listener_policy": {"load_balancer": "load_balancer_name", "port": "load_balancer_port"},
	"aws_lb_ssl_negotiation_policy": {"load_balancer": "load_balancer", "port": "lb_port"},
}

deny contains finding if {
	some address, res in resource.of_types({"aws_elb"})
	not _unjoined_attachment
	some i, listener in resource.as_array(resource.value(res, ["listener"]))
	is_object(listener)
	protocol := upper(_text(object.get(listener, "lb_protocol", "")))
	protocol in {"HTTPS", "SSL"}
	port := object.get(listener, "lb_port", null)
	not _attached(res, port)
	finding := _no_policy(address, resource.path(["listener", i]), protocol, port)
}

# _attached(elb, port) is true when a listener policy joined to the load
# balancer through an edge applies to port (or to a port not known).
_attached(elb, port) if {
	some type, form in _attachments
	some source in resource.referrers_by(elb, {type}, form.load_balancer)
	attachment := resource.managed[source]
	_same_port(attachment, form.port, port)
}

_same_port(attachment, attr, port) if sprintf("%v", [resource.value(attachment, [attr])]) == sprintf("%v", [port])

_same_port(attachment, attr, _) if resource.unknown(attachment, [attr])

_same_port(_, _, null)

# _unjoined_attachment is true when a listener policy names its load balancer
# without an edge to an aws_elb: it may apply to any of them.
_unjoined_attachment if {
	some type, form in _attachments
	some _, attachment in resource.of_types({type})
	not _joined(attachment, form.load_balancer)
}

_joined(attachment, attr) if {
	some target in resource.targets(attachment, attr)
	input.resources[target].type == "aws_elb"
}

deny contains finding if {
	some address, res in resource.of_types({"AWS::ElasticLoadBalancing::LoadBalancer"})
	not resource.unknown(res, ["Policies"])
	some i, listener in resource.as_array(resource.value(res, ["Listeners"]))
	is_object(listener)
	protocol := upper(_text(object.get(listener, "Protocol", "")))
	protocol in {"HTTPS", "SSL"}
	not resource.unknown(res, ["Listeners", i, "PolicyNames"])
	count(resource.as_array(object.get(listener, "PolicyNames", []))) == 0
	port := object.get(listener, "LoadBalancerPort", null)
	not _policy_for_port(res, port)
	finding := _no_policy(address, resource.path(["Listeners", i]), protocol, port)
}

# _policy_for_port(lb, port) is true when an entry of Policies names the port
# (or a port that is not known) in LoadBalancerPorts.
_policy_for_port(lb, port) if {
	some j, policy in resource.as_array(resource.value(lb, ["Policies"]))
	some k, p in resource.as_array(object.get(policy, "LoadBalancerPorts", []))
	_port_matches(lb, ["Policies", j, "LoadBalancerPorts", k], p, port)
}

_policy_for_port(lb, _) if {
	some j, _ in resource.as_array(resource.value(lb, ["Policies"]))
	resource.unknown(lb, ["Policies", j, "LoadBalancerPorts"])
}

_port_matches(_, _, p, port) if sprintf("%v", [p]) == sprintf("%v", [port])

_port_matches(lb, path, _, _) if resource.unknown(lb, path)

_port_matches(_, _, _, null)

_no_policy(address, attribute, protocol, port) := {
	"resource": address,
	"attribute": attribute,
	"message": sprintf(
		"%s has an %s listener (%s, port %v) with no SSL negotiation policy, so AWS applies %s, which accepts TLS 1.0 and 1.1; attach a policy that references ELBSecurityPolicy-TLS-1-2-2017-01",
		[address, protocol, attribute, _port_text(port), _default_policy],
	),
}

_port_text(null) := "not known"

_port_text(port) := port if port != null

_text(v) := v if is_string(v)

_text(v) := "" if not is_string(v)
