// Package parser finds infrastructure-as-code files under the paths given,
// decides each one's format, loads each root into a graph.Graph in
// parallel, and returns them in a stable order.
//
//	graphs, err := parser.Load(ctx, os.DirFS(root), []string{"."}, parser.Options{})
//
// Loading never stops at a bad file: problems are graph.Diagnostics on the
// graph they belong to. Load returns an error only when the scan cannot be
// done at all (a path that does not exist).
//
// Stream loads the same graphs one root at a time, for a caller that
// evaluates each and lets it go: its memory follows the largest root, not
// the repository.
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
	// SharedCacheBytes bounds the Terraform source (bytes of .tf, .tf.json,
	// .tofu files found while walking) up to which one cache of parsed
	// module directories serves the whole scan, each parsed once. Above it,
	// finding the roots reads each directory's module calls from tokens
	// (terraform.FindLocalCalls), and each group of roots that share a
	// module directory is loaded with a cache of its own, dropped when the
	// group is done: each directory is still parsed once, and memory
	// follows the largest group, not the repository, for the price of
	// lexing each directory once more. 0 means DefaultSharedCacheBytes; a
	// negative value, never shared. Ignored when Terraform.Cache is set
	// (that cache serves the whole scan).
	SharedCacheBytes int64
	// Planned, when set, is told how the number of roots Stream is to load
	// changes: once before the first is loaded, then as more are found
	// (module directories no root evaluated, nested stacks) or fewer (a
	// file found while walking that is no format's). It may be called from
	// several goroutines.
	Planned func(delta int)
}

// DefaultSharedCacheBytes is the default of Options.SharedCacheBytes. The
// parsed form of a module takes 20 to 25 times its source, and a group
// parses no directory more often than one cache would: the Terraform
// corpus (3.2 MB of source) peaks at 138-157 MB in groups against
// 250-281 MB with one cache, five copies of it at 193-212 MB against
// 900 MB, for the same CPU time.
const DefaultSharedCacheBytes = 1 << 20

// skipDir reports whether a directory is never scanned: Terraform's working
// directory, version-control directories and hidden directories.
func skipDir(name string) bool {
	return name == ".terraform" || safefs.IsVCSDir(name) || (strings.HasPrefix(name, ".") && name != "." && name != "..")
}

// Load finds every Terraform module directory under paths (slash-separated,
// relative to the root of fsys) and loads each as a root module; every
// Terraform plan JSON file; and every CloudFormation template. fsys should
// be a *safefs.FS: Load reads nothing any other way. The graphs come in
// Seq order: Terraform roots by directory, then the module directories no
// root evaluated (see uncalled), then plans and templates by file name.
//
// The diagnostics returned are about the walk itself (a directory that
// cannot be read, a name that is not valid UTF-8, a link out of the scan
// root); each graph carries its own.
func Load(ctx context.Context, fsys fs.FS, paths []string, opts Options) ([]*graph.Graph, []graph.Diagnostic, error) {
	type loaded struct {
		g  *graph.Graph
		at Seq
	}
	var mu sync.Mutex
	var all []loaded
	diags, err := Stream(ctx, fsys, paths, opts, func(g *graph.Graph, at Seq) {
		mu.Lock()
		all = append(all, loaded{g, at})
		mu.Unlock()
	})
	if err != nil {
		return nil, nil, err
	}
	sort.Slice(all, func(i, j int) bool { return all[i].at.Less(all[j].at) })
	graphs := make([]*graph.Graph, len(all))
	for i, l := range all {
		graphs[i] = l.g
	}
	return graphs, diags, nil
}

// Seq is a graph's place in Load's order.
type Seq struct {
	phase int    // phaseRoots, phaseUncalled, phaseFiles
	key   string // the root directory or file
}

// The phases of a scan, in Load's order.
const (
	phaseRoots = iota
	phaseUncalled
	phaseFiles
)

// Less reports whether s comes before t in Load's order. No two graphs of
// one scan have the same Seq.
func (s Seq) Less(t Seq) bool {
	if s.phase != t.phase {
		return s.phase < t.phase
	}
	return s.key < t.key
}

// Stream loads what Load loads and hands each graph to yield as soon as it
// is loaded, from up to GOMAXPROCS goroutines at once, with its place in
// Load's order; yield may run the policies on it. A caller that keeps
// nothing of a graph after yield returns holds about GOMAXPROCS roots at a
// time: Terraform roots are loaded group by group (roots that call the same
// module directory), and above Options.SharedCacheBytes of Terraform source
// each group's parsed modules are dropped when its last root is loaded.
//
// Stream returns when every graph has been handed over, with the walk's
// diagnostics; an error when the scan cannot be done (a path that does not
// exist) or ctx ended (then some graphs were not loaded).
func Stream(ctx context.Context, fsys fs.FS, paths []string, opts Options, yield func(g *graph.Graph, at Seq)) ([]graph.Diagnostic, error) {
	w := walker{fsys: fsys, dirs: map[string]bool{}, files: map[string]bool{}, exclude: opts.Exclude, implicit: opts.Implicit,
		formats: []fileFormat{plan.Format{Options: opts.Plan}, cloudformation.Format{Options: opts.CloudFormation}}}
	for _, p := range paths {
		w.paths = append(w.paths, path.Clean(p))
	}
	for _, p := range paths {
		p = path.Clean(p)
		info, err := fs.Stat(fsys, p)
		if err != nil {
			return nil, fmt.Errorf("cannot scan %s: %w", p, safefs.Cause(err))
		}
		if !info.IsDir() {
			w.named(p)
			continue
		}
		if err := fs.WalkDir(fsys, p, func(name string, d fs.DirEntry, err error) error {
			return w.visit(p, name, d, err)
		}); err != nil {
			return nil, err
		}
	}
	list := make([]string, 0, len(w.dirs))
	for d := range w.dirs {
		list = append(list, d)
	}
	sort.Strings(list)

	tfOpts := opts.Terraform
	m := &modules{fsys: fsys, shared: tfOpts.Cache, facts: map[string]*dirFacts{}}
	if budget := opts.SharedCacheBytes; m.shared == nil && (budget == 0 && w.tfBytes <= DefaultSharedCacheBytes || budget > 0 && w.tfBytes <= budget) {
		m.shared = terraform.NewCache()
	}
	p := newPool(ctx)
	// What each directory calls decides the roots: found on every
	// processor.
	for _, d := range list {
		p.add(func() { m.get(d) })
	}
	p.run()
	rootList := roots(list, m)

	var mu sync.Mutex
	evaluated := map[string]bool{} // directories some root instantiated
	loadRoot := func(g *group, dir string, phase int) func() {
		return func() {
			o := tfOpts
			o.Cache = g.acquire(m.shared)
			gr := terraform.LoadModule(fsys, dir, o)
			g.release()
			if phase == phaseRoots {
				// A Terraform graph's files are those of the module
				// directories it instantiated at least once.
				mu.Lock()
				for _, f := range gr.Files {
					evaluated[path.Dir(f)] = true
				}
				mu.Unlock()
			}
			yield(gr, Seq{phase, dir})
		}
	}
	planned := func(n int) {
		if opts.Planned != nil && n != 0 {
			opts.Planned(n)
		}
	}
	rootGroups := groups(rootList, m)
	if m.shared != nil && tfOpts.Cache == nil && len(rootList) > 0 {
		// The cache that found the roots serves them all, and is dropped
		// when the last is loaded: the policies then run on it without
		// the parsed modules beside it.
		all := &group{roots: rootList, left: len(rootList), cache: m.shared}
		rootGroups, m.shared = []*group{all}, nil
	}
	for _, g := range rootGroups {
		for _, dir := range g.roots {
			p.add(loadRoot(g, dir, phaseRoots))
		}
	}
	w.planned = planned
	planned(len(rootList) + len(w.files))
	// A plan found beside a configuration is scanned in addition to it,
	// never instead: a plan file in a pull request must not be able to
	// replace the configuration it claims to come from. Findings that both
	// give (the same rule, location and message) are reported once.
	w.loadFiles(p, yield)
	p.run()
	more := uncalled(list, rootList, evaluated, m)
	planned(len(more))
	for _, g := range groups(more, m) {
		for _, dir := range g.roots {
			p.add(loadRoot(g, dir, phaseUncalled))
		}
	}
	p.run()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	graph.SortDiagnostics(w.diags)
	return w.diags, nil
}

// modules knows of each Terraform module directory what it calls and
// whether it declares resources: from the shared cache, or else by parsing
// the directory alone and keeping only these facts.
type modules struct {
	fsys   fs.FS
	shared *terraform.Cache // nil: each directory parsed alone
	mu     sync.Mutex
	facts  map[string]*dirFacts
}

type dirFacts struct {
	once     sync.Once
	calls    []string
	declOnce sync.Once
	declares bool
}

func (m *modules) get(dir string) *dirFacts {
	m.mu.Lock()
	f := m.facts[dir]
	if f == nil {
		f = &dirFacts{}
		m.facts[dir] = f
	}
	m.mu.Unlock()
	f.once.Do(func() {
		if m.shared != nil {
			f.calls = m.shared.LocalCalls(m.fsys, dir)
			return
		}
		// Every directory's calls are found before any root is loaded:
		// from tokens, so no syntax tree is built twice or kept.
		f.calls = terraform.FindLocalCalls(m.fsys, dir)
	})
	return f
}

// declares reports whether the module in dir declares resources of its
// own: asked only of directories no root evaluated (uncalled).
func (m *modules) declares(dir string) bool {
	f := m.get(dir)
	f.declOnce.Do(func() {
		c := m.shared
		if c == nil {
			c = terraform.NewCache()
		}
		f.declares = c.DeclaresResources(m.fsys, dir)
	})
	return f.declares
}

// calls returns the directories that the module in dir calls with a local
// source.
func (m *modules) calls(dir string) []string { return m.get(dir).calls }

// group is roots that call a module directory in common (directly or
// through other modules), loaded with one cache of parsed modules.
type group struct {
	roots []string
	mu    sync.Mutex
	cache *terraform.Cache
	left  int // roots not loaded yet
}

// acquire returns the cache to load one of the group's roots with: shared
// (Options.Terraform.Cache), or the group's own, made on first use unless
// it was given.
func (g *group) acquire(shared *terraform.Cache) *terraform.Cache {
	if shared != nil {
		return shared
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cache == nil {
		g.cache = terraform.NewCache()
	}
	return g.cache
}

// release records that one root is loaded, and drops the group's cache
// after the last.
func (g *group) release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.left--; g.left == 0 {
		g.cache = nil
	}
}

// groups splits roots into groups whose module trees (the directories
// reached through local calls) share no directory, in the order of each
// group's first root, each root in its order.
func groups(roots []string, m *modules) []*group {
	parent := make([]int, len(roots))
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	owner := map[string]int{} // directory → a root reaching it
	for i, r := range roots {
		seen := map[string]bool{}
		stack := []string{r}
		for len(stack) > 0 {
			d := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[d] {
				continue
			}
			seen[d] = true
			if j, ok := owner[d]; ok {
				if a, b := find(i), find(j); a != b {
					parent[max(a, b)] = min(a, b)
				}
			} else {
				owner[d] = i
			}
			stack = append(stack, m.calls(d)...)
		}
	}
	var out []*group
	byRoot := map[int]*group{}
	for i, r := range roots {
		k := find(i)
		g := byRoot[k]
		if g == nil {
			g = &group{}
			byRoot[k] = g
			out = append(out, g)
		}
		g.roots = append(g.roots, r)
		g.left++
	}
	return out
}

// pool runs tasks on GOMAXPROCS goroutines; a task may add more.
type pool struct {
	ctx     context.Context
	mu      sync.Mutex
	cond    *sync.Cond
	queue   []func()
	pending int // tasks queued or running
}

func newPool(ctx context.Context) *pool {
	p := &pool{ctx: ctx}
	p.cond = sync.NewCond(&p.mu)
	return p
}

// add queues a task, run in the order added.
func (p *pool) add(task func()) {
	p.mu.Lock()
	p.queue = append(p.queue, task)
	p.pending++
	p.mu.Unlock()
	p.cond.Signal()
}

// run runs the queued tasks, and those they add, and returns when all are
// done. Once ctx is done, the tasks not started are dropped.
func (p *pool) run() {
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for {
				task, ok := p.next()
				if !ok {
					return
				}
				if p.ctx.Err() == nil {
					task()
				}
				p.mu.Lock()
				if p.pending--; p.pending == 0 {
					p.cond.Broadcast()
				}
				p.mu.Unlock()
			}
		})
	}
	wg.Wait()
}

// next waits for a task; false when none is queued or running.
func (p *pool) next() (func(), bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for len(p.queue) == 0 && p.pending > 0 {
		p.cond.Wait()
	}
	if len(p.queue) == 0 {
		return nil, false
	}
	task := p.queue[0]
	p.queue[0] = nil
	p.queue = p.queue[1:]
	return task, true
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
	// tfBytes is the size of the Terraform files of the module directories
	// found (see Options.SharedCacheBytes).
	tfBytes int64
	// mu guards files and seen once files load (loadFiles).
	mu      sync.Mutex
	seen    map[string]bool
	planned func(delta int)
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
			for _, e := range entries {
				if e.IsDir() || !terraform.IsConfigFile(e.Name()) {
					continue
				}
				if info, err := e.Info(); err == nil {
					w.tfBytes += info.Size()
				}
			}
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
// 0, for_each = {}) and that declare resources: no root evaluated them
// (evaluated holds the directories of the files of the roots' graphs), so
// they are roots after all, or a call with for_each = {} would hide them.
func uncalled(dirs, rootList []string, evaluated map[string]bool, m *modules) []string {
	isRoot := map[string]bool{}
	for _, d := range rootList {
		isRoot[d] = true
	}
	// Only those that declare resources of their own: a directory of
	// module calls alone hides nothing, since what it calls is evaluated
	// (or is a candidate here) itself.
	var out []string
	for _, d := range dirs {
		if !isRoot[d] && !evaluated[d] && m.declares(d) {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return nil
	}
	// Of those, the ones another of them calls are evaluated through it.
	return roots(out, m)
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
func roots(dirs []string, m *modules) []string {
	scanned := map[string]bool{}
	for _, d := range dirs {
		scanned[d] = true
	}
	calledBy := map[string][]string{}
	for _, d := range dirs {
		for _, callee := range m.calls(d) {
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
		for _, callee := range m.calls(d) {
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

// loadFiles queues on p the loading of the files of the file formats,
// in name order, and of the files they name (nested stacks), once each. A
// file found while walking is offered to each format that is a candidate
// for it, in order, until one loads it; a file named on the command line
// is offered to every format, the last of which (CloudFormation) says why
// it is not one when no other claims it.
func (w *walker) loadFiles(p *pool, yield func(*graph.Graph, Seq)) {
	w.seen = map[string]bool{}
	names := make([]string, 0, len(w.files))
	for f := range w.files {
		names = append(names, path.Clean(f))
	}
	sort.Strings(names)
	for _, f := range names {
		if !w.seen[f] {
			w.seen[f] = true
			explicit := w.files[f]
			p.add(func() { w.loadFile(p, f, explicit, yield) })
		}
	}
}

// loadFile loads one file, queues the files it names, and hands over its
// graph.
func (w *walker) loadFile(p *pool, name string, explicit bool, yield func(*graph.Graph, Seq)) {
	var g *graph.Graph
	for _, f := range w.formats {
		if explicit || f.Candidate(name) {
			if g = f.Load(w.fsys, name, explicit); g != nil {
				break
			}
		}
	}
	if g == nil {
		w.planned(-1)
		return
	}
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
			w.mu.Lock()
			done := w.seen[next]
			w.mu.Unlock()
			if done {
				continue
			}
			// One that is absent is reported by the file that names it;
			// one that cannot be read (a link out of the root, not a
			// regular file) by the format's Load.
			if _, err := fs.Stat(w.fsys, next); errors.Is(err, fs.ErrNotExist) {
				continue
			}
			w.mu.Lock()
			if !w.seen[next] {
				w.seen[next] = true
				w.planned(1)
				p.add(func() { w.loadFile(p, next, true, yield) })
			}
			w.mu.Unlock()
		}
	}
	yield(g, Seq{phaseFiles, g.Root})
}
