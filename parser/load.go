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
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/cloudformation"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/plan"
	"github.com/portcullis-iac/portcullis/parser/safefs"
	"github.com/portcullis-iac/portcullis/parser/terraform"
)

// Options configures a scan.
type Options struct {
	Terraform terraform.Options
	// Plan configures loading Terraform plan JSON files.
	Plan plan.Options
	// CloudFormation configures loading CloudFormation templates.
	CloudFormation cloudformation.Options
	// Exclude, when set, reports whether a path (slash-separated,
	// relative to the root of fsys) is excluded: an excluded directory is
	// not walked and an excluded file is not read. The PATHs themselves
	// are never excluded.
	Exclude func(name string) bool
	// Implicit treats the files named in paths as files found while
	// walking (pre-commit passes every file a commit touches): a file no
	// format claims is skipped in silence, and a Terraform variables file
	// stands for its module directory.
	Implicit bool
}

// skipDir reports whether a directory is never scanned: Terraform's working
// directory, version-control directories and hidden directories.
func skipDir(name string) bool {
	return name == ".terraform" || safefs.IsVCSDir(name) || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// Load finds every Terraform module directory under paths (slash-separated,
// relative to the root of fsys) and loads each as a root module; every
// Terraform plan JSON file; and every CloudFormation template. fsys should
// be a *safefs.FS: Load reads nothing any other way.
//
// The diagnostics returned are about the walk itself (a directory that
// cannot be read, a name that is not valid UTF-8, a link out of the scan
// root); each graph carries its own.
func Load(ctx context.Context, fsys fs.FS, paths []string, opts Options) ([]*graph.Graph, []graph.Diagnostic, error) {
	w := walker{fsys: fsys, dirs: map[string]bool{}, files: map[string]bool{}, exclude: opts.Exclude, implicit: opts.Implicit,
		formats: []fileFormat{plan.Format{Options: opts.Plan}, cloudformation.Format{Options: opts.CloudFormation}}}
	for _, p := range paths {
		w.paths = append(w.paths, path.Clean(p))
	}
	for _, p := range paths {
		p = path.Clean(p)
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, nil, fmt.Errorf("cannot scan %s: %w", p, safefs.Cause(err))
		}
		if !info.IsDir() {
			w.named(p)
			continue
		}
		if err := fs.WalkDir(fsys, p, func(name string, d fs.DirEntry, err error) error {
			return w.visit(p, name, d, err)
		}); err != nil {
			return nil, nil, err
		}
	}
	list := make([]string, 0, len(w.dirs))
	for d := range w.dirs {
		list = append(list, d)
	}
	sort.Strings(list)

	tfOpts := opts.Terraform
	if tfOpts.Cache == nil {
		tfOpts.Cache = terraform.NewCache()
	}
	rootList := roots(fsys, list, tfOpts.Cache)
	load := func(dir string) *graph.Graph { return terraform.LoadModule(fsys, dir, tfOpts) }
	graphs := inParallel(ctx, rootList, load)
	graphs = append(graphs, inParallel(ctx, uncalled(fsys, list, rootList, graphs, tfOpts.Cache), load)...)
	// A plan found beside a configuration is scanned in addition to it,
	// never instead: a plan file in a pull request must not be able to
	// replace the configuration it claims to come from. Findings that both
	// give (the same rule, location and message) are reported once.
	graphs = append(graphs, w.loadFiles(ctx)...)
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	graph.SortDiagnostics(w.diags)
	return graphs, w.diags, nil
}

// fileFormat is one format whose inputs are single files (a plan, a
// template). Each format package implements it; Terraform configuration,
// whose unit is a directory, is found by terraform.IsModuleDir.
type fileFormat interface {
	// Candidate reports by name alone whether a file found while walking
	// may be this format's; its content decides in Load.
	Candidate(name string) bool
	// Load reads, detects and loads name: nil when a file found while
	// walking (explicit false) is not this format's. The last format
	// gives a graph with a diagnostic for a file named on the command line
	// (explicit) that is not its own.
	Load(fsys fs.FS, name string, explicit bool) *graph.Graph
}

// follower is a fileFormat whose files name others to load (nested
// stacks).
type follower interface {
	Follow(g *graph.Graph) []string
}

// walker collects what a walk finds.
type walker struct {
	fsys    fs.FS
	formats []fileFormat
	paths   []string        // the PATHs walked, clean
	linked  map[string]bool // directories walked under a link's name, by target
	dirs    map[string]bool // Terraform module directories
	files   map[string]bool // files for the file formats: true when named on the command line
	diags   []graph.Diagnostic
	// exclude and implicit are Options.Exclude and Options.Implicit.
	exclude  func(string) bool
	implicit bool
}

// named takes a file named on the command line.
func (w *walker) named(p string) {
	if terraform.IsConfigFile(p) {
		w.dirs[path.Dir(p)] = true
		return
	}
	if !w.implicit {
		w.files[p] = true
		return
	}
	if isVarsFile(p) {
		if entries, err := fs.ReadDir(w.fsys, path.Dir(p)); err == nil && terraform.IsModuleDir(entries) {
			w.dirs[path.Dir(p)] = true
		}
		return
	}
	for _, f := range w.formats {
		if f.Candidate(p) {
			w.files[p] = false
			return
		}
	}
}

// wanted reports whether a file of this name would be read by some format.
func (w *walker) wanted(name string) bool {
	if terraform.IsConfigFile(name) || isVarsFile(name) {
		return true
	}
	for _, f := range w.formats {
		if f.Candidate(name) {
			return true
		}
	}
	return false
}

func isVarsFile(name string) bool {
	return strings.HasSuffix(name, ".tfvars") || strings.HasSuffix(name, ".tfvars.json")
}

func (w *walker) diag(sev graph.Severity, name, summary, detail string) {
	w.diags = append(w.diags, graph.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: graph.Range{File: name}})
}

// visit is the fs.WalkDirFunc of a walk from top.
func (w *walker) visit(top, name string, d fs.DirEntry, err error) error {
	if err != nil {
		if name == top {
			return err
		}
		// A directory that cannot be listed may hold anything: the scan
		// is incomplete.
		w.diag(graph.SeverityError, name, "cannot read directory", safefs.Cause(err).Error())
		return nil
	}
	if name != top && w.exclude != nil && w.exclude(name) {
		if d.IsDir() {
			return fs.SkipDir
		}
		return nil
	}
	if d.IsDir() {
		if name != top && skipDir(d.Name()) {
			return fs.SkipDir
		}
		if depth := strings.Count(name, "/"); depth >= maxWalkDepth {
			w.diag(graph.SeverityError, name, "directory not scanned",
				fmt.Sprintf("it is nested more than %d directories deep", maxWalkDepth))
			return fs.SkipDir
		}
		if !utf8.ValidString(d.Name()) {
			w.diag(graph.SeverityError, strings.ToValidUTF8(name, "\ufffd"), "cannot read directory",
				fmt.Sprintf("its name %q is not valid UTF-8", d.Name()))
			return fs.SkipDir
		}
		entries, err := fs.ReadDir(w.fsys, name)
		if err != nil {
			w.diag(graph.SeverityError, name, "cannot read directory", safefs.Cause(err).Error())
			return fs.SkipDir
		}
		for _, e := range entries {
			if !utf8.ValidString(e.Name()) && (e.IsDir() || w.wanted(e.Name())) {
				// fs paths must be valid UTF-8: such a file cannot be
				// read by name, and would otherwise be skipped in silence.
				w.diag(graph.SeverityError, path.Join(name, strings.ToValidUTF8(e.Name(), "\ufffd")), "cannot read file",
					fmt.Sprintf("its name %q is not valid UTF-8", e.Name()))
			}
		}
		if terraform.IsModuleDir(entries) {
			w.dirs[name] = true
		}
		return nil
	}
	if d.Type()&fs.ModeSymlink != 0 {
		info, err := fs.Stat(w.fsys, name)
		switch {
		case err != nil && (errors.Is(err, safefs.ErrOutsideRoot) || errors.Is(err, safefs.ErrHidden)):
			if terraform.IsConfigFile(name) || isVarsFile(name) {
				return nil // the module loader reports the files it cannot read
			}
			// A link out of the root named like a file some format reads,
			// or one that may be a directory (a module, a tree of
			// templates), is content the scan cannot see: incomplete.
			if w.wanted(name) || path.Ext(name) == "" {
				w.diag(graph.SeverityError, name, "symbolic link not followed", safefs.Cause(err).Error())
			}
			return nil
		case err != nil:
			return nil // a dangling link: nothing to read
		case info.IsDir():
			return w.linkedDir(name)
		}
	}
	if !terraform.IsConfigFile(name) {
		for _, f := range w.formats {
			if f.Candidate(name) {
				w.files[name] = false
				break
			}
		}
	}
	return nil
}

// uncalled returns the module directories that roots dropped because a
// scanned directory calls them, but whose calls made no instance (count =
// 0, for_each = {}) and that declare resources: no root evaluated them, so
// they are roots after all, or a call with for_each = {} would hide them.
func uncalled(fsys fs.FS, dirs, rootList []string, graphs []*graph.Graph, cache *terraform.Cache) []string {
	isRoot := map[string]bool{}
	for _, d := range rootList {
		isRoot[d] = true
	}
	evaluated := map[string]bool{}
	for _, g := range graphs {
		if g == nil {
			continue
		}
		// A Terraform graph's files are those of the module directories it
		// instantiated at least once.
		for _, f := range g.Files {
			evaluated[path.Dir(f)] = true
		}
	}
	// Only those that declare resources of their own: a directory of
	// module calls alone hides nothing, since what it calls is evaluated
	// (or is a candidate here) itself.
	var out []string
	for _, d := range dirs {
		if !isRoot[d] && !evaluated[d] && cache.DeclaresResources(fsys, d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil
	}
	// Of those, the ones another of them calls are evaluated through it.
	return roots(fsys, out, cache)
}

// maxWalkDepth bounds how deep the walk goes: a directory nested deeper is
// an error (such trees exist only to slow a scanner down).
const maxWalkDepth = 64

// resolver is a file system that says where a link leads (safefs.FS).
type resolver interface {
	Resolve(name string) (string, error)
}

// linkedDir decides about a symbolic link to a directory inside the scan
// root. The directory it leads to is walked under its own name, unless the
// walk does not reach it there (a hidden directory, .terraform, or outside
// the PATHs scanned): then it is walked under the link's name, once, since
// Terraform would read it through the link.
func (w *walker) linkedDir(name string) error {
	r, ok := w.fsys.(resolver)
	if !ok {
		return nil
	}
	target, err := r.Resolve(name)
	if err != nil || w.reaches(target) || w.linked[target] {
		return nil
	}
	if w.linked == nil {
		w.linked = map[string]bool{}
	}
	w.linked[target] = true
	return fs.WalkDir(w.fsys, name, func(n string, d fs.DirEntry, err error) error {
		return w.visit(name, n, d, err)
	})
}

// reaches reports whether the walk of the PATHs visits dir under its own
// name.
func (w *walker) reaches(dir string) bool {
	in := false
	for _, p := range w.paths {
		if p == "." || dir == p || strings.HasPrefix(dir, p+"/") {
			in = true
			break
		}
	}
	if !in {
		return false
	}
	for _, el := range strings.Split(dir, "/") {
		if skipDir(el) {
			return false
		}
	}
	return true
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

// loadFiles loads the files of the file formats in parallel, then the
// files they name (nested stacks), once each; graphs come back in name
// order. A file found while walking is offered to each format that is a
// candidate for it, in order, until one loads it; a file named on the
// command line is offered to every format, the last of which
// (CloudFormation) says why it is not one when no other claims it.
func (w *walker) loadFiles(ctx context.Context) []*graph.Graph {
	seen := map[string]bool{}
	var out []*graph.Graph
	queue := make([]string, 0, len(w.files))
	for f := range w.files {
		queue = append(queue, path.Clean(f))
	}
	for len(queue) > 0 && ctx.Err() == nil {
		sort.Strings(queue)
		var batch []string
		for _, f := range queue {
			if !seen[f] {
				seen[f] = true
				batch = append(batch, f)
			}
		}
		queue = nil
		graphs := inParallel(ctx, batch, w.loadFile)
		for _, g := range graphs {
			if g == nil {
				continue
			}
			out = append(out, g)
			for _, f := range w.formats {
				fl, ok := f.(follower)
				if !ok || !f.Candidate(g.Root) {
					continue
				}
				for _, next := range fl.Follow(g) {
					if !fs.ValidPath(next) {
						// A local template above the scan root: its resources
						// are lost, so the scan is incomplete.
						g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{Severity: graph.SeverityError,
							Summary: "nested template not followed",
							Detail:  fmt.Sprintf("a nested stack's template (%s) is outside the scan root; scan from a directory that contains it (--root)", next),
							Range:   graph.Range{File: g.Root}})
						continue
					}
					if seen[next] {
						continue
					}
					// One that is absent is reported by the file that names it;
					// one that cannot be read (a link out of the root, not a
					// regular file) by the format's Load.
					if _, err := fs.Stat(w.fsys, next); !errors.Is(err, fs.ErrNotExist) {
						w.files[next] = true
						queue = append(queue, next)
					}
				}
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Root < out[j].Root })
	return out
}

func (w *walker) loadFile(name string) *graph.Graph {
	explicit := w.files[name]
	for _, f := range w.formats {
		if explicit || f.Candidate(name) {
			if g := f.Load(w.fsys, name, explicit); g != nil {
				return g
			}
		}
	}
	return nil
}
