// Package cloudformation reads AWS CloudFormation templates (JSON and YAML,
// including SAM) into the resource graph, with exact source ranges, and
// evaluates parameters, conditions, mappings and intrinsic functions
// statically with three-valued logic: known, unknown, or an error reported
// as a diagnostic. Values that depend on the deployed stack (resource
// attributes, pseudo parameters, imports) are unknown, never invented.
package cloudformation
