# An insecure GCP network: every GCP rule fires here at least once. Each
# finding is named in the comment above the line it points at.

# PCS-GCP-003 (default network): auto_create_network is not set, so the
# project is created with the default network and its permissive rules.
resource "google_project" "sandbox" {
  name       = "sandbox"
  project_id = "example-sandbox-4821"
  org_id     = "123456789012"
}

# PCS-GCP-003 (default network): auto_create_subnetworks is not set and
# defaults to true, an auto-mode network with a subnet in every region.
resource "google_compute_network" "legacy" {
  name = "legacy"
}

# PCS-GCP-004 (flow logs): no log_config block, so VPC flow logs are off.
resource "google_compute_subnetwork" "legacy_app" {
  name          = "legacy-app"
  region        = "europe-west1"
  network       = google_compute_network.legacy.id
  ip_cidr_range = "10.20.0.0/24"
}

# PCS-GCP-002 (missing description): the firewall has no description.
resource "google_compute_firewall" "legacy_ssh" {
  name    = "legacy-allow-ssh"
  network = google_compute_network.legacy.name

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  # PCS-GCP-001 (open ingress, critical): SSH from the whole internet.
  source_ranges = ["35.235.240.0/20", "0.0.0.0/0"]
  target_tags   = ["legacy"]
}

# PCS-GCP-001 (open ingress, high): no source_ranges, source_tags or
# source_service_accounts, so GCP admits every IPv4 source on HTTP and HTTPS;
# the finding is at this resource header.
resource "google_compute_firewall" "legacy_web" {
  name    = "legacy-allow-web"
  network = google_compute_network.legacy.name
  # PCS-GCP-002 (missing description): a placeholder says nothing.
  description = "TODO"

  allow {
    protocol = "tcp"
    ports    = ["80", "443"]
  }

  target_tags = ["web"]
}

# A deny evaluated before the allow below (lower priority number, every
# instance of the network) takes MySQL away from its range.
resource "google_compute_firewall" "legacy_no_mysql" {
  name        = "legacy-deny-mysql"
  description = "Never expose MySQL, whatever the rules after this one allow"
  network     = google_compute_network.legacy.name
  priority    = 500

  deny {
    protocol = "tcp"
    ports    = ["3306"]
  }

  source_ranges = ["0.0.0.0/0"]
}

resource "google_compute_firewall" "legacy_databases" {
  name        = "legacy-allow-databases"
  description = "Database ports for the analysts"
  network     = google_compute_network.legacy.name

  allow {
    protocol = "tcp"
    ports    = ["3000-6000"]
  }

  # PCS-GCP-001 (open ingress, critical): 3000-3305 and 3307-6000 stay open,
  # including PostgreSQL and RDP.
  source_ranges = ["0.0.0.0/0"]
}

# PCS-GCP-005 (unrestricted egress): every protocol to every destination;
# without destination_ranges GCP applies it to 0.0.0.0/0, so the finding is at
# this resource header.
resource "google_compute_firewall" "legacy_egress" {
  name        = "legacy-allow-all-egress"
  description = "Anything may leave"
  network     = google_compute_network.legacy.name
  direction   = "EGRESS"

  allow {
    protocol = "all"
  }
}

resource "google_compute_firewall" "default_icmp" {
  name        = "sandbox-allow-icmp"
  description = "Ping between the sandbox instances"
  # PCS-GCP-003 (default network): the rule belongs to the default network.
  network = "default"

  allow {
    protocol = "icmp"
  }

  source_tags = ["sandbox"]
}

resource "google_compute_instance" "sandbox" {
  name         = "sandbox"
  zone         = "europe-west1-b"
  machine_type = "e2-small"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    # PCS-GCP-003 (default network): the instance is placed in the default
    # network.
    network = "global/networks/default"
  }
}
