package portcullis.gcp.compute.firewall_missing_description_test

import data.portcullis.gcp.compute.firewall_missing_description
import data.portcullis.lib.mock_test as mock

_fw(name, values) := mock.resource("google_compute_firewall", name, object.union(
	{
		"name": name,
		"network": "main",
		"source_ranges": ["10.0.0.0/8"],
		"allow": [{"protocol": "tcp", "ports": ["443"]}],
	},
	values,
))

test_missing_description if {
	firewall_missing_description.deny == {{
		"resource": "google_compute_firewall.web",
		"attribute": "",
		"message": "Firewall google_compute_firewall.web has no description; say what the rule allows, to what and why",
	}} with input as mock.doc([_fw("web", {})])
}

test_empty_and_blank_descriptions if {
	firewall_missing_description.deny == {
		{
			"resource": "google_compute_firewall.empty",
			"attribute": "description",
			"message": "Firewall google_compute_firewall.empty has an empty description; say what the rule allows, to what and why",
		},
		{
			"resource": "google_compute_firewall.blank",
			"attribute": "description",
			"message": "Firewall google_compute_firewall.blank has an empty description; say what the rule allows, to what and why",
		},
	} with input as mock.doc([_fw("empty", {"description": ""}), _fw("blank", {"description": "  "})])
}

test_placeholder_description if {
	firewall_missing_description.deny == {{
		"resource": "google_compute_firewall.todo",
		"attribute": "description",
		"message": "Firewall google_compute_firewall.todo has the placeholder description \"TODO\"; say what the rule allows, to what and why",
	}} with input as mock.doc([_fw("todo", {"description": " TODO "})])
}

test_described_firewall_passes if {
	count(firewall_missing_description.deny) == 0 with input as mock.doc([_fw("web", {"description": "HTTPS from the load balancer to the web tier"})])
}

test_unknown_or_referenced_description_is_not_reported if {
	unknown := object.union(_fw("unknown", {}), {"unknown": {"description": true}})
	referenced := object.union(_fw("referenced", {}), {
		"unknown": {"description": true},
		"references": [{"attribute": "description", "target": "google_compute_network.main", "target_attribute": "description"}],
	})
	count(firewall_missing_description.deny) == 0 with input as mock.doc([unknown, referenced])
}

test_other_types_are_not_reported if {
	count(firewall_missing_description.deny) == 0 with input as mock.doc([mock.resource("google_compute_network", "main", {"name": "main"})])
}
