package main

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/policies"
)

func benchScan(b *testing.B, root string, paths []string) {
	b.Helper()
	ctx := context.Background()
	eng, err := policies.New(ctx, policies.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		roots := &scanRoots{base: root, roots: []string{"."}, paths: paths}
		fsys, err := roots.fs()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := scan(ctx, eng, fsys, roots.paths, parser.Options{}, nil); err != nil {
			b.Fatal(err)
		}
		_ = fsys.Close()
	}
}

// BenchmarkScanExamples is a whole scan (load, evaluate, resolve) of examples/.
func BenchmarkScanExamples(b *testing.B) {
	root, _ := filepath.Abs(repo)
	benchScan(b, root, []string{"examples"})
}

// BenchmarkScanCorpus is a whole scan of ../shared/corpus/terraform.
func BenchmarkScanCorpus(b *testing.B) {
	root, _ := filepath.Abs(filepath.Join(repo, "..", "shared", "corpus", "terraform"))
	if _, err := os.Stat(root); err != nil {
		b.Skip("corpus not present:", err)
	}
	benchScan(b, root, []string{"."})
}

// BenchmarkEngineCompile is the policy compilation every process pays once.
func BenchmarkEngineCompile(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policies.New(context.Background(), policies.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanTree is a whole scan of the directory PORTCULLIS_BENCH_TREE
// (a fleet of copies of the corpus, say); skipped without it.
func BenchmarkScanTree(b *testing.B) {
	root := os.Getenv("PORTCULLIS_BENCH_TREE")
	if root == "" {
		b.Skip("PORTCULLIS_BENCH_TREE is not set")
	}
	benchScan(b, root, []string{"."})
}
