package main

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"math/rand"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/safefs"
	"github.com/portcullis-iac/portcullis/policies"
	"github.com/portcullis-iac/portcullis/policies/finding"
	"github.com/portcullis-iac/portcullis/report"
	"github.com/portcullis-iac/portcullis/sarif"
)

// shuffledFS lists each directory in a random order, so that the walk, and
// the order in which roots are found, loaded and evaluated, changes from
// one scan to the next.
type shuffledFS struct {
	*safefs.FS
	mu  sync.Mutex
	rnd *rand.Rand
}

func (s *shuffledFS) ReadDir(name string) ([]fs.DirEntry, error) {
	entries, err := s.FS.ReadDir(name)
	s.mu.Lock()
	s.rnd.Shuffle(len(entries), func(i, j int) { entries[i], entries[j] = entries[j], entries[i] })
	s.mu.Unlock()
	return entries, err
}

// writeAll writes rep in the formats that carry everything a scan found.
func writeAll(t *testing.T, rep *finding.Report) []byte {
	t.Helper()
	var b bytes.Buffer
	rep.Time = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rep.Sort()
	if err := report.WriteJSON(&b, rep); err != nil {
		t.Fatal(err)
	}
	if err := sarif.Write(&b, rep); err != nil {
		t.Fatal(err)
	}
	if err := report.WriteText(&b, rep, report.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// The report of a scan is the same byte for byte whatever the order of the
// PATHs, the order directories list their entries in, the number of
// processors, and whether the roots share one cache of parsed modules.
func TestScanIsTheSameInAnyOrder(t *testing.T) {
	root, err := filepath.Abs(repo)
	if err != nil {
		t.Fatal(err)
	}
	entries, err := os.ReadDir(filepath.Join(root, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, e := range entries {
		paths = append(paths, "examples/"+e.Name())
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	scanOnce := func(procs int, seed int64, shared int64) []byte {
		runtime.GOMAXPROCS(procs)
		rnd := rand.New(rand.NewSource(seed))
		ps := append([]string(nil), paths...)
		rnd.Shuffle(len(ps), func(i, j int) { ps[i], ps[j] = ps[j], ps[i] })
		roots := &scanRoots{base: root, roots: []string{"."}, paths: ps}
		sfs, err := roots.fs()
		if err != nil {
			t.Fatal(err)
		}
		defer sfs.Close()
		eng, err := policies.New(context.Background(), policies.Options{})
		if err != nil {
			t.Fatal(err)
		}
		rep, err := scan(context.Background(), eng, &shuffledFS{FS: sfs, rnd: rnd}, ps, parser.Options{SharedCacheBytes: shared}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Findings) < 50 || rep.Resources < 100 {
			t.Fatalf("the examples gave %d findings on %d resources", len(rep.Findings), rep.Resources)
		}
		return writeAll(t, rep)
	}
	want := scanOnce(1, 0, 0)
	runs := 0
	for _, procs := range []int{1, 2, 4} {
		for seed := int64(1); seed <= 4; seed++ {
			shared := int64(0) // one cache for the examples (small)
			if seed%2 == 0 {
				shared = -1 // a cache per group of roots
			}
			got := scanOnce(procs, seed*int64(procs), shared)
			runs++
			if !bytes.Equal(got, want) {
				t.Fatalf("GOMAXPROCS %d, seed %d, SharedCacheBytes %d: the report differs from the first scan's:\n%s", procs, seed, shared, firstDiff(want, got))
			}
		}
	}
	t.Logf("%d scans, each %d bytes of output", runs+1, len(want))
}

// firstDiff shows where two outputs part.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("at byte %d:\n%s\n---\n%s", i, a[from:min(len(a), i+200)], b[from:min(len(b), i+200)])
}

// A streamed scan keeps the sources its report names, and the digest of
// every file read.
func TestScanKeepsOnlyTheSourcesItNames(t *testing.T) {
	root, err := filepath.Abs(filepath.Join(repo, "examples"))
	if err != nil {
		t.Fatal(err)
	}
	roots := &scanRoots{base: root, roots: []string{"."}, paths: []string{"."}}
	sfs, err := roots.fs()
	if err != nil {
		t.Fatal(err)
	}
	defer sfs.Close()
	eng, err := policies.New(context.Background(), policies.Options{})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := scan(context.Background(), eng, sfs, []string{"."}, parser.Options{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	graphs, _, err := parser.Load(context.Background(), sfs, []string{"."}, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, f := range rep.Findings {
		named[f.Location.Range.File] = true
		for _, o := range f.Location.Related {
			named[o.Range.File] = true
		}
	}
	for _, ig := range rep.Ignores {
		named[ig.Range.File] = true
	}
	for _, d := range rep.Diagnostics {
		named[d.Range.File] = true
	}
	read := map[string]bool{}
	for _, g := range graphs {
		for f := range g.Sources {
			read[f] = true
			if _, ok := rep.Files[f]; !ok {
				t.Errorf("%s was read but has no digest", f)
			}
			_, kept := rep.Sources[f]
			if plan := g.Format == graph.FormatTerraformPlan && f == g.Root; named[f] && !kept && !plan {
				t.Errorf("%s is named by the report but its source was dropped", f)
			}
		}
	}
	for f := range rep.Sources {
		if !named[f] {
			// Blocks name a file too.
			found := false
			for _, x := range rep.Findings {
				for _, b := range x.Blocks {
					found = found || b.File == f
				}
			}
			if !found {
				t.Errorf("%s is kept but nothing in the report names it", f)
			}
		}
	}
	if len(rep.Files) != len(read) || len(rep.Sources) == 0 || len(rep.Sources) >= len(read) {
		t.Errorf("%d digests and %d sources kept of %d files read", len(rep.Files), len(rep.Sources), len(read))
	}
}
