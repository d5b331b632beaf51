package portcullis.gcp.compute.subnetwork_flow_logs_test

import data.portcullis.gcp.compute.subnetwork_flow_logs
import data.portcullis.lib.mock_test as mock

_subnet(name, values) := mock.resource("google_compute_subnetwork", name, object.union(
	{
		"name": name,
		"region": "europe-west1",
		"network": "main",
		"ip_cidr_range": "10.0.0.0/24",
	},
	values,
))

_logs := {"aggregation_interval": "INTERVAL_5_SEC", "flow_sampling": 0.5, "metadata": "INCLUDE_ALL_METADATA"}

test_subnet_without_log_config if {
	subnetwork_flow_logs.deny == {{
		"resource": "google_compute_subnetwork.app",
		"attribute": "",
		"message": "Subnetwork google_compute_subnetwork.app has no log_config block, so VPC flow logs are off and its traffic is not recorded; add log_config",
	}} with input as mock.doc([_subnet("app", {})])
}

test_vm_purposes_are_judged if {
	{f.resource | some f in subnetwork_flow_logs.deny} == {"google_compute_subnetwork.private", "google_compute_subnetwork.rfc1918"} with input as mock.doc([
		_subnet("private", {"purpose": "PRIVATE"}),
		_subnet("rfc1918", {"purpose": "PRIVATE_RFC_1918"}),
	])
}

test_zero_sampling_records_nothing if {
	subnetwork_flow_logs.deny == {{
		"resource": "google_compute_subnetwork.app",
		"attribute": "log_config.0.flow_sampling",
		"message": "Subnetwork google_compute_subnetwork.app sets flow_sampling = 0, so its flow logs record nothing; sample a fraction above 0 (1.0 records every flow)",
	}} with input as mock.doc([_subnet("app", {"log_config": [object.union(_logs, {"flow_sampling": 0})]})])
}

test_subnet_with_flow_logs_passes if {
	count(subnetwork_flow_logs.deny) == 0 with input as mock.doc([
		_subnet("app", {"log_config": [_logs]}),
		_subnet("defaults", {"log_config": [{}]}),
		_subnet("json", {"log_config": _logs}),
		_subnet("legacy", {"enable_flow_logs": true}),
	])
}

test_subnets_without_vm_interfaces_are_exempt if {
	count(subnetwork_flow_logs.deny) == 0 with input as mock.doc([
		_subnet("proxy", {"purpose": "REGIONAL_MANAGED_PROXY", "role": "ACTIVE"}),
		_subnet("global_proxy", {"purpose": "GLOBAL_MANAGED_PROXY", "role": "ACTIVE"}),
		_subnet("legacy_proxy", {"purpose": "INTERNAL_HTTPS_LOAD_BALANCER", "role": "ACTIVE"}),
		_subnet("psc", {"purpose": "PRIVATE_SERVICE_CONNECT"}),
		_subnet("nat", {"purpose": "PRIVATE_NAT"}),
	])
}

test_unknown_values_are_not_reported if {
	count(subnetwork_flow_logs.deny) == 0 with input as mock.doc([
		object.union(_subnet("unknown_logs", {}), {"unknown": {"log_config": true}}),
		object.union(_subnet("unknown_purpose", {}), {"unknown": {"purpose": true}}),
		object.union(_subnet("unknown_legacy", {}), {"unknown": {"enable_flow_logs": true}}),
		object.union(_subnet("unknown_sampling", {"log_config": [{}]}), {"unknown": {"log_config": [{"flow_sampling": true}]}}),
	])
}

test_unset_purpose_in_a_plan_is_judged if {
	plan := object.union(_subnet("plan", {}), {"format": "terraform-plan", "unknown": {"purpose": true}})
	referenced := object.union(_subnet("referenced", {}), {
		"format": "terraform-plan",
		"unknown": {"purpose": true},
		"references": [{"attribute": "purpose", "target": "terraform_data.settings", "target_attribute": "output"}],
	})
	{f.resource | some f in subnetwork_flow_logs.deny} == {"google_compute_subnetwork.plan"} with input as mock.doc([plan, referenced])
}
