# METADATA
# title: GCP subnetwork without VPC flow logs
# description: |
#   VPC flow logs record a sample of the connections to and from the network
#   interfaces of a subnet: source, destination, ports, bytes. Without them an
#   incident responder cannot tell which hosts an attacker reached or where
#   data went, and anomalous traffic goes unnoticed, which is what SOC 2 CC7.2
#   (monitoring of system components for anomalies) asks to detect; CIS Google
#   Cloud Platform Foundation Benchmark 3.8 asks for flow logs on every subnet
#   of a VPC network.
#
#   The rule reports a google_compute_subnetwork without a log_config block (in
#   the google provider, the block switches flow logs on), unless the legacy
#   enable_flow_logs = true is set, and a log_config whose flow_sampling is 0,
#   which samples nothing. Only subnets that hold VM interfaces are judged:
#   those whose purpose is missing, PRIVATE or PRIVATE_RFC_1918. Proxy-only
#   subnets (REGIONAL_MANAGED_PROXY, GLOBAL_MANAGED_PROXY and the legacy
#   INTERNAL_HTTPS_LOAD_BALANCER) cannot have flow logs, and Private Service
#   Connect and Private NAT subnets hold no VM interfaces; they are not
#   reported. A log_config, purpose or sampling rate that cannot be known
#   statically (including a dynamic log_config block over an unknown
#   collection) is not reported; in a plan, where the provider shows an unset
#   purpose as known after apply, an unknown purpose is read as unset. Flow
#   logs enabled by an organization policy outside the configuration are not
#   seen.
# custom:
#   id: PCS-GCP-004
#   name: subnetwork-flow-logs
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC7.2"
#     - "CIS-GCP-2.0:3.8"
#   remediation: |
#     Add a log_config block to every subnet that holds instances. Sampling
#     every flow with all metadata gives the most complete record; lower the
#     sampling rate or add a filter if the volume is too costly.
#
#     ```hcl
#     resource "google_compute_subnetwork" "app" {
#       name          = "orders-app"
#       region        = "europe-west1"
#       network       = google_compute_network.main.id
#       ip_cidr_range = "10.10.0.0/24"
#
#       log_config {
#         aggregation_interval = "INTERVAL_5_SEC"
#         flow_sampling        = 1.0
#         metadata             = "INCLUDE_ALL_METADATA"
#       }
#     }
#     ```
#   resource_types:
#     - google_compute_subnetwork
package portcullis.gcp.compute.subnetwork_flow_logs

import data.portcullis.lib.resource

# _vm_purposes are the purposes of subnets that hold VM interfaces.
_vm_purposes := {"PRIVATE", "PRIVATE_RFC_1918"}

deny contains finding if {
	some address, res in _judged
	resource.missing(res, "log_config")
	not _legacy_flow_logs(res)
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("Subnetwork %s has no log_config block, so VPC flow logs are off and its traffic is not recorded; add log_config", [address]),
	}
}

deny contains finding if {
	some address, res in _judged
	some base, block in _log_configs(resource.value(res, ["log_config"]))
	segments := array.concat(base, ["flow_sampling"])
	not resource.unknown(res, segments)
	attr := resource.path(segments)
	sampling := object.get(block, "flow_sampling", null)
	is_number(sampling)
	sampling == 0
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("Subnetwork %s sets flow_sampling = 0, so its flow logs record nothing; sample a fraction above 0 (1.0 records every flow)", [address]),
	}
}

# _log_configs maps the path segments of each log_config block to the block
# (["log_config"] for a single block written as a JSON object).
_log_configs(v) := {["log_config", i]: b | some i, b in v; is_object(b)} if is_array(v)

_log_configs(v) := {["log_config"]: v} if is_object(v)

# _judged are the subnetworks that hold VM interfaces (purpose missing or a
# VM purpose, known).
_judged := {address: res |
	some address, res in object.get(resource.by_type, "google_compute_subnetwork", {})
	_vm_subnet(_purpose(res))
}

# _purpose(res) is the known purpose (null when missing). In a plan, the
# provider shows an unset purpose as unknown: unknown there without a
# reference edge is unset. Undefined when it cannot be known.
_purpose(res) := null if {
	res.format == "terraform-plan"
	resource.unknown(res, ["purpose"])
	count(resource.targets(res, "purpose")) == 0
} else := resource.value(res, ["purpose"]) if {
	not resource.unknown(res, ["purpose"])
}

_vm_subnet(null)

_vm_subnet(purpose) if {
	is_string(purpose)
	upper(trim_space(purpose)) in _vm_purposes
}

# _legacy_flow_logs: the deprecated enable_flow_logs argument is true or
# unknown.
_legacy_flow_logs(res) if resource.is_true(res, ["enable_flow_logs"])

_legacy_flow_logs(res) if resource.unknown(res, ["enable_flow_logs"])
