# METADATA
# title: GCP firewall rule allows egress to the internet on every port
# description: |
#   An egress firewall rule that allows every protocol, or every port of TCP,
#   UDP or SCTP, to 0.0.0.0/0 or ::/0 lets anything running on the instances
#   it targets reach any host on the internet: a compromised instance can send
#   data out and call its command-and-control server unhindered. Restricting
#   egress to the destinations a workload needs is part of boundary
#   protection (SOC 2 CC6.6). The severity is low: many workloads need broad
#   egress, but it should be a decision, visible in review.
#
#   The rule reads every enabled allow block of a google_compute_firewall with
#   direction EGRESS through the normalised network model
#   (portcullis.lib.network). An EGRESS rule without destination_ranges (or
#   with an empty list) applies to every IPv4 destination, as GCP fills in
#   0.0.0.0/0, and is reported at the resource (or at the empty list). A rule
#   is not reported when an enabled deny egress rule on the same network, with
#   a lower or equal priority number, applying to every instance and to the
#   whole internet of the destination's family, is evaluated before it: it
#   restricts what the allow lets out (a deny of private ranges does not).
#   GCP's implied allow-egress rule (priority 65535, every destination)
#   exists in every network but is not written in the configuration and is
#   not reported: only rules written in the configuration are judged, so a
#   network without any egress rule passes. Rules limited to some ports, destinations that cannot
#   be known statically, and deny rules are not reported.
# custom:
#   id: PCS-GCP-005
#   name: firewall-egress-unrestricted
#   severity: low
#   precision: high
#   controls:
#     - "SOC2:CC6.6"
#   remediation: |
#     Allow egress only to the destinations and ports the workload needs
#     (Google APIs through Private Google Access, a proxy, a partner range),
#     and deny the rest with a low-priority deny egress rule that overrides
#     GCP's implied allow.
#
#     ```hcl
#     resource "google_compute_firewall" "egress_https_proxy" {
#       name               = "allow-egress-to-proxy"
#       description        = "HTTPS from the app servers to the egress proxy only"
#       network            = google_compute_network.main.id
#       direction          = "EGRESS"
#       priority           = 1000
#       destination_ranges = ["10.20.0.10/32"]
#       target_tags        = ["app"]
#
#       allow {
#         protocol = "tcp"
#         ports    = ["3128"]
#       }
#     }
#
#     resource "google_compute_firewall" "deny_other_egress" {
#       name               = "deny-all-egress"
#       description        = "Deny every other egress; overrides the implied allow"
#       network            = google_compute_network.main.id
#       direction          = "EGRESS"
#       priority           = 65000
#       destination_ranges = ["0.0.0.0/0"]
#
#       deny {
#         protocol = "all"
#       }
#     }
#     ```
#   resource_types:
#     - google_compute_firewall
package portcullis.gcp.compute.firewall_egress_unrestricted

import data.portcullis.lib.network

deny contains _finding(exposure) if {
	some exposure in network.open_egress
	exposure.rule.provider == "gcp"
}

# _finding is the shared unrestricted-egress finding; when the 0.0.0.0/0 is
# GCP's implied destination, the message says why.
_finding(e) := object.union(f, {"message": concat("", [f.message, _implied_note(e.peer)])}) if {
	f := network.open_egress_finding(e)
	network.gcp_implied_peer(e.rule, e.peer)
} else := network.open_egress_finding(e)

_implied_note(peer) := " (destination_ranges is empty, so GCP applies the rule to every IPv4 destination)" if {
	peer.path == "destination_ranges"
} else := " (no destination_ranges is set, so GCP applies the rule to every IPv4 destination)"
