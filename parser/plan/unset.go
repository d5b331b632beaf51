package plan

import (
	"path"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"

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
//     block type written by a dynamic block of the source (in any of the
//     module's files, override files included) counts as written;
//   - a file of the resource's module does not parse;
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

// dynamicIndex finds the top-level dynamic blocks of resources in the
// Terraform source, one module directory at a time, each parsed once.
type dynamicIndex struct {
	sources map[string][]byte
	// files: module directory → its configuration files.
	files map[string][]string
	// dirs: module directory → relative address of each resource block →
	// the block types its top-level dynamic blocks write; a nil map for a
	// directory whose files do not all parse.
	dirs map[string]map[string]map[string]bool
}

func newDynamicIndex(hg *graph.Graph) *dynamicIndex {
	d := &dynamicIndex{sources: hg.Sources, files: map[string][]string{}, dirs: map[string]map[string]map[string]bool{}}
	for _, f := range hg.Files { // sorted
		if configFile(f) {
			dir := path.Dir(f)
			d.files[dir] = append(d.files[dir], f)
		}
	}
	return d
}

// configFile reports whether a file is Terraform (or OpenTofu) configuration.
func configFile(name string) bool {
	for _, ext := range []string{".tf", ".tf.json", ".tofu", ".tofu.json"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

var (
	resourceSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
	}}
	dynamicBlockSchema = &hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{
		{Type: "dynamic", LabelNames: []string{"type"}},
	}}
)

// dynamicTypes returns the block types that the top-level dynamic blocks of
// the resource rel, declared in module directory dir, write; false when the
// resource's block is not found or a file of the module does not parse.
func (d *dynamicIndex) dynamicTypes(dir, rel string) (map[string]bool, bool) {
	blocks, done := d.dirs[dir]
	if !done {
		blocks = d.parse(dir)
		d.dirs[dir] = blocks
	}
	types, ok := blocks[rel]
	return types, ok
}

func (d *dynamicIndex) parse(dir string) map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for _, f := range d.files[dir] {
		src, ok := d.sources[f]
		if !ok {
			return nil
		}
		var file *hcl.File
		var diags hcl.Diagnostics
		if strings.HasSuffix(f, ".json") {
			file, diags = hcljson.Parse(src, f)
		} else {
			file, diags = hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		}
		if diags.HasErrors() || file == nil {
			return nil
		}
		// Blocks of other types and malformed headers are the HCL
		// loader's to report.
		content, _, _ := file.Body.PartialContent(resourceSchema)
		if content == nil {
			continue
		}
		for _, b := range content.Blocks {
			if len(b.Labels) != 2 {
				continue
			}
			mode := "managed"
			if b.Type == "data" {
				mode = "data"
			}
			rel := relAddr(mode, b.Labels[0], b.Labels[1])
			if out[rel] == nil {
				out[rel] = map[string]bool{}
			}
			inner, _, _ := b.Body.PartialContent(dynamicBlockSchema)
			if inner == nil {
				continue
			}
			for _, dyn := range inner.Blocks {
				if len(dyn.Labels) == 1 {
					out[rel][dyn.Labels[0]] = true
				}
			}
		}
	}
	return out
}

// dropUnset drops from r's unknown the top-level attributes that its
// configuration does not set (see above). h is the resource's HCL block,
// dyn the source's dynamic blocks.
func (l *loader) dropUnset(r, h *graph.Resource, dyn *dynamicIndex) {
	if l.ix == nil || h == nil || dyn == nil || r.Mode != "managed" || len(r.Unknown) == 0 || h.Range.File == "" {
		return
	}
	if _, registry := h.Meta["registry_module"]; registry {
		return
	}
	mod, rel := withoutKeys(r.Module), relAddr(r.Mode, r.Type, r.Name)
	if !l.ix.isDeclared(mod, rel) {
		return
	}
	dynamic, ok := dyn.dynamicTypes(path.Dir(h.Range.File), rel)
	if !ok {
		return
	}
	written := l.ix.written[mod][rel]
	for k, v := range r.Unknown {
		if v == true && !written[k] && !dynamic[k] && !metaArguments[k] {
			delete(r.Unknown, k)
		}
	}
}
