package portcullis.aws.elb.lb_outdated_tls_policy_test

import data.portcullis.aws.elb.lb_outdated_tls_policy as rule
import data.portcullis.lib.mock_test as mock

_recommended := "ELBSecurityPolicy-TLS13-1-2-Res-2021-06 or another policy that requires TLS 1.2 or later"

_listener(name, values) := mock.resource("aws_lb_listener", name, object.union({"port": 443, "default_action": [{"type": "forward"}]}, values))

_outdated_finding(address, protocol, policy, attr) := {
	"resource": address,
	"attribute": attr,
	"message": sprintf("%s listens on %s with the security policy %s, which accepts TLS 1.0 or 1.1; set %s to %s", [address, protocol, policy, attr, _recommended]),
}

_missing_finding(address, protocol, attr) := {
	"resource": address,
	"attribute": "",
	"message": sprintf("%s listens on %s without %s, so AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1; set %s to %s", [address, protocol, attr, attr, _recommended]),
}

test_outdated_policies_are_reported if {
	a := _listener("a", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-2016-08"})
	b := mock.resource("aws_alb_listener", "b", {"protocol": "https", "ssl_policy": "ELBSecurityPolicy-TLS-1-1-2017-01"})
	c := _listener("c", {"protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-0-2021-06"})
	d := _listener("d", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04"})
	e := _listener("e", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-FS-2018-06"})
	rule.deny == {
		_outdated_finding("aws_lb_listener.a", "HTTPS", "ELBSecurityPolicy-2016-08", "ssl_policy"),
		_outdated_finding("aws_alb_listener.b", "HTTPS", "ELBSecurityPolicy-TLS-1-1-2017-01", "ssl_policy"),
		_outdated_finding("aws_lb_listener.c", "TLS", "ELBSecurityPolicy-TLS13-1-0-2021-06", "ssl_policy"),
		_outdated_finding("aws_lb_listener.d", "HTTPS", "ELBSecurityPolicy-TLS13-1-1-FIPS-2023-04", "ssl_policy"),
		_outdated_finding("aws_lb_listener.e", "HTTPS", "ELBSecurityPolicy-FS-2018-06", "ssl_policy"),
	} with input as mock.doc([a, b, c, d, e])
}

test_current_policies_pass if {
	listeners := [
		_listener("a", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-2021-06"}),
		_listener("b", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"}),
		_listener("c", {"protocol": "TLS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-3-2021-06"}),
		_listener("d", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS-1-2-Ext-2018-06"}),
		_listener("e", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-FS-1-2-Res-2020-10"}),
		_listener("f", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"}),
		_listener("g", {"protocol": "HTTPS", "ssl_policy": "ELBSecurityPolicy-Future-2030-01"}),
	]
	count(rule.deny) == 0 with input as mock.doc(listeners)
}

test_missing_policy_is_reported if {
	listener := _listener("https", {"protocol": "HTTPS", "certificate_arn": "arn:aws:acm:eu-west-1:123456789012:certificate/1"})
	rule.deny == {_missing_finding("aws_lb_listener.https", "HTTPS", "ssl_policy")} with input as mock.doc([listener])
}

test_plain_protocols_and_unknowns_pass if {
	http := _listener("http", {"protocol": "HTTP", "ssl_policy": "ELBSecurityPolicy-2016-08"})
	tcp := _listener("tcp", {"protocol": "TCP"})
	unset := _listener("unset", {})
	unknown_policy := object.union(_listener("p", {"protocol": "HTTPS"}), {"unknown": {"ssl_policy": true}})
	ref_policy := object.union(_listener("r", {"protocol": "HTTPS"}), {"references": [{"attribute": "ssl_policy", "target": "data.aws_lb_listener.shared", "target_attribute": "ssl_policy"}]})
	unknown_protocol := object.union(_listener("q", {"ssl_policy": "ELBSecurityPolicy-2016-08"}), {"unknown": {"protocol": true}})
	count(rule.deny) == 0 with input as mock.doc([http, tcp, unset, unknown_policy, ref_policy, unknown_protocol])
}

test_cloudformation_listeners if {
	old := mock.cfn("Old", "AWS::ElasticLoadBalancingV2::Listener", {"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-2015-05"})
	unset := mock.cfn("Unset", "AWS::ElasticLoadBalancingV2::Listener", {"Protocol": "TLS"})
	good := mock.cfn("Good", "AWS::ElasticLoadBalancingV2::Listener", {"Protocol": "HTTPS", "SslPolicy": "ELBSecurityPolicy-TLS13-1-2-2021-06"})
	opaque := object.union(mock.cfn("Opaque", "AWS::ElasticLoadBalancingV2::Listener", {}), {"meta": {"properties_unknown": true}})
	rule.deny == {
		_outdated_finding("Old", "HTTPS", "ELBSecurityPolicy-2015-05", "SslPolicy"),
		_missing_finding("Unset", "TLS", "SslPolicy"),
	} with input as mock.doc([old, unset, good, opaque])
}

# ---------------------------------------------------------------------------
# Classic Load Balancers

_elb(listeners) := object.union(mock.resource("aws_elb", "web", {"listener": listeners}), {"referenced_by": []})

_https_listener := {"lb_port": 443, "lb_protocol": "https", "instance_port": 8080, "instance_protocol": "http", "ssl_certificate_id": "arn:aws:acm:eu-west-1:123456789012:certificate/1"}

# _attach(elb, attachment, attribute) joins a listener policy to the load
# balancer with an edge seen from both ends.
_attach(elb, attachment, attribute) := [
	object.union(elb, {"referenced_by": array.concat(elb.referenced_by, [{"source": attachment.address, "attribute": attribute, "target_attribute": "name"}])}),
	object.union(attachment, {
		"unknown": object.union(attachment.unknown, {attribute: true}),
		"references": array.concat(attachment.references, [{"attribute": attribute, "target": elb.address, "target_attribute": "name"}]),
	}),
]

_no_policy(address, attribute, protocol, port) := {
	"resource": address,
	"attribute": attribute,
	"message": sprintf("%s has an %s listener (%s, port %v) with no SSL negotiation policy, so AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1; attach a policy that references ELBSecurityPolicy-TLS-1-2-2017-01", [address, protocol, attribute, port]),
}

test_classic_listener_without_policy_is_reported if {
	elb := _elb([_https_listener, {"lb_port": 80, "lb_protocol": "http", "instance_port": 8080, "instance_protocol": "http"}])
	rule.deny == {_no_policy("aws_elb.web", "listener.0", "HTTPS", 443)} with input as mock.doc([elb])
}

test_classic_listener_with_policy_for_its_port_passes if {
	attachment := mock.resource("aws_load_balancer_listener_policy", "tls", {"load_balancer_port": 443, "policy_names": ["tls-1-2"]})
	count(rule.deny) == 0 with input as mock.doc(_attach(_elb([_https_listener]), attachment, "load_balancer_name"))

	legacy := mock.resource("aws_lb_ssl_negotiation_policy", "tls", {"name": "tls", "lb_port": "443", "attribute": [{"name": "Protocol-TLSv1.2", "value": "true"}]})
	count(rule.deny) == 0 with input as mock.doc(_attach(_elb([_https_listener]), legacy, "load_balancer"))
}

test_classic_policy_for_another_port_does_not_count if {
	attachment := mock.resource("aws_load_balancer_listener_policy", "tls", {"load_balancer_port": 8443, "policy_names": ["tls-1-2"]})
	rule.deny == {_no_policy("aws_elb.web", "listener.0", "HTTPS", 443)} with input as mock.doc(_attach(_elb([_https_listener]), attachment, "load_balancer_name"))
}

test_classic_unjoined_attachment_silences_missing_policies if {
	attachment := mock.resource("aws_load_balancer_listener_policy", "tls", {"load_balancer_name": "web", "load_balancer_port": 443, "policy_names": ["tls-1-2"]})
	count(rule.deny) == 0 with input as mock.doc([_elb([_https_listener]), attachment])
}

test_classic_outdated_policy_definitions_are_reported if {
	reference := mock.resource("aws_load_balancer_policy", "old", {
		"policy_name": "old",
		"policy_type_name": "SSLNegotiationPolicyType",
		"policy_attribute": [{"name": "Reference-Security-Policy", "value": "ELBSecurityPolicy-2016-08"}],
	})
	custom := mock.resource("aws_lb_ssl_negotiation_policy", "custom", {"name": "custom", "attribute": [
		{"name": "Protocol-TLSv1.2", "value": "true"},
		{"name": "Protocol-TLSv1", "value": "true"},
		{"name": "Protocol-TLSv1.1", "value": "false"},
	]})
	good := mock.resource("aws_load_balancer_policy", "good", {"policy_attribute": [{"name": "Reference-Security-Policy", "value": "ELBSecurityPolicy-TLS-1-2-2017-01"}]})
	rule.deny == {
		{
			"resource": "aws_load_balancer_policy.old",
			"attribute": "policy_attribute.0.value",
			"message": "aws_load_balancer_policy.old references the predefined security policy ELBSecurityPolicy-2016-08, which accepts TLS 1.0 or 1.1; reference ELBSecurityPolicy-TLS-1-2-2017-01",
		},
		{
			"resource": "aws_lb_ssl_negotiation_policy.custom",
			"attribute": "attribute.1.value",
			"message": "aws_lb_ssl_negotiation_policy.custom enables Protocol-TLSv1, a deprecated protocol; disable it (or reference ELBSecurityPolicy-TLS-1-2-2017-01)",
		},
	} with input as mock.doc([reference, custom, good])
}

test_cloudformation_classic_load_balancer if {
	lb := mock.cfn("Classic", "AWS::ElasticLoadBalancing::LoadBalancer", {
		"Listeners": [
			{"LoadBalancerPort": "443", "InstancePort": "80", "Protocol": "HTTPS", "PolicyNames": ["Tls"]},
			{"LoadBalancerPort": "8443", "InstancePort": "80", "Protocol": "HTTPS"},
			{"LoadBalancerPort": "9443", "InstancePort": "80", "Protocol": "SSL"},
			{"LoadBalancerPort": "80", "InstancePort": "80", "Protocol": "HTTP"},
		],
		"Policies": [
			{"PolicyName": "Tls", "PolicyType": "SSLNegotiationPolicyType", "Attributes": [{"Name": "Reference-Security-Policy", "Value": "ELBSecurityPolicy-TLS-1-1-2017-01"}]},
			{"PolicyName": "ByPort", "PolicyType": "SSLNegotiationPolicyType", "LoadBalancerPorts": ["8443"], "Attributes": [{"Name": "Reference-Security-Policy", "Value": "ELBSecurityPolicy-TLS-1-2-2017-01"}]},
			{"PolicyName": "Sticky", "PolicyType": "LBCookieStickinessPolicyType", "Attributes": [{"Name": "Protocol-TLSv1", "Value": "true"}]},
		],
	})
	rule.deny == {
		{
			"resource": "Classic",
			"attribute": "Policies.0.Attributes.0.Value",
			"message": "Classic references the predefined security policy ELBSecurityPolicy-TLS-1-1-2017-01, which accepts TLS 1.0 or 1.1; reference ELBSecurityPolicy-TLS-1-2-2017-01",
		},
		_no_policy("Classic", "Listeners.2", "SSL", "9443"),
	} with input as mock.doc([lb])
}

test_cloudformation_classic_unknown_policies_pass if {
	lb := object.union(
		mock.cfn("Classic", "AWS::ElasticLoadBalancing::LoadBalancer", {"Listeners": [{"LoadBalancerPort": "443", "Protocol": "HTTPS"}]}),
		{"unknown": {"Policies": true}},
	)
	count(rule.deny) == 0 with input as mock.doc([lb])
}
