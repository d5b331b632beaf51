package portcullis.aws.elb.lb_http_without_redirect_test

import data.portcullis.aws.elb.lb_http_without_redirect as rule
import data.portcullis.lib.mock_test as mock

_consequence := "so requests, credentials and session cookies cross the network unencrypted"

_forward := {"type": "forward", "target_group_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/web/1"}

_redirect(protocol) := {"type": "redirect", "redirect": [{"port": "443", "protocol": protocol, "status_code": "HTTP_301"}]}

_listener(name, values) := mock.resource("aws_lb_listener", name, values)

# _on(listener, lb) joins a listener to its load balancer with an edge.
_on(listener, lb) := object.union(listener, {
	"unknown": object.union(listener.unknown, {"load_balancer_arn": true}),
	"references": [{"attribute": "load_balancer_arn", "target": lb, "target_attribute": "arn"}],
})

_not_redirect(address, attribute, type) := {
	"resource": address,
	"attribute": attribute,
	"message": sprintf("%s listens on HTTP and its default action is %s, not a redirect to HTTPS, %s; make the default action a redirect to HTTPS (status HTTP_301)", [address, type, _consequence]),
}

test_http_listener_forwarding_is_reported if {
	listener := _listener("http", {"port": 80, "protocol": "HTTP", "default_action": [_forward]})
	rule.deny == {_not_redirect("aws_lb_listener.http", "default_action.0.type", `"forward"`)} with input as mock.doc([listener])
}

test_last_action_is_pointed_at if {
	cognito := {"type": "authenticate-cognito", "order": 1}
	listener := mock.resource("aws_alb_listener", "http", {"protocol": "http", "default_action": [cognito, object.union(_forward, {"order": 2})]})
	rule.deny == {_not_redirect("aws_alb_listener.http", "default_action.1.type", `"forward"`)} with input as mock.doc([listener])
}

test_redirect_to_https_passes if {
	listener := _listener("http", {"port": 80, "protocol": "HTTP", "default_action": [_redirect("HTTPS")]})
	count(rule.deny) == 0 with input as mock.doc([listener])
}

test_redirect_keeping_http_is_reported_at_the_protocol if {
	to_http := _listener("a", {"protocol": "HTTP", "default_action": [_redirect("HTTP")]})
	keep := _listener("b", {"protocol": "HTTP", "default_action": [{"type": "redirect", "redirect": [{"host": "www.example.com", "status_code": "HTTP_301"}]}]})
	rule.deny == {
		{
			"resource": "aws_lb_listener.a",
			"attribute": "default_action.0.redirect.0.protocol",
			"message": sprintf("aws_lb_listener.a listens on HTTP and its default action redirects to HTTP instead of HTTPS, %s; set the redirect protocol to HTTPS", [_consequence]),
		},
		{
			"resource": "aws_lb_listener.b",
			"attribute": "default_action.0.redirect.0",
			"message": sprintf("aws_lb_listener.b listens on HTTP and its default action redirects to the same protocol (#{protocol}, the default) instead of HTTPS, %s; set the redirect protocol to HTTPS", [_consequence]),
		},
	} with input as mock.doc([to_http, keep])
}

test_other_protocols_and_unknowns_pass if {
	https := _listener("https", {"protocol": "HTTPS", "default_action": [_forward]})
	tcp := _listener("tcp", {"protocol": "TCP", "default_action": [_forward]})
	unknown_protocol := object.union(_listener("p", {"default_action": [_forward]}), {"unknown": {"protocol": true}})
	unknown_type := object.union(_listener("t", {"protocol": "HTTP", "default_action": [{}]}), {"unknown": {"default_action": [{"type": true}]}})
	unknown_redirect := object.union(
		_listener("r", {"protocol": "HTTP", "default_action": [{"type": "redirect", "redirect": [{"status_code": "HTTP_301"}]}]}),
		{"unknown": {"default_action": [{"redirect": [{"protocol": true}]}]}},
	)
	unknown_actions := object.union(_listener("u", {"protocol": "HTTP"}), {"unknown": {"default_action": true}})
	count(rule.deny) == 0 with input as mock.doc([https, tcp, unknown_protocol, unknown_type, unknown_redirect, unknown_actions])
}

test_missing_protocol_on_application_load_balancer_is_reported if {
	alb := mock.resource("aws_lb", "web", {"internal": false})
	listener := _on(_listener("default", {"port": 80, "default_action": [_forward]}), "aws_lb.web")
	rule.deny == {_not_redirect("aws_lb_listener.default", "default_action.0.type", `"forward"`)} with input as mock.doc([alb, listener])
}

test_missing_protocol_elsewhere_is_not_reported if {
	nlb := mock.resource("aws_lb", "nlb", {"load_balancer_type": "network"})
	on_nlb := _on(_listener("nlb", {"port": 80, "default_action": [_forward]}), "aws_lb.nlb")
	unjoined := _listener("unjoined", {"port": 80, "load_balancer_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1", "default_action": [_forward]})
	count(rule.deny) == 0 with input as mock.doc([nlb, on_nlb, unjoined])
}

test_internal_load_balancers_are_skipped if {
	internal := mock.resource("aws_lb", "internal", {"internal": true})
	maybe := object.union(mock.resource("aws_alb", "maybe", {}), {"unknown": {"internal": true}})
	a := _on(_listener("a", {"protocol": "HTTP", "default_action": [_forward]}), "aws_lb.internal")
	b := _on(_listener("b", {"protocol": "HTTP", "default_action": [_forward]}), "aws_alb.maybe")
	count(rule.deny) == 0 with input as mock.doc([internal, maybe, a, b])
}

test_public_load_balancer_is_reported if {
	public := mock.resource("aws_lb", "public", {"internal": false})
	a := _on(_listener("a", {"protocol": "HTTP", "default_action": [_forward]}), "aws_lb.public")
	rule.deny == {_not_redirect("aws_lb_listener.a", "default_action.0.type", `"forward"`)} with input as mock.doc([public, a])
}

test_fixed_response_is_reported if {
	listener := _listener("http", {"protocol": "HTTP", "default_action": [{"type": "fixed-response", "fixed_response": [{"content_type": "text/plain", "status_code": "404"}]}]})
	rule.deny == {_not_redirect("aws_lb_listener.http", "default_action.0.type", `"fixed-response"`)} with input as mock.doc([listener])
}

# ---------------------------------------------------------------------------
# Listener rules

# _rule_on(name, listener, actions) is an aws_lb_listener_rule of the
# listener (an address), joined to it through listener_arn.
_rule_on(name, listener, actions) := object.union(
	mock.resource("aws_lb_listener_rule", name, {"priority": 10, "action": actions, "condition": [{"path_pattern": [{"values": ["/api/*"]}]}]}),
	{
		"unknown": {"listener_arn": true},
		"references": [{"attribute": "listener_arn", "target": listener, "target_attribute": "arn"}],
	},
)

test_rule_forwarding_on_a_redirecting_http_listener_is_reported if {
	http := _listener("http", {"port": 80, "protocol": "HTTP", "default_action": [_redirect("HTTPS")]})
	api := _rule_on("api", "aws_lb_listener.http", [_forward])
	rule.deny == {{
		"resource": "aws_lb_listener_rule.api",
		"attribute": "action.0.type",
		"message": sprintf("aws_lb_listener_rule.api forwards requests of the HTTP listener aws_lb_listener.http to its targets, %s; redirect them to HTTPS, or attach the rule to an HTTPS listener", [_consequence]),
	}} with input as mock.doc([http, api])
}

test_rules_that_do_not_serve_http_pass if {
	http := _listener("http", {"port": 80, "protocol": "HTTP", "default_action": [_redirect("HTTPS")]})
	https := _listener("https", {"port": 443, "protocol": "HTTPS", "default_action": [_forward]})
	redirect := _rule_on("redirect", "aws_lb_listener.http", [_redirect("HTTPS")])
	fixed := _rule_on("fixed", "aws_lb_listener.http", [{"type": "fixed-response", "fixed_response": [{"content_type": "text/plain", "status_code": "403"}]}])
	on_https := _rule_on("on_https", "aws_lb_listener.https", [_forward])
	unknown_type := object.union(_rule_on("unknown_type", "aws_lb_listener.http", [{}]), {"unknown": {"listener_arn": true, "action": [{"type": true}]}})
	unjoined := mock.resource("aws_lb_listener_rule", "unjoined", {"listener_arn": "arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2", "action": [_forward]})
	internal := mock.resource("aws_lb", "internal", {"internal": true})
	internal_http := _on(_listener("internal_http", {"protocol": "HTTP", "default_action": [_redirect("HTTPS")]}), "aws_lb.internal")
	on_internal := _rule_on("on_internal", "aws_lb_listener.internal_http", [_forward])
	count(rule.deny) == 0 with input as mock.doc([http, https, redirect, fixed, on_https, unknown_type, unjoined, internal, internal_http, on_internal])
}

test_cloudformation_listener_rule if {
	listener := mock.cfn("HttpListener", "AWS::ElasticLoadBalancingV2::Listener", {"Protocol": "HTTP", "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "StatusCode": "HTTP_301"}}]})
	forward := object.union(
		mock.cfn("ApiRule", "AWS::ElasticLoadBalancingV2::ListenerRule", {"Priority": 1, "Actions": [{"Type": "forward", "TargetGroupArn": "tg"}]}),
		{
			"unknown": {"ListenerArn": true},
			"references": [{"attribute": "ListenerArn", "target": "HttpListener", "target_attribute": "Ref"}],
		},
	)
	rule.deny == {{
		"resource": "ApiRule",
		"attribute": "Actions.0.Type",
		"message": sprintf("ApiRule forwards requests of the HTTP listener HttpListener to its targets, %s; redirect them to HTTPS, or attach the rule to an HTTPS listener", [_consequence]),
	}} with input as mock.doc([listener, forward])
}

# ---------------------------------------------------------------------------
# CloudFormation

test_cloudformation_listener if {
	forward := mock.cfn("HttpListener", "AWS::ElasticLoadBalancingV2::Listener", {"Port": 80, "Protocol": "HTTP", "DefaultActions": [{"Type": "forward", "TargetGroupArn": "tg"}]})
	keep := mock.cfn("KeepListener", "AWS::ElasticLoadBalancingV2::Listener", {"Protocol": "HTTP", "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"StatusCode": "HTTP_302"}}]})
	redirect := mock.cfn("RedirectListener", "AWS::ElasticLoadBalancingV2::Listener", {"Protocol": "HTTP", "DefaultActions": [{"Type": "redirect", "RedirectConfig": {"Protocol": "HTTPS", "StatusCode": "HTTP_301"}}]})
	unset := mock.cfn("UnsetListener", "AWS::ElasticLoadBalancingV2::Listener", {"DefaultActions": [{"Type": "forward"}]})
	rule.deny == {
		_not_redirect("HttpListener", "DefaultActions.0.Type", `"forward"`),
		{
			"resource": "KeepListener",
			"attribute": "DefaultActions.0.RedirectConfig",
			"message": sprintf("KeepListener listens on HTTP and its default action redirects to the same protocol (#{protocol}, the default) instead of HTTPS, %s; set the redirect protocol to HTTPS", [_consequence]),
		},
	} with input as mock.doc([forward, keep, redirect, unset])
}

test_cloudformation_internal_load_balancer_is_skipped if {
	lb := mock.cfn("Internal", "AWS::ElasticLoadBalancingV2::LoadBalancer", {"Scheme": "internal"})
	listener := object.union(
		mock.cfn("HttpListener", "AWS::ElasticLoadBalancingV2::Listener", {"Protocol": "HTTP", "DefaultActions": [{"Type": "forward"}]}),
		{"references": [{"attribute": "LoadBalancerArn", "target": "Internal", "target_attribute": "Ref"}]},
	)
	count(rule.deny) == 0 with input as mock.doc([lb, listener])
}

# ---------------------------------------------------------------------------
# Classic Load Balancers

test_classic_http_listeners_are_reported if {
	elb := mock.resource("aws_elb", "web", {"listener": [
		{"lb_port": 443, "lb_protocol": "https", "instance_port": 8080, "instance_protocol": "http"},
		{"lb_port": 80, "lb_protocol": "HTTP", "instance_port": 8080, "instance_protocol": "http"},
	]})
	cfn := mock.cfn("Classic", "AWS::ElasticLoadBalancing::LoadBalancer", {"Listeners": [{"LoadBalancerPort": "80", "InstancePort": "80", "Protocol": "HTTP"}]})
	rule.deny == {
		{
			"resource": "aws_elb.web",
			"attribute": "listener.1.lb_protocol",
			"message": sprintf("aws_elb.web has a listener on plain HTTP (listener.1.lb_protocol) and a Classic Load Balancer cannot redirect to HTTPS, %s; listen on HTTPS instead, or use an Application Load Balancer that redirects HTTP to HTTPS", [_consequence]),
		},
		{
			"resource": "Classic",
			"attribute": "Listeners.0.Protocol",
			"message": sprintf("Classic has a listener on plain HTTP (Listeners.0.Protocol) and a Classic Load Balancer cannot redirect to HTTPS, %s; listen on HTTPS instead, or use an Application Load Balancer that redirects HTTP to HTTPS", [_consequence]),
		},
	} with input as mock.doc([elb, cfn])
}

test_classic_internal_or_tcp_listeners_pass if {
	internal := mock.resource("aws_elb", "internal", {"internal": true, "listener": [{"lb_port": 80, "lb_protocol": "http"}]})
	tcp := mock.resource("aws_elb", "tcp", {"listener": [{"lb_port": 5432, "lb_protocol": "tcp"}]})
	scheme := mock.cfn("Classic", "AWS::ElasticLoadBalancing::LoadBalancer", {"Scheme": "internal", "Listeners": [{"Protocol": "HTTP"}]})
	count(rule.deny) == 0 with input as mock.doc([internal, tcp, scheme])
}

test_values_of_the_wrong_kind_are_no_error if {
	listener := _listener("odd", {"protocol": 80, "default_action": [{"type": 1}]})
	elb := mock.resource("aws_elb", "odd", {"listener": [{"lb_protocol": 80}, "x"]})
	count(rule.deny) == 0 with input as mock.doc([listener, elb])
}
