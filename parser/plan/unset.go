package plan

import (
	"path"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Attributes that the configuration does not set.
//
// Terraform marks unknown (true in after_unknown) every attribute that the
// provider computes while planning, including an optional one the user
// does not write: aws_s3_bucket.versioning, aws_lb.internal,
// aws_security_group.vpc_id. What the provider computes when nothing is
// written is what a rule calls "not set" (the provider's or the cloud's
// default), and the HCL loader leaves such an attribute absent; left
// unknown, it would silence every rule about a missing setting.
//
// So a top-level attribute of a managed resource that is wholly unknown,
// that the resource's configuration in the plan does not write (no key in
// its expressions, or the constant null; a nested block type written as a
// block is a key) and that is not a meta-argument is dropped from unknown (it is absent from
// values already). It stays unknown when that cannot be told for sure:
//
//   - the plan's configuration does not declare the resource, or cannot be
//     read;
//   - the Terraform source is not available, or does not hold the
//     resource's block: a dynamic block is not in the plan's configuration
//     at all, and one whose for_each is unknown makes its block type
//     wholly unknown, exactly like an attribute left to the provider. A
//     block type written by a dynamic block of the source (after override
//     files; the HCL loader records it in meta.dynamic_blocks) counts as
//     written;
//   - a file of the resource's module has an error (one that does not
//     parse may hide a dynamic block);
//   - the resource was built from the inputs of a registry module that is
//     not installed (its block is not in the source).
//
// Data sources keep their unknowns: their computed attributes are results,
// not settings.

// metaArguments are the names Terraform reserves in a resource block.
var metaArguments = map[string]bool{
	"count": true, "for_each": true, "depends_on": true, "provider": true,
	"lifecycle": true, "provisioner": true, "connection": true,
}

// dropUnset drops from r's unknown the top-level attributes that its
// configuration does not set (see above). h is the resource as the HCL
// loader evaluated it from the source (its meta.dynamic_blocks lists the
// block types its top-level dynamic blocks write); broken holds the module
// directories of the source with an error.
func (l *loader) dropUnset(r, h *graph.Resource, broken map[string]bool) {
	if l.ix == nil || h == nil || r.Mode != "managed" || len(r.Unknown) == 0 || h.Range.File == "" || broken[path.Dir(h.Range.File)] {
		return
	}
	if _, registry := h.Meta["registry_module"]; registry {
		return
	}
	mod, rel := withoutKeys(r.Module), relAddr(r.Mode, r.Type, r.Name)
	if !l.ix.isDeclared(mod, rel) {
		return
	}
	dynamic := map[string]bool{}
	for _, t := range sliceMeta(h.Meta["dynamic_blocks"]) {
		dynamic[t] = true
	}
	written := l.ix.written[mod][rel]
	for k, v := range r.Unknown {
		if v == true && !written[k] && !dynamic[k] && !metaArguments[k] {
			delete(r.Unknown, k)
		}
	}
}

// brokenDirs returns the module directories of the source with an error
// diagnostic: a file that does not parse may hide a dynamic block.
func brokenDirs(hg *graph.Graph) map[string]bool {
	out := map[string]bool{}
	for _, d := range hg.Diagnostics {
		if d.Severity == graph.SeverityError && d.Range.File != "" {
			out[path.Dir(d.Range.File)] = true
		}
	}
	return out
}

// sliceMeta reads a meta list of strings.
func sliceMeta(v any) []string {
	l, _ := v.([]any)
	out := make([]string, 0, len(l))
	for _, x := range l {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}
