// Package cloudformation reads AWS CloudFormation templates (JSON and YAML,
// including SAM) into the resource graph, with exact source ranges, and
// evaluates parameters, conditions, mappings and intrinsic functions
// statically with three-valued logic: known, unknown, or an error reported
// as a diagnostic. Values that depend on the deployed stack (resource
// attributes, pseudo parameters, imports) are unknown, never invented.
//
// # Which files are templates
//
// Detect decides by decoding the document as CloudFormation does (JSON \u
// escapes, YAML escapes, tags and quoted keys), never by searching the raw
// bytes; MayBeTemplate is a prefilter that no spelling of a template can
// pass. A document meant as a template that cannot be read is an error
// diagnostic, not a file passed over. LoadSource is Detect followed by
// LoadTemplate.
//
// # Secrets
//
// The values of NoEcho parameters, and every value computed from one
// (through any function, an Fn::ForEach item, an element of a NoEcho list,
// the branch an Fn::If takes on a condition computed from one), are marked
// in Resource.Sensitive; rules still see them. They are never written into
// anything else the graph shows: diagnostics say "(sensitive)", a logical
// ID or property name that Fn::ForEach would build from one is an error
// diagnostic and becomes "Name(sensitive-N)", origins carry no values, Meta
// leaves them out, and the graph's copies of the template and of the
// parameter files (Graph.Sources) have them masked with asterisks.
//
// # Limits
//
// Every limit reached is an error diagnostic naming the file, the position
// and the limit; what lies past it is unknown (or, for resources past
// MaxResources, not evaluated), never silently dropped. The limits are
// constants of this package:
//
//   - MaxTemplateSize (16 MiB): the file Load reads (the caller's file
//     system bounds the reads of LoadSource's callers).
//   - MaxValueBytes (64 MiB) and ResourceValueBytes (16 KiB): the values
//     evaluating one template builds, literals, copies and parameter
//     values included, each counting its bytes plus 128. Each resource
//     spends an allowance of ResourceValueBytes of its own first (so does
//     what the template evaluates outside resources: parameters and
//     Fn::ForEach expansion), then the MaxValueBytes the whole template
//     shares. A value neither can pay for is unknown, and so is every list
//     and mapping being built around it, up to the resource's Properties
//     (a parameter's value is unknown; an Fn::ForEach of the Resources
//     section expands no further, and the resources of the iterations
//     left are not evaluated). The resources after it are still
//     evaluated, each from its own allowance: a template that spends the
//     shared budget early cannot hide them. One error diagnostic, at the
//     first value refused, counts the other resources with values
//     refused. In all, evaluation builds at most MaxValueBytes +
//     (MaxResources+1) x ResourceValueBytes bytes as counted (about 220
//     MiB), and a function builds its result only when the budget can pay
//     for it.
//   - maxStringLen (4 MiB): one string built by Fn::Join, Fn::Sub,
//     Fn::Base64 or Fn::ToJsonString; maxListLen (100,000): one Fn::Split.
//   - MaxResources (10,000): resources of a template, Fn::ForEach included;
//     maxForEachItems (10,000): the collection of one Fn::ForEach.
//   - maxSteps (4,000,000) and resourceSteps (1,024): the nodes evaluated
//     for one template, shared and of each resource, spent and refused
//     as the bytes are.
//   - maxNodeDepth (1,000) and maxFnDepth (100): nesting of values and of
//     intrinsic functions during evaluation.
//   - decodeMaxDepth (10,000): nesting in the JSON and YAML decoders
//     (encoding/json's and yaml.v3's own bound); decodeMaxNodes
//     (1,000,000): the nodes YAML aliases may expand to.
//   - parameter files: 64 levels of nesting.
package cloudformation
