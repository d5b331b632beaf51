// Package parser finds infrastructure-as-code files under the paths given,
// decides each one's format, loads each root into a graph.Graph in
// parallel, and returns them in a stable order.
//
//	graphs, err := parser.Load(ctx, os.DirFS(root), []string{"."}, parser.Options{})
//
// Loading never stops at a bad file: problems are graph.Diagnostics on the
// graph they belong to. Load returns an error only when the scan cannot be
// done at all (a path that does not exist).
package parser

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/portcullis-iac/portcullis/parser/cloudformation"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/plan"
	"github.com/portcullis-iac/portcullis/parser/terraform"
)

// Options configures a scan.
type Options struct {
	Terraform terraform.Options
	// Plan configures loading Terraform plan JSON files.
	Plan plan.Options
	// CloudFormation configures loading CloudFormation templates.
	CloudFormation cloudformation.Options
}

// skipDir reports whether a directory is never scanned: Terraform's and
// git's working directories and hidden directories.
func skipDir(name string) bool {
	return name == ".terraform" || name == ".git" || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// Load finds every Terraform module directory under paths (slash-separated,
// relative to the root of fsys) and loads each as a root module; and every
// Terraform plan JSON file (plan.Detect), after the modules.
func Load(ctx context.Context, fsys fs.FS, paths []string, opts Options) ([]*graph.Graph, error) {
	dirs := map[string]bool{}
	var plans []string          // Terraform plan JSON files (see package plan for which files are)
	var templates []string      // CloudFormation templates, and candidates found while walking
	walked := map[string]bool{} // candidates that are dropped quietly if they are not templates
	for _, p := range paths {
		p = path.Clean(p)
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("cannot scan %s: %w", p, unwrapPathError(err))
		}
		if !info.IsDir() {
			if terraform.IsConfigFile(p) {
				dirs[path.Dir(p)] = true
				continue
			}
			if plan.Detect(fsys, p, true) {
				plans = append(plans, p)
				continue
			}
			if mentionsTemplate(fsys, p) {
				templates = append(templates, p)
				continue
			}
			return nil, fmt.Errorf("cannot scan %s: not a directory, a Terraform file, a Terraform plan or a CloudFormation template", p)
		}
		err = fs.WalkDir(fsys, p, func(name string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil // unreadable entries are skipped; the module loader reports files it cannot read
			}
			if !d.IsDir() {
				switch {
				case plan.Detect(fsys, name, false):
					plans = append(plans, name)
				case templateCandidate(name) && mentionsTemplate(fsys, name):
					templates = append(templates, name)
					walked[name] = true
				}
				return nil
			}
			if name != p && skipDir(d.Name()) {
				return fs.SkipDir
			}
			entries, err := fs.ReadDir(fsys, name)
			if err == nil && terraform.IsModuleDir(entries) {
				dirs[name] = true
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	list := make([]string, 0, len(dirs))
	for d := range dirs {
		list = append(list, d)
	}
	sort.Strings(list)

	tfOpts := opts.Terraform
	if tfOpts.Cache == nil {
		tfOpts.Cache = terraform.NewCache()
	}
	list = roots(fsys, list, tfOpts.Cache)
	list = withoutPlannedDirs(list, plans, opts.Plan)

	graphs := inParallel(ctx, list, func(dir string) *graph.Graph { return terraform.LoadModule(fsys, dir, tfOpts) })
	graphs = append(graphs, inParallel(ctx, dedupe(plans), func(f string) *graph.Graph { return plan.Load(fsys, f, opts.Plan) })...)
	graphs = append(graphs, loadTemplates(ctx, fsys, templates, walked, opts.CloudFormation)...)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return graphs, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// roots drops the directories that another scanned directory calls as a
// local module: they are evaluated as children, with the arguments their
// callers pass, and scanning them alone with their defaults would report
// what no caller configured. A directory is kept when none of its callers
// is itself a root (a cycle of calls), so nothing is lost.
func roots(fsys fs.FS, dirs []string, cache *terraform.Cache) []string {
	scanned := map[string]bool{}
	for _, d := range dirs {
		scanned[d] = true
	}
	calledBy := map[string][]string{}
	for _, d := range dirs {
		for _, callee := range cache.LocalCalls(fsys, d) {
			if scanned[callee] && callee != d {
				calledBy[callee] = append(calledBy[callee], d)
			}
		}
	}
	isRoot := map[string]bool{}
	for _, d := range dirs {
		isRoot[d] = len(calledBy[d]) == 0
	}
	// A directory whose callers are all unreachable from a root (a cycle)
	// becomes a root itself.
	reach := map[string]bool{}
	var visit func(d string)
	visit = func(d string) {
		if reach[d] {
			return
		}
		reach[d] = true
		for _, callee := range cache.LocalCalls(fsys, d) {
			visit(callee)
		}
	}
	for _, d := range dirs {
		if isRoot[d] {
			visit(d)
		}
	}
	var out []string
	for _, d := range dirs {
		if isRoot[d] || !reach[d] {
			out = append(out, d)
			visit(d)
		}
	}
	return out
}

// withoutPlannedDirs drops the Terraform roots that a scanned plan file was
// made from: the plan holds Terraform's own evaluation of the same
// configuration (its findings are located in the same .tf files), and
// scanning both would report everything twice.
func withoutPlannedDirs(dirs, plans []string, opts plan.Options) []string {
	planned := map[string]bool{}
	for _, p := range plans {
		if opts.SourceDir != "" {
			planned[path.Clean(opts.SourceDir)] = true
		} else {
			planned[path.Dir(p)] = true
		}
	}
	out := dirs[:0]
	for _, d := range dirs {
		if !planned[d] {
			out = append(out, d)
		}
	}
	return out
}

// templateCandidate reports whether a file found while walking may be a
// CloudFormation template: by extension, before its content decides.
func templateCandidate(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".json", ".yaml", ".yml", ".template", ".cfn":
		return !strings.HasSuffix(name, ".tf.json") && !strings.HasSuffix(name, ".tofu.json")
	}
	return false
}

// maxTemplateSize bounds the files examined as templates (CloudFormation's
// own limit for a template is 1 MB; S3-hosted ones may be larger).
const maxTemplateSize = 8 << 20

// mentionsTemplate is the cheap half of deciding by content: a template
// mentions AWSTemplateFormatVersion or an "AWS::" resource type, and
// Resources. The decoded document decides the rest, when the file is loaded
// (decoded once, in parallel): other JSON and YAML files found while walking
// are then passed over quietly.
func mentionsTemplate(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	if err != nil || info.Size() > maxTemplateSize {
		return false
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return false
	}
	if !bytes.Contains(src, []byte("AWSTemplateFormatVersion")) && !bytes.Contains(src, []byte("AWS::")) {
		return false
	}
	return bytes.Contains(src, []byte("Resources"))
}

// dedupe returns the distinct clean paths of names, sorted.
func dedupe(names []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, n := range names {
		if n = path.Clean(n); !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// loadTemplates loads each template, and the local templates their nested
// stacks name, once each, in parallel; graphs come back in name order.
func loadTemplates(ctx context.Context, fsys fs.FS, files []string, walked map[string]bool, opts cloudformation.Options) []*graph.Graph {
	seen := map[string]bool{}
	var out []*graph.Graph
	queue := append([]string(nil), files...)
	for len(queue) > 0 && ctx.Err() == nil {
		var batch []string
		for _, f := range queue {
			if !seen[f] {
				seen[f] = true
				batch = append(batch, f)
			}
		}
		queue = nil
		graphs := inParallel(ctx, batch, func(f string) *graph.Graph { return loadTemplate(fsys, f, !walked[f], opts) })
		for _, g := range graphs {
			if g == nil { // cancelled, or a file found while walking that is not a template
				continue
			}
			out = append(out, g)
			for _, nested := range cloudformation.NestedTemplates(g) {
				if fs.ValidPath(nested) && !seen[nested] {
					if _, err := fs.Stat(fsys, nested); err == nil {
						queue = append(queue, nested)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Root < out[j].Root })
	return out
}

// loadTemplate decodes and loads a template. A file found while walking
// (explicit false) that turns out not to be a template gives nil; one the
// user named, or a nested stack's, gives a diagnostic.
func loadTemplate(fsys fs.FS, file string, explicit bool, opts cloudformation.Options) *graph.Graph {
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return &graph.Graph{Format: graph.FormatCloudFormation, Root: file, Diagnostics: []graph.Diagnostic{{
			Severity: graph.SeverityError, Summary: "cannot read template", Detail: err.Error(), Range: graph.Range{File: file}}}}
	}
	root, diags := cloudformation.Decode(file, src)
	broken := &graph.Graph{Format: graph.FormatCloudFormation, Root: file, Diagnostics: diags,
		Files: []string{file}, Sources: map[string][]byte{file: src}}
	switch {
	case root == nil && !explicit && !bytes.Contains(src, []byte("AWSTemplateFormatVersion")):
		return nil // broken, and nothing says it was meant as a template
	case root == nil:
		return broken // broken, but it names template things: report why
	case !cloudformation.IsTemplate(root) && !explicit:
		return nil
	case !cloudformation.IsTemplate(root):
		broken.Diagnostics = append(broken.Diagnostics, graph.Diagnostic{Severity: graph.SeverityError,
			Summary: "not a CloudFormation template",
			Detail:  "the document has neither AWSTemplateFormatVersion nor Resources whose Type is AWS::...",
			Range:   graph.Range{File: file, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}}})
		return broken
	}
	g := cloudformation.LoadTemplate(file, root, src, opts)
	g.Diagnostics = append(diags, g.Diagnostics...)
	graph.SortDiagnostics(g.Diagnostics)
	return g
}

// inParallel loads each item on up to GOMAXPROCS goroutines and returns the
// graphs in the items' order (nil for items not started once ctx is done).
func inParallel(ctx context.Context, items []string, load func(string) *graph.Graph) []*graph.Graph {
	graphs := make([]*graph.Graph, len(items))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, item := range items {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			graphs[i] = load(item)
		}()
	}
	wg.Wait()
	return graphs
}
