package portcullis.gcp.compute.default_network_test

import data.portcullis.gcp.compute.default_network
import data.portcullis.lib.mock_test as mock

_network(name, values) := mock.resource("google_compute_network", name, values)

# ---------------------------------------------------------------------------
# Projects

test_project_creating_the_default_network if {
	default_network.deny == {
		{
			"resource": "google_project.implicit",
			"attribute": "",
			"message": "Project google_project.implicit does not set auto_create_network, which defaults to true, so GCP creates the default network with firewall rules that allow SSH, RDP and ICMP from anywhere; set it to false",
		},
		{
			"resource": "google_project.explicit",
			"attribute": "auto_create_network",
			"message": "Project google_project.explicit sets auto_create_network = true, so GCP creates the default network with firewall rules that allow SSH, RDP and ICMP from anywhere; set it to false",
		},
	} with input as mock.doc([
		mock.resource("google_project", "implicit", {"name": "a", "project_id": "a"}),
		mock.resource("google_project", "explicit", {"name": "b", "project_id": "b", "auto_create_network": true}),
	])
}

test_project_without_default_network_passes if {
	count(default_network.deny) == 0 with input as mock.doc([
		mock.resource("google_project", "off", {"name": "a", "project_id": "a", "auto_create_network": false}),
		object.union(mock.resource("google_project", "unknown", {"name": "b", "project_id": "b"}), {"unknown": {"auto_create_network": true}}),
	])
}

# ---------------------------------------------------------------------------
# Networks

test_network_named_default if {
	default_network.deny == {{
		"resource": "google_compute_network.default",
		"attribute": "name",
		"message": "Network google_compute_network.default is the project's default network (named \"default\"); use a custom-mode network designed for the workload",
	}} with input as mock.doc([_network("default", {"name": "default", "auto_create_subnetworks": false})])
}

test_auto_mode_networks if {
	default_network.deny == {
		{
			"resource": "google_compute_network.implicit",
			"attribute": "",
			"message": "Network google_compute_network.implicit does not set auto_create_subnetworks, which defaults to true: an auto-mode network with a subnet in every region like the default network; set it to false and create only the subnets you need",
		},
		{
			"resource": "google_compute_network.explicit",
			"attribute": "auto_create_subnetworks",
			"message": "Network google_compute_network.explicit sets auto_create_subnetworks = true, an auto-mode network with a subnet in every region like the default network; set it to false and create only the subnets you need",
		},
	} with input as mock.doc([
		_network("implicit", {"name": "implicit"}),
		_network("explicit", {"name": "explicit", "auto_create_subnetworks": true}),
	])
}

test_custom_mode_network_passes if {
	count(default_network.deny) == 0 with input as mock.doc([
		_network("main", {"name": "main", "auto_create_subnetworks": false}),
		object.union(_network("unknown", {}), {"unknown": {"name": true, "auto_create_subnetworks": true}}),
	])
}

# ---------------------------------------------------------------------------
# Resources placed in the default network

test_firewall_and_subnetwork_in_the_default_network if {
	default_network.deny == {
		{
			"resource": "google_compute_firewall.ssh",
			"attribute": "network",
			"message": "Firewall google_compute_firewall.ssh is placed in the default network: network is \"default\"; use a custom-mode network designed for the workload",
		},
		{
			"resource": "google_compute_subnetwork.app",
			"attribute": "network",
			"message": "Subnetwork google_compute_subnetwork.app is placed in the default network: network is \"projects/p/global/networks/default\"; use a custom-mode network designed for the workload",
		},
	} with input as mock.doc([
		mock.resource("google_compute_firewall", "ssh", {"network": "default", "allow": [{"protocol": "tcp"}]}),
		mock.resource("google_compute_subnetwork", "app", {"network": "projects/p/global/networks/default", "ip_cidr_range": "10.0.0.0/24"}),
	])
}

test_instance_interfaces_in_the_default_network if {
	default_network.deny == {
		{
			"resource": "google_compute_instance.vm",
			"attribute": "network_interface.1.network",
			"message": "Instance google_compute_instance.vm is placed in the default network: network_interface.1.network is \"https://www.googleapis.com/compute/v1/projects/p/global/networks/default\"; use a custom-mode network designed for the workload",
		},
		{
			"resource": "google_compute_instance_template.tpl",
			"attribute": "network_interface.0.network",
			"message": "Instance template google_compute_instance_template.tpl is placed in the default network: network_interface.0.network is \"default\"; use a custom-mode network designed for the workload",
		},
	} with input as mock.doc([
		mock.resource("google_compute_instance", "vm", {"network_interface": [
			{"subnetwork": "projects/p/regions/r/subnetworks/app"},
			{"network": "https://www.googleapis.com/compute/v1/projects/p/global/networks/default"},
		]}),
		mock.resource("google_compute_instance_template", "tpl", {"network_interface": [{"network": "default"}]}),
	])
}

test_lookup_of_the_default_network if {
	lookup := mock.data_source("google_compute_network", "default", {"name": "default"})
	fw := object.union(mock.resource("google_compute_firewall", "ssh", {"network": "default", "allow": [{"protocol": "tcp"}]}), {
		"references": [{"attribute": "network", "target": "data.google_compute_network.default", "target_attribute": "self_link"}],
	})
	default_network.deny == {{
		"resource": "google_compute_firewall.ssh",
		"attribute": "network",
		"message": "Firewall google_compute_firewall.ssh is placed in the default network: network references data.google_compute_network.default, which looks up the network named \"default\"; use a custom-mode network designed for the workload",
	}} with input as mock.doc([lookup, fw])
}

test_custom_networks_pass if {
	lookup := mock.data_source("google_compute_network", "shared", {"name": "shared-vpc"})
	by_lookup := object.union(mock.resource("google_compute_subnetwork", "a", {"ip_cidr_range": "10.0.0.0/24"}), {
		"unknown": {"network": true},
		"references": [{"attribute": "network", "target": "data.google_compute_network.shared", "target_attribute": "id"}],
	})

	# A managed network named "default" is reported once, at the network.
	managed := _network("default", {"name": "default", "auto_create_subnetworks": false})
	by_reference := object.union(mock.resource("google_compute_firewall", "fw", {"network": "default", "allow": [{"protocol": "tcp"}]}), {
		"references": [mock.ref("network", "google_compute_network.default")],
	})
	{f.resource | some f in default_network.deny} == {"google_compute_network.default"} with input as mock.doc([
		lookup, by_lookup, managed, by_reference,
		mock.resource("google_compute_firewall", "named", {"network": "default-like", "allow": [{"protocol": "tcp"}]}),
		mock.resource("google_compute_instance", "vm", {"network_interface": [{"network": "projects/p/global/networks/prod"}]}),
		object.union(mock.resource("google_compute_instance", "unknown", {"network_interface": [{}]}), {"unknown": {"network_interface": [{"network": true}]}}),
	])
}
