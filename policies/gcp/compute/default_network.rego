# METADATA
# title: GCP default network or auto-mode network in use
# description: |
#   Every new GCP project gets a network named "default" unless an
#   organization policy prevents it: an auto-mode network with a subnet in
#   every region on predictable ranges, and pre-populated firewall rules that
#   allow SSH, RDP and ICMP from anywhere (0.0.0.0/0) and every protocol
#   between all instances. Nobody designed or reviewed that layout, so
#   workloads placed in it get no segmentation, and an auditor cannot tell
#   which boundary protects them (SOC 2 CC6.1, CC6.6; CIS Google Cloud
#   Platform Foundation Benchmark 3.1 asks that the default network does not
#   exist). An auto-mode network (auto_create_subnetworks = true) repeats the
#   same unplanned layout: a subnet in every region, including regions the
#   workload never uses, on ranges that collide when networks are peered.
#
#   The rule reports:
#   - google_project with auto_create_network = true, or without it (the
#     provider creates the default network unless it is false; an
#     organization policy constraints/compute.skipDefaultNetworkCreation also
#     prevents it, which this rule cannot see);
#   - google_compute_network named "default", and google_compute_network with
#     auto_create_subnetworks = true or without it (the provider's default is
#     true: an auto-mode network);
#   - resources placed in the default network: the network attribute of
#     google_compute_firewall and google_compute_subnetwork, and of each
#     network_interface of google_compute_instance,
#     google_compute_instance_template and
#     google_compute_region_instance_template, when it is "default", a path
#     or URL ending in networks/default, or a reference to a
#     data.google_compute_network that looks up the network named "default".
#   A reference to a google_compute_network of the configuration is not
#   reported at the user: the network itself is judged. A value that cannot
#   be known statically is not reported. Not covered: resources that fall
#   back to the default network when no network is given (a GKE cluster
#   without network, for instance).
# custom:
#   id: PCS-GCP-003
#   name: default-network
#   severity: medium
#   precision: high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "CIS-GCP-2.0:3.1"
#   remediation: |
#     Create a custom-mode network with only the subnets the workload needs,
#     place every firewall rule, subnet, instance and template in it
#     explicitly, and create projects without the default network
#     (auto_create_network = false, or the organization policy
#     constraints/compute.skipDefaultNetworkCreation).
#
#     ```hcl
#     resource "google_project" "app" {
#       name                = "orders"
#       project_id          = "orders-prod"
#       org_id              = var.org_id
#       auto_create_network = false
#     }
#
#     resource "google_compute_network" "main" {
#       name                    = "orders"
#       auto_create_subnetworks = false
#     }
#
#     resource "google_compute_subnetwork" "app" {
#       name          = "orders-app"
#       region        = "europe-west1"
#       network       = google_compute_network.main.id
#       ip_cidr_range = "10.10.0.0/24"
#     }
#     ```
#   resource_types:
#     - google_project
#     - google_compute_network
#     - google_compute_firewall
#     - google_compute_subnetwork
#     - google_compute_instance
#     - google_compute_instance_template
#     - google_compute_region_instance_template
package portcullis.gcp.compute.default_network

import data.portcullis.lib.resource

# ---------------------------------------------------------------------------
# Projects that create the default network

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_project", {})
	resource.is_true(res, ["auto_create_network"])
	finding := {
		"resource": address,
		"attribute": "auto_create_network",
		"message": sprintf("Project %s sets auto_create_network = true, so GCP creates the default network with firewall rules that allow SSH, RDP and ICMP from anywhere; set it to false", [address]),
	}
}

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_project", {})
	resource.missing(res, "auto_create_network")
	not resource.is_false(res, ["auto_create_network"])
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("Project %s does not set auto_create_network, which defaults to true, so GCP creates the default network with firewall rules that allow SSH, RDP and ICMP from anywhere; set it to false", [address]),
	}
}

# ---------------------------------------------------------------------------
# Networks

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_compute_network", {})
	resource.value(res, ["name"]) == "default"
	finding := {
		"resource": address,
		"attribute": "name",
		"message": sprintf("Network %s is the project's default network (named \"default\"); use a custom-mode network designed for the workload", [address]),
	}
}

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_compute_network", {})
	resource.is_true(res, ["auto_create_subnetworks"])
	finding := {
		"resource": address,
		"attribute": "auto_create_subnetworks",
		"message": sprintf("Network %s sets auto_create_subnetworks = true, an auto-mode network with a subnet in every region like the default network; set it to false and create only the subnets you need", [address]),
	}
}

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_compute_network", {})
	resource.missing(res, "auto_create_subnetworks")
	not resource.is_false(res, ["auto_create_subnetworks"])
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("Network %s does not set auto_create_subnetworks, which defaults to true: an auto-mode network with a subnet in every region like the default network; set it to false and create only the subnets you need", [address]),
	}
}

# ---------------------------------------------------------------------------
# Resources placed in the default network

# _network_attributes lists, for each type, where its network attributes are:
# a top-level attribute, or one in each block of a list.
_network_attributes := {
	"google_compute_firewall": {"block": "", "attribute": "network"},
	"google_compute_subnetwork": {"block": "", "attribute": "network"},
	"google_compute_instance": {"block": "network_interface", "attribute": "network"},
	"google_compute_instance_template": {"block": "network_interface", "attribute": "network"},
	"google_compute_region_instance_template": {"block": "network_interface", "attribute": "network"},
}

_names := {
	"google_compute_firewall": "Firewall",
	"google_compute_subnetwork": "Subnetwork",
	"google_compute_instance": "Instance",
	"google_compute_instance_template": "Instance template",
	"google_compute_region_instance_template": "Instance template",
}

deny contains finding if {
	some address, res in resource.of_types(object.keys(_network_attributes))
	some segments in _network_paths(res, _network_attributes[res.type])
	attr := resource.path(segments)
	why := _default(res, segments, attr)
	finding := {
		"resource": address,
		"attribute": attr,
		"message": sprintf("%s %s is placed in the default network: %s %s; use a custom-mode network designed for the workload", [_names[res.type], address, attr, why]),
	}
}

# _network_paths are the attribute paths (as segments) of the network
# attributes of res.
_network_paths(_, spec) := {[spec.attribute]} if spec.block == ""

_network_paths(res, spec) := {[spec.block, i, spec.attribute] |
	some i, block in resource.value(res, [spec.block])
	is_object(block)
} if {
	spec.block != ""
	is_array(resource.value(res, [spec.block]))
}

# _default(res, segments, attr) says how the network attribute at segments
# names the default network; undefined when it does not. A referenced
# network is judged through the edge only.
_default(res, segments, attr) := sprintf("is %s", [_quote(v)]) if {
	count(resource.targets(res, attr)) == 0
	v := resource.value(res, segments)
	_is_default_name(v)
}

_default(res, _, attr) := sprintf("references %s, which looks up the network named \"default\"", [min(lookups)]) if {
	lookups := {t |
		some t in resource.targets(res, attr)
		target := input.resources[t]
		target.mode == "data"
		target.type == "google_compute_network"
		resource.value(target, ["name"]) == "default"
	}
	count(lookups) > 0
}

_is_default_name(v) if v == "default"

_is_default_name(v) if {
	is_string(v)
	endswith(v, "/networks/default")
}

_quote(v) := sprintf("\"%s\"", [v])
