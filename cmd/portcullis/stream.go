package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"sync"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// rootResult is what the report keeps of one root once the policies have
// run on it: the graph itself is dropped, so that a scan holds a few roots
// at a time, not the repository.
type rootResult struct {
	at            parser.Seq
	root          string
	resources     int
	notCreated    int
	configuration string
	graphDiags    []graph.Diagnostic
	ignores       []graph.Ignore
	findings      []finding.Finding
	evalDiags     []graph.Diagnostic
	err           error
	// files are the digests of every file the root read; sources the
	// content of those of them its findings, ignores and diagnostics name
	// (the writers quote no other).
	files   map[string]string
	sources map[string][]byte
}

// digests computes the sha256 of files, once per content: the roots of one
// group read one copy of the modules they share.
type digests struct {
	mu   sync.Mutex
	seen map[*byte]digest
}

type digest struct {
	n   int
	sum string
}

func (d *digests) of(src []byte) string {
	if len(src) == 0 {
		sum := sha256.Sum256(nil)
		return hex.EncodeToString(sum[:])
	}
	d.mu.Lock()
	dg, ok := d.seen[&src[0]]
	d.mu.Unlock()
	if ok && dg.n == len(src) {
		return dg.sum
	}
	sum := sha256.Sum256(src)
	dg = digest{len(src), hex.EncodeToString(sum[:])}
	d.mu.Lock()
	d.seen[&src[0]] = dg
	d.mu.Unlock()
	return dg.sum
}

// evaluateRoot runs the policies on g and keeps what the report needs.
func evaluateRoot(ctx context.Context, eng *policies.Engine, g *graph.Graph, at parser.Seq, sums *digests) rootResult {
	f, d, err := eng.Evaluate(ctx, g)
	res := rootResult{
		at: at, root: g.Root, resources: len(g.Resources), notCreated: g.NotCreated, configuration: g.Configuration,
		graphDiags: g.Diagnostics, findings: f, evalDiags: d, err: err,
		files: make(map[string]string, len(g.Sources)),
	}
	for _, ig := range g.Ignores {
		ig.Root = g.Root
		res.ignores = append(res.ignores, ig)
	}
	named := map[string]bool{}
	for _, x := range res.findings {
		named[x.Location.Range.File] = true
		for _, o := range x.Location.Related {
			named[o.Range.File] = true
		}
		for _, b := range x.Blocks {
			named[b.File] = true
		}
	}
	for _, ig := range res.ignores {
		named[ig.Range.File] = true
	}
	for _, ds := range [][]graph.Diagnostic{res.graphDiags, res.evalDiags} {
		for _, x := range ds {
			named[x.Range.File] = true
		}
	}
	for name, src := range g.Sources {
		res.files[name] = sums.of(src)
		// A plan file is not quoted: terraform show -json writes one line,
		// with the values after_sensitive marks in clear text, so an
		// excerpt of any finding could show a sensitive neighbour.
		if g.Format == graph.FormatTerraformPlan && name == g.Root {
			continue
		}
		if named[name] {
			if res.sources == nil {
				res.sources = map[string][]byte{}
			}
			res.sources[name] = src
		}
	}
	return res
}

// graphTypes are the resource types of g.
func graphTypes(g *graph.Graph) []string {
	seen := map[string]bool{}
	var types []string
	for _, r := range g.Resources {
		if !seen[r.Type] {
			seen[r.Type] = true
			types = append(types, r.Type)
		}
	}
	return types
}

// ruleTypes are the resource types the enabled rules list.
func ruleTypes(eng *policies.Engine) []string {
	var types []string
	for _, r := range eng.Enabled() {
		types = append(types, r.ResourceTypes...)
	}
	return types
}

// prepareTypes compiles the rules that run on graphs holding types.
func prepareTypes(ctx context.Context, eng *policies.Engine, types []string) error {
	restore := lessGC()
	defer restore()
	return eng.Prepare(ctx, types)
}

// scanStream loads the roots under paths one by one and evaluates each as
// soon as it is loaded, on every processor, keeping only what the report
// needs of each (rootResult); the report is then assembled in Load's order,
// so that it is the same whatever order the roots finished in.
func scanStream(ctx context.Context, eng *policies.Engine, fsys fs.FS, paths []string, opts parser.Options, prog *progress) (*finding.Report, error) {
	var mu sync.Mutex
	var results []rootResult
	sums := &digests{seen: map[*byte]digest{}}
	started := false
	var prepare sync.Once
	var prepareErr error
	var prepared chan struct{} // closed when every enabled rule is compiled
	opts.Planned = func(delta int) {
		mu.Lock()
		defer mu.Unlock()
		if !started {
			started = true
			prog.Start(delta)
			if delta > 1 {
				// Several roots will need most rules: compile them all
				// once, while the first roots load, rather than what the
				// first root needs and then the rest.
				prepared = make(chan struct{})
				go func() {
					defer close(prepared)
					prepareErr = prepareTypes(ctx, eng, ruleTypes(eng))
				}()
			}
			return
		}
		prog.grow(delta)
	}
	walkDiags, err := parser.Stream(ctx, fsys, paths, opts, func(g *graph.Graph, at parser.Seq) {
		// The rules are compiled with the collector held back, as a
		// one-file scan is mostly compilation; for one root, those it
		// needs. The engine compiles what later roots need as they come.
		prepare.Do(func() {
			if prepared != nil {
				<-prepared
				return
			}
			prepareErr = prepareTypes(ctx, eng, graphTypes(g))
		})
		res := evaluateRoot(ctx, eng, g, at, sums)
		mu.Lock()
		results = append(results, res)
		mu.Unlock()
		prog.Done()
	})
	prog.Finish()
	if prepared != nil {
		<-prepared
	}
	if err == nil {
		err = prepareErr
	}
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return nil, fmt.Errorf("the scan did not finish within --timeout: %w", err)
		}
		return nil, err
	}
	sort.Slice(results, func(i, j int) bool { return results[i].at.Less(results[j].at) })
	rep := &finding.Report{Tool: tool(), Rules: eng.Enabled(), Sources: map[string][]byte{}, Files: map[string]string{}}
	rep.Diagnostics = append(rep.Diagnostics, walkDiags...)
	seenIgnore := map[string]bool{}
	configurations := map[string]string{} // a plan's root → its configuration's
	for _, res := range results {
		rep.Resources += res.resources
		rep.NotCreated += res.notCreated
		if res.configuration != "" {
			configurations[res.root] = res.configuration
		}
		rep.Diagnostics = append(rep.Diagnostics, res.graphDiags...)
		for _, ig := range res.ignores {
			// A module shared by roots has its ignores once per root.
			if k := ig.Root + "\x00" + ig.Range.String(); !seenIgnore[k] {
				seenIgnore[k] = true
				rep.Ignores = append(rep.Ignores, ig)
			}
		}
		for f, sum := range res.files {
			if _, ok := rep.Files[f]; !ok {
				rep.Files[f] = sum
			}
		}
		for f, src := range res.sources {
			rep.Sources[f] = src
		}
		rep.Findings = append(rep.Findings, res.findings...)
		rep.Diagnostics = append(rep.Diagnostics, res.evalDiags...)
		if res.err != nil {
			rep.Diagnostics = append(rep.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError, Summary: "policy evaluation failed", Detail: res.err.Error(),
				Range: graph.Range{File: res.root},
			})
		}
	}
	rep.Dedupe(configurations)
	// A file of random bytes gives a diagnostic per byte: keep a bounded
	// number per file, and one error that counts the rest.
	rep.Diagnostics = graph.CapDiagnostics(rep.Diagnostics, graph.DefaultDiagnosticsPerFile)
	return rep, nil
}

// grow changes the number of roots of a scan in progress: a streaming scan
// finds some of them while it runs.
func (p *progress) grow(delta int) {
	if p == nil || !p.on {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total += delta
}
