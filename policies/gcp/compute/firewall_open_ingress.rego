# METADATA
# title: GCP firewall rule allows ingress from the internet
# description: |
#   A VPC firewall rule that admits traffic from a source range with a prefix
#   length of 0 (0.0.0.0/0, ::/0) lets every address on the internet reach the
#   instances it targets, on the protocols and ports it allows, as soon as an
#   instance has an external address or sits behind a pass-through load
#   balancer. Scanners find such openings within minutes, and a reachable SSH,
#   RDP, database or cluster API port is the usual first step of a compromise.
#   Network access should be limited to the sources that need it (SOC 2 CC6.1
#   logical access, CC6.6 boundary protection; CIS Google Cloud Platform
#   Foundation Benchmark 3.6 for SSH and 3.7 for RDP).
#
#   The rule reads every allow block of google_compute_firewall through the
#   normalised network model (portcullis.lib.network). GCP's own defaults are
#   applied: a rule without direction is INGRESS (also in a plan, where the
#   provider shows an unset direction as known after apply); a rule that sets
#   none of source_ranges, source_tags and source_service_accounts (or only
#   empty lists, or a source_ranges of empty strings such as a variable's
#   [""]) applies to every IPv4 source, because the API fills in 0.0.0.0/0,
#   and is reported at the resource (or at the empty source_ranges); tcp, udp
#   and sctp without ports, and protocol "all", open every port. Rules are
#   judged on what they actually admit: an enabled deny on the same network
#   (the same google_compute_network through the reference edge of network,
#   or the same network name), with a lower or equal priority number, that
#   applies to every instance (no target_tags, target_service_accounts or
#   destination_ranges narrowing it) and to the whole internet takes its
#   ports away, and an allow that is denied
#   completely, or disabled, is not reported. Hierarchical and network
#   firewall policies are not read, so a deny there does not hide a finding.
#   There is one finding per open source range, pointing at that range. The
#   severity comes from the port catalogue (portcullis.lib.ports): critical
#   for every protocol, every port, or a port of remote administration, a
#   database, cache, search engine, message queue, file share or container
#   control plane; high for web and monitoring ports, other ports and
#   port-less protocols (ICMP, ESP). Rules whose sources are only network tags
#   or service accounts are not open; a source range, protocol or port that
#   cannot be known statically is not reported (in a plan, where Terraform
#   shows an unset source_ranges as known after apply, the implied 0.0.0.0/0
#   cannot be seen), and egress is never reported here.
# custom:
#   id: PCS-GCP-001
#   name: firewall-ingress-open-to-internet
#   severity: critical
#   precision: very-high
#   controls:
#     - "SOC2:CC6.1"
#     - "SOC2:CC6.6"
#     - "CIS-GCP-2.0:3.6"
#     - "CIS-GCP-2.0:3.7"
#   remediation: |
#     Always set source_ranges (or source_tags / source_service_accounts) and
#     allow only the sources that need access: a corporate or VPN range, the
#     load balancer and health check ranges, or the instances of another tier
#     by service account. Reach administration ports through Identity-Aware
#     Proxy TCP forwarding (source range 35.235.240.0/20) instead of opening
#     them to the internet, and limit the rule to the instances that serve the
#     port with target_tags or target_service_accounts.
#
#     ```hcl
#     resource "google_compute_firewall" "ssh_from_iap" {
#       name        = "allow-ssh-from-iap"
#       description = "SSH to the app servers through Identity-Aware Proxy only"
#       network     = google_compute_network.main.id
#       direction   = "INGRESS"
#
#       allow {
#         protocol = "tcp"
#         ports    = ["22"]
#       }
#
#       source_ranges           = ["35.235.240.0/20"]
#       target_service_accounts = [google_service_account.app.email]
#     }
#     ```
#   resource_types:
#     - google_compute_firewall
package portcullis.gcp.compute.firewall_open_ingress

import data.portcullis.lib.network

deny contains _finding(exposure) if {
	some exposure in network.open_ingress
	exposure.rule.provider == "gcp"
}

# _finding is the shared open-ingress finding; when the 0.0.0.0/0 is GCP's
# implied source, the message says why.
_finding(e) := object.union(f, {"message": concat("", [f.message, _implied_note(e.peer)])}) if {
	f := network.open_ingress_finding(e)
	network.gcp_implied_peer(e.rule, e.peer)
} else := network.open_ingress_finding(e)

_implied_note(peer) := " (source_ranges is empty and no source_tags or source_service_accounts is set, so GCP applies the rule to every IPv4 source)" if {
	peer.path == "source_ranges"
} else := " (no source_ranges, source_tags or source_service_accounts is set, so GCP applies the rule to every IPv4 source)"
