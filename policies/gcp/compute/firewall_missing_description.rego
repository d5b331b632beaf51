# METADATA
# title: GCP firewall rule without a description
# description: |
#   VPC firewall rules are the network control of a GCP project, and an
#   auditor (or the engineer on call) must be able to tell why each rule exists
#   and what it lets through without reverse-engineering tags and ranges. SOC 2
#   CC6.1 asks for documented logical access controls, and CC7.1 for being able
#   to spot configuration changes that introduce weaknesses: a rule nobody can
#   explain cannot be reviewed, and is rarely removed.
#
#   The rule reports a google_compute_firewall whose description is missing,
#   empty or blank, or a placeholder that says nothing ("TODO", "TBD", "n/a",
#   "description", "Managed by Terraform"). A description that cannot be known
#   statically (a variable without a value, a reference) is not reported.
# custom:
#   id: PCS-GCP-002
#   name: firewall-missing-description
#   severity: low
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC7.1"
#   remediation: |
#     Describe each firewall rule by what it allows, to what and why. The
#     description can be changed in place.
#
#     ```hcl
#     resource "google_compute_firewall" "lb_to_web" {
#       name        = "allow-lb-to-web"
#       description = "HTTPS from the external load balancer and its health checks to the web tier"
#       network     = google_compute_network.main.id
#
#       allow {
#         protocol = "tcp"
#         ports    = ["443"]
#       }
#
#       source_ranges = ["130.211.0.0/22", "35.191.0.0/16"]
#       target_tags   = ["web"]
#     }
#     ```
#   resource_types:
#     - google_compute_firewall
package portcullis.gcp.compute.firewall_missing_description

import data.portcullis.lib.network
import data.portcullis.lib.resource

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_compute_firewall", {})
	resource.missing(res, "description")
	not is_string(resource.value(res, ["description"]))
	finding := {
		"resource": address,
		"attribute": "",
		"message": sprintf("Firewall %s has no description; say what the rule allows, to what and why", [address]),
	}
}

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_compute_firewall", {})
	d := resource.value(res, ["description"])
	is_string(d)
	trim_space(d) == ""
	finding := {
		"resource": address,
		"attribute": "description",
		"message": sprintf("Firewall %s has an empty description; say what the rule allows, to what and why", [address]),
	}
}

deny contains finding if {
	some address, res in object.get(resource.by_type, "google_compute_firewall", {})
	d := resource.value(res, ["description"])
	network.is_placeholder_description(d)
	finding := {
		"resource": address,
		"attribute": "description",
		"message": sprintf("Firewall %s has the placeholder description \"%s\"; say what the rule allows, to what and why", [address, trim_space(d)]),
	}
}
