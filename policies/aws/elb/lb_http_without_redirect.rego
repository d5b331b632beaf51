# METADATA
# title: Load balancer serves plain HTTP without redirecting to HTTPS
# description: |
#   A load balancer listener on plain HTTP carries requests, session cookies,
#   credentials and responses unencrypted across the internet, where anyone on
#   the path can read or change them. An Application Load Balancer should answer
#   HTTP only with a redirect to HTTPS, so that clients which start in plain
#   text are moved to an encrypted connection before anything else is sent
#   (SOC 2 CC6.7 protection of data in transit; AWS Foundational Security Best
#   Practices ELB.1 and, for Classic Load Balancers, ELB.3).
#
#   The rule reports:
#   - an aws_lb_listener or aws_alb_listener whose protocol is HTTP (or is not
#     set, on a listener whose load balancer, followed through the
#     load_balancer_arn edge, is an Application Load Balancer, for which HTTP is
#     the default) and whose default actions contain no redirect to HTTPS (a
#     default_action of type "redirect" whose redirect.protocol is "HTTPS"); a
#     redirect that keeps the protocol (redirect.protocol not set means
#     "#{protocol}") is reported at the redirect;
#   - the CloudFormation AWS::ElasticLoadBalancingV2::Listener with Protocol
#     HTTP whose DefaultActions contain no redirect with RedirectConfig
#     Protocol HTTPS;
#   - every HTTP listener of a Classic Load Balancer (aws_elb listener with
#     lb_protocol "http", AWS::ElasticLoadBalancing::LoadBalancer Listeners with
#     Protocol HTTP): a classic load balancer cannot redirect.
#   Internal load balancers are not reported: a listener whose load balancer,
#   followed through its edge, is an aws_lb/aws_alb with internal = true or an
#   AWS::ElasticLoadBalancingV2::LoadBalancer with Scheme internal, and an
#   aws_elb with internal = true or a classic load balancer with Scheme
#   internal (also when that setting cannot be known statically). A listener
#   whose protocol, default action type or redirect protocol cannot be known
#   statically is not reported. Redirects written as listener rules
#   (aws_lb_listener_rule) are not looked at: the default action decides.
#   But a listener rule (aws_lb_listener_rule, aws_alb_listener_rule,
#   AWS::ElasticLoadBalancingV2::ListenerRule) whose listener, followed through
#   its listener_arn (ListenerArn) edge, is such an HTTP listener and whose
#   actions forward requests to targets is reported at that action, whatever
#   the listener's default action: it serves those requests over plain HTTP
#   (for example a path kept on HTTP beside a default redirect).
# custom:
#   id: PCS-AWS-012
#   name: lb-http-without-redirect
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC6.7"
#     - "AWS-FSBP:ELB.1"
#     - "AWS-FSBP:ELB.3"
#   remediation: |
#     Make the default action of every HTTP listener a permanent redirect to
#     HTTPS, and serve the application from an HTTPS listener. Replace a Classic
#     Load Balancer's HTTP listener by an HTTPS one (or move to an Application
#     Load Balancer).
#
#     ```hcl
#     resource "aws_lb_listener" "http" {
#       load_balancer_arn = aws_lb.web.arn
#       port              = 80
#       protocol          = "HTTP"
#
#       default_action {
#         type = "redirect"
#         redirect {
#           port        = "443"
#           protocol    = "HTTPS"
#           status_code = "HTTP_301"
#         }
#       }
#     }
#     ```
#
#     ```yaml
#     HttpListener:
#       Type: AWS::ElasticLoadBalancingV2::Listener
#       Properties:
#         LoadBalancerArn: !Ref LoadBalancer
#         Port: 80
#         Protocol: HTTP
#         DefaultActions:
#           - Type: redirect
#             RedirectConfig:
#               Port: "443"
#               Protocol: HTTPS
#               StatusCode: HTTP_301
#     ```
#   resource_types:
#     - aws_lb_listener
#     - aws_alb_listener
#     - aws_lb_listener_rule
#     - aws_alb_listener_rule
#     - aws_lb
#     - aws_alb
#     - aws_elb
#     - AWS::ElasticLoadBalancingV2::Listener
#     - AWS::ElasticLoadBalancingV2::ListenerRule
#     - AWS::ElasticLoadBalancingV2::LoadBalancer
#     - AWS::ElasticLoadBalancing::LoadBalancer
package portcullis.aws.elb.lb_http_without_redirect

import data.portcullis.lib.resource

# ---------------------------------------------------------------------------
# Application Load Balancer listeners

# _listener: listener type -> where its settings are. redirect is the path of
# the redirect settings inside an action (a nested block in Terraform, an
# object in CloudFormation).
_tf_listener := {
	"protocol": "protocol",
	"actions": "default_action",
	"type": "type",
	"redirect": ["redirect", 0],
	"redirect_protocol": "protocol",
	"load_balancer": "load_balancer_arn",
	"default_http": true,
}

_listener := {
	"aws_lb_listener": _tf_listener,
	"aws_alb_listener": _tf_listener,
	"AWS::ElasticLoadBalancingV2::Listener": {
		"protocol": "Protocol",
		"actions": "DefaultActions",
		"type": "Type",
		"redirect": ["RedirectConfig"],
		"redirect_protocol": "Protocol",
		"load_balancer": "LoadBalancerArn",
		"default_http": false,
	},
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_listener))
	spec := _listener[res.type]
	_http(res, spec)
	not _behind_internal(res, spec)
	actions := _known_actions(res, spec)
	not _redirects_to_https(actions, spec)
	some finding in _findings(address, res, spec, actions)
}

# _http(res, spec) is true when the listener's protocol is HTTP, or is not set
# on a Terraform listener of an Application Load Balancer (HTTP is then the
# provider's default).
_http(res, spec) if upper(_text(resource.value(res, [spec.protocol]))) == "HTTP"

_http(res, spec) if {
	spec.default_http
	resource.missing(res, spec.protocol)
	some target in resource.targets(res, spec.load_balancer)
	lb := resource.managed[target]
	lb.type in {"aws_lb", "aws_alb"}
	lower(_text(object.get(lb, ["values", "load_balancer_type"], "application"))) == "application"
	not resource.unknown(lb, ["load_balancer_type"])
}

# _behind_internal(res, spec) is true when the listener's load balancer,
# followed through the edge, is (or may be) internal.
_behind_internal(res, spec) if {
	some target in resource.targets(res, spec.load_balancer)
	_internal(resource.managed[target])
}

_internal(lb) if {
	lb.type in {"aws_lb", "aws_alb", "aws_elb"}
	_may_be_true(lb, "internal")
}

_internal(lb) if {
	lb.type in {"AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer"}
	_may_be_internal_scheme(lb)
}

_may_be_true(res, attr) if resource.is_true(res, [attr])

_may_be_true(res, attr) if resource.unknown(res, [attr])

_may_be_internal_scheme(lb) if lower(_text(resource.value(lb, ["Scheme"]))) == "internal"

_may_be_internal_scheme(lb) if resource.unknown(lb, ["Scheme"])

_may_be_internal_scheme(lb) if resource.properties_unknown(lb)

# _known_actions(res, spec) are the default actions when there is at least one
# and everything the rule reads in them is known.
_known_actions(res, spec) := actions if {
	not resource.unknown(res, [spec.actions])
	actions := resource.value(res, [spec.actions])
	is_array(actions)
	count(actions) > 0
	every i, action in actions {
		is_object(action)
		not _action_unknown(res, spec, i, action)
	}
}

_action_unknown(res, spec, i, _) if resource.unknown(res, [spec.actions, i, spec.type])

_action_unknown(res, spec, i, action) if {
	_is_redirect(action, spec)
	resource.unknown(res, array.concat([spec.actions, i], array.concat(spec.redirect, [spec.redirect_protocol])))
}

_is_redirect(action, spec) if lower(_text(object.get(action, spec.type, ""))) == "redirect"

_redirects_to_https(actions, spec) if {
	some action in actions
	_is_redirect(action, spec)
	upper(_text(object.get(action, array.concat(spec.redirect, [spec.redirect_protocol]), ""))) == "HTTPS"
}

_consequence := "so requests, credentials and session cookies cross the network unencrypted"

# _findings are the findings on a listener that serves HTTP: at each redirect
# that does not go to HTTPS (its protocol, or the redirect settings when the
# protocol is left to its default, "#{protocol}"), else at the last default
# action, the one that answers the request.
_findings(address, res, spec, actions) := {finding |
	some i, action in actions
	_is_redirect(action, spec)
	redirect := array.concat([spec.actions, i], spec.redirect)
	finding := {
		"resource": address,
		"attribute": _redirect_attribute(res, redirect, spec),
		"message": sprintf(
			"%s listens on HTTP and its default action redirects to %s instead of HTTPS, %s; set the redirect protocol to HTTPS",
			[address, _redirect_target(action, spec), _consequence],
		),
	}
} if {
	_some_redirect(actions, spec)
}

_findings(address, _, spec, actions) := {finding} if {
	not _some_redirect(actions, spec)
	last := count(actions) - 1
	finding := {
		"resource": address,
		"attribute": resource.path([spec.actions, last, spec.type]),
		"message": sprintf(
			"%s listens on HTTP and its default action is %s, not a redirect to HTTPS, %s; make the default action a redirect to HTTPS (status HTTP_301)",
			[address, _quoted(_text(object.get(actions[last], spec.type, ""))), _consequence],
		),
	}
}

_some_redirect(actions, spec) if {
	some action in actions
	_is_redirect(action, spec)
}

_redirect_attribute(res, redirect, spec) := resource.path(array.concat(redirect, [spec.redirect_protocol])) if {
	resource.value(res, array.concat(redirect, [spec.redirect_protocol])) != null
} else := resource.path(redirect) if {
	resource.value(res, redirect) != null
} else := resource.path(array.slice(redirect, 0, 2))

_redirect_target(action, spec) := p if {
	p := _text(object.get(action, array.concat(spec.redirect, [spec.redirect_protocol]), ""))
	p != ""
	p != "#{protocol}"
} else := "the same protocol (#{protocol}, the default)"

_quoted(s) := sprintf("%q", [s]) if s != ""

_quoted(s) := "not set" if s == ""

# ---------------------------------------------------------------------------
# Listener rules that forward the requests of an HTTP listener

_rules := {
	"aws_lb_listener_rule": {"listener": "listener_arn", "actions": "action", "type": "type"},
	"aws_alb_listener_rule": {"listener": "listener_arn", "actions": "action", "type": "type"},
	"AWS::ElasticLoadBalancingV2::ListenerRule": {"listener": "ListenerArn", "actions": "Actions", "type": "Type"},
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_rules))
	form := _rules[res.type]
	some target in resource.targets(res, form.listener)
	listener := resource.managed[target]
	spec := _listener[listener.type]
	_http(listener, spec)
	not _behind_internal(listener, spec)
	some i, action in resource.as_array(resource.value(res, [form.actions]))
	is_object(action)
	lower(_text(object.get(action, form.type, ""))) == "forward"
	finding := {
		"resource": address,
		"attribute": resource.path([form.actions, i, form.type]),
		"message": sprintf(
			"%s forwards requests of the HTTP listener %s to its targets, %s; redirect them to HTTPS, or attach the rule to an HTTPS listener",
			[address, target, _consequence],
		),
	}
}

# ---------------------------------------------------------------------------
# Classic Load Balancers: no redirect is possible

_classic := {
	"aws_elb": {"listeners": "listener", "protocol": "lb_protocol"},
	"AWS::ElasticLoadBalancing::LoadBalancer": {"listeners": "Listeners", "protocol": "Protocol"},
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_classic))
	spec := _classic[res.type]
	not _internal(res)
	some i, listener in resource.as_array(resource.value(res, [spec.listeners]))
	is_object(listener)
	lower(_text(object.get(listener, spec.protocol, ""))) == "http"
	attribute := resource.path([spec.listeners, i, spec.protocol])
	finding := {
		"resource": address,
		"attribute": attribute,
		"message": sprintf(
			"%s has a listener on plain HTTP (%s) and a Classic Load Balancer cannot redirect to HTTPS, %s; listen on HTTPS instead, or use an Application Load Balancer that redirects HTTP to HTTPS",
			[address, attribute, _consequence],
		),
	}
}

# _text(v) is v when it is a string, else "" (a number or an object written
# where text is expected is never a match, and never an error).
_text(v) := v if is_string(v)

_text(v) := "" if not is_string(v)
