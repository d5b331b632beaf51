package parser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// streamFS is a repository of every kind of root Stream loads: roots that
// share a module (one group), a root of its own, a module no call
// instantiates (count = 0: a root after the others), a template with a
// nested stack (found while loading), a file no format claims, and a plan.
func streamFS() fstest.MapFS {
	return fstest.MapFS{
		"shared/main.tf":      {Data: []byte("variable \"n\" {\n  default = 1\n}\nresource \"x_s\" \"s\" {\n  n = var.n\n}\n")},
		"app/a/main.tf":       {Data: []byte("module \"m\" {\n  source = \"../../shared\"\n  n      = 2\n}\n")},
		"app/b/main.tf":       {Data: []byte("module \"m\" {\n  source = \"../../shared\"\n}\nmodule \"inner\" {\n  source = \"./inner\"\n}\n")},
		"app/b/inner/main.tf": {Data: []byte("resource \"x_i\" \"i\" {}\n")},
		"solo/main.tf":        {Data: []byte("resource \"x_solo\" \"s\" {}\n")},
		"off/main.tf":         {Data: []byte("module \"z\" {\n  source = \"./zero\"\n  count  = 0\n}\n")},
		"off/zero/main.tf":    {Data: []byte("resource \"x_zero\" \"z\" {}\n")},
		"cfn/parent.yaml": {Data: []byte("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Net:\n    Type: AWS::CloudFormation::Stack\n" +
			"    Properties:\n      TemplateURL: ./nested/net.yaml\n")},
		"cfn/nested/net.yaml": {Data: []byte("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  B:\n    Type: AWS::S3::Bucket\n")},
		"cfn/package.json":    {Data: []byte(`{"name": "x"}`)},
	}
}

// graphDiff compares graphs by what they export (the loader's own
// bookkeeping inside a resource may hold functions, never equal).
func graphDiff(a, b []*graph.Graph) string {
	return cmp.Diff(a, b, cmpopts.IgnoreUnexported(graph.Resource{}, graph.Graph{}))
}

// summary is one line per graph: root and resources.
func summary(graphs []*graph.Graph) string {
	var lines []string
	for _, g := range graphs {
		var addrs []string
		for _, r := range g.Resources {
			addrs = append(addrs, r.Address)
		}
		lines = append(lines, g.Root+": "+strings.Join(addrs, " "))
	}
	return strings.Join(lines, "\n")
}

func TestStreamYieldsLoadsGraphsInSeqOrder(t *testing.T) {
	for _, budget := range []int64{0, -1} {
		t.Run(fmt.Sprint("SharedCacheBytes=", budget), func(t *testing.T) {
			var mu sync.Mutex
			var got []*graph.Graph
			var at []Seq
			var planned atomic.Int64
			opts := Options{SharedCacheBytes: budget, Planned: func(d int) { planned.Add(int64(d)) }}
			diags, err := Stream(context.Background(), streamFS(), []string{"."}, opts, func(g *graph.Graph, s Seq) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, g)
				at = append(at, s)
			})
			if err != nil || len(diags) != 0 {
				t.Fatal(err, diags)
			}
			idx := make([]int, len(got))
			for i := range idx {
				idx[i] = i
			}
			sort.Slice(idx, func(i, j int) bool { return at[idx[i]].Less(at[idx[j]]) })
			sorted := make([]*graph.Graph, len(got))
			for k, i := range idx {
				sorted[k] = got[i]
			}
			// Terraform roots by directory (shared is called, so not one),
			// then the module no call instantiated, then the templates by name (the nested one found
			// while loading its parent).
			want := `app/a: module.m.x_s.s
app/b: module.inner.x_i.i module.m.x_s.s
off: 
solo: x_solo.s
off/zero: x_zero.z
cfn/nested/net.yaml: B
cfn/parent.yaml: Net`
			if s := summary(sorted); s != want {
				t.Errorf("got\n%s\nwant\n%s", s, want)
			}
			// Every root planned was loaded: package.json was planned, then
			// taken back.
			if n := planned.Load(); n != int64(len(got)) {
				t.Errorf("planned %d roots, loaded %d", n, len(got))
			}
			loaded, _, err := Load(context.Background(), streamFS(), []string{"."}, opts)
			if err != nil {
				t.Fatal(err)
			}
			if d := graphDiff(loaded, sorted); d != "" {
				t.Errorf("Load and Stream differ:\n%s", d)
			}
		})
	}
}

func TestSeqLess(t *testing.T) {
	seqs := []Seq{{phaseFiles, "a.yaml"}, {phaseUncalled, "a"}, {phaseRoots, "z"}, {phaseRoots, "b"}}
	sort.Slice(seqs, func(i, j int) bool { return seqs[i].Less(seqs[j]) })
	want := []Seq{{phaseRoots, "b"}, {phaseRoots, "z"}, {phaseUncalled, "a"}, {phaseFiles, "a.yaml"}}
	if !reflect.DeepEqual(seqs, want) {
		t.Errorf("got %v, want %v", seqs, want)
	}
	if (Seq{phaseRoots, "a"}).Less(Seq{phaseRoots, "a"}) {
		t.Error("a Seq is not less than itself")
	}
}

func TestGroupsShareACacheAndDropIt(t *testing.T) {
	fsys := streamFS()
	fsys["app/c/main.tf"] = &fstest.MapFile{Data: []byte("module \"b\" {\n  source = \"../b/inner\"\n}\n")}
	m := &modules{fsys: fsys, facts: map[string]*dirFacts{}}
	gs := groups([]string{"app/a", "app/b", "app/c", "off", "solo"}, m)
	var got []string
	for _, g := range gs {
		got = append(got, strings.Join(g.roots, ","))
	}
	// app/a and app/b call shared; app/c calls app/b's inner module.
	if s := strings.Join(got, " "); s != "app/a,app/b,app/c off solo" {
		t.Errorf("groups %s", s)
	}
	g := gs[0]
	c := g.acquire(nil)
	if c == nil || g.acquire(nil) != c {
		t.Fatal("the roots of a group share one cache")
	}
	g.release()
	g.release()
	if g.cache != c {
		t.Error("the cache was dropped before the group's last root")
	}
	g.release()
	if g.cache != nil {
		t.Error("the cache outlived the group's last root")
	}
	if shared := g.acquire(c); shared != c || g.cache != nil {
		t.Error("with a shared cache, a group makes none of its own")
	}
}

func TestPoolRunsTasksTheyAdd(t *testing.T) {
	p := newPool(context.Background())
	var n atomic.Int64
	var add func(depth int)
	add = func(depth int) {
		p.add(func() {
			n.Add(1)
			if depth < 6 {
				add(depth + 1)
				add(depth + 1)
			}
		})
	}
	add(0)
	p.run()
	if n.Load() != 127 {
		t.Errorf("%d tasks ran, want 127", n.Load())
	}
	// Once the context ends, the tasks not started are dropped.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p = newPool(ctx)
	n.Store(0)
	for range 100 {
		p.add(func() {
			n.Add(1)
			cancel()
		})
	}
	p.run()
	if k := n.Load(); k < 1 || k > int64(runtime.GOMAXPROCS(0)) {
		t.Errorf("%d tasks ran, want at most one per processor: those started before the context ended", k)
	}
}

func TestStreamStopsWithTheContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Stream(ctx, streamFS(), []string{"."}, Options{}, func(*graph.Graph, Seq) { t.Error("a graph was loaded after the context ended") })
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	if _, err := Stream(context.Background(), streamFS(), []string{"nowhere"}, Options{}, func(*graph.Graph, Seq) {}); err == nil || err.Error() != "cannot scan nowhere: file does not exist" {
		t.Errorf("missing path: err = %v", err)
	}
}

// The graphs are the same whether the scan shares one cache of parsed
// modules or each group has its own: on the examples and on the corpus.
func TestGroupCachesLoadWhatASharedCacheLoads(t *testing.T) {
	dirs := []string{"../examples"}
	if _, err := os.Stat(corpus); err == nil {
		dirs = append(dirs, corpus)
	} else {
		t.Logf("the Terraform corpus is not present (%v): only the examples are compared", err)
	}
	for _, dir := range dirs {
		fsys := os.DirFS(dir)
		shared, d1, err := Load(context.Background(), fsys, []string{"."}, Options{SharedCacheBytes: 1 << 40})
		if err != nil {
			t.Fatal(err)
		}
		grouped, d2, err := Load(context.Background(), fsys, []string{"."}, Options{SharedCacheBytes: -1})
		if err != nil {
			t.Fatal(err)
		}
		if len(shared) < 5 {
			t.Fatalf("%s: %d roots", dir, len(shared))
		}
		if d := graphDiff(shared, grouped); d != "" || !reflect.DeepEqual(d1, d2) {
			t.Errorf("%s: the graphs differ:\n%s", dir, d)
		}
	}
}
