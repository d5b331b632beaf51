# A GCP network as the GCP rules ask for it: a project without the default
# network, a custom-mode network with flow logs on every instance subnet,
# administration through Identity-Aware Proxy only, HTTPS from the load
# balancer only, and egress limited to HTTPS with a catch-all deny.

resource "google_project" "orders" {
  name                = "orders"
  project_id          = "example-orders-7310"
  org_id              = "123456789012"
  auto_create_network = false
}

resource "google_compute_network" "orders" {
  project                 = google_project.orders.project_id
  name                    = "orders"
  auto_create_subnetworks = false
}

resource "google_compute_subnetwork" "orders_app" {
  project       = google_project.orders.project_id
  name          = "orders-app"
  region        = "europe-west1"
  network       = google_compute_network.orders.id
  ip_cidr_range = "10.30.0.0/24"

  log_config {
    aggregation_interval = "INTERVAL_5_SEC"
    flow_sampling        = 1.0
    metadata             = "INCLUDE_ALL_METADATA"
  }
}

# The proxy-only subnet of the internal load balancer: GCP does not support
# flow logs on it, and no instance lives there.
resource "google_compute_subnetwork" "orders_proxy" {
  project       = google_project.orders.project_id
  name          = "orders-proxy-only"
  region        = "europe-west1"
  network       = google_compute_network.orders.id
  ip_cidr_range = "10.30.255.0/26"
  purpose       = "REGIONAL_MANAGED_PROXY"
  role          = "ACTIVE"
}

resource "google_service_account" "orders_app" {
  project      = google_project.orders.project_id
  account_id   = "orders-app"
  display_name = "Orders application servers"
}

resource "google_compute_firewall" "orders_ssh_from_iap" {
  project     = google_project.orders.project_id
  name        = "orders-allow-ssh-from-iap"
  description = "SSH to the application servers through Identity-Aware Proxy TCP forwarding only"
  network     = google_compute_network.orders.id

  allow {
    protocol = "tcp"
    ports    = ["22"]
  }

  source_ranges           = ["35.235.240.0/20"]
  target_service_accounts = [google_service_account.orders_app.email]
}

resource "google_compute_firewall" "orders_https_from_lb" {
  project     = google_project.orders.project_id
  name        = "orders-allow-https-from-lb"
  description = "HTTPS from the external load balancer and its health checks to the application servers"
  network     = google_compute_network.orders.id

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  source_ranges           = ["130.211.0.0/22", "35.191.0.0/16"]
  target_service_accounts = [google_service_account.orders_app.email]
}

resource "google_compute_firewall" "orders_egress_https" {
  project            = google_project.orders.project_id
  name               = "orders-allow-egress-https"
  description        = "HTTPS from the application servers to payment providers and Google APIs"
  network            = google_compute_network.orders.id
  direction          = "EGRESS"
  destination_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["443"]
  }

  target_service_accounts = [google_service_account.orders_app.email]
}

resource "google_compute_firewall" "orders_deny_egress" {
  project            = google_project.orders.project_id
  name               = "orders-deny-all-egress"
  description        = "Deny every other egress; overrides GCP's implied allow-egress rule"
  network            = google_compute_network.orders.id
  direction          = "EGRESS"
  priority           = 65000
  destination_ranges = ["0.0.0.0/0"]

  deny {
    protocol = "all"
  }
}

resource "google_compute_instance" "orders_app" {
  project      = google_project.orders.project_id
  name         = "orders-app-1"
  zone         = "europe-west1-b"
  machine_type = "e2-standard-2"

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }

  network_interface {
    subnetwork = google_compute_subnetwork.orders_app.id
  }

  service_account {
    email  = google_service_account.orders_app.email
    scopes = ["cloud-platform"]
  }

  shielded_instance_config {
    enable_secure_boot = true
  }
}
