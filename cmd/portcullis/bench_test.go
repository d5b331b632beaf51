package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/policies"
)

func benchScan(b *testing.B, root string, paths []string) {
	b.Helper()
	benchScanWith(b, root, paths, parser.Options{})
}

func benchScanWith(b *testing.B, root string, paths []string, opts parser.Options) {
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
		if _, err := scan(ctx, eng, fsys, roots.paths, opts, nil); err != nil {
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

// BenchmarkScanCorpusGroupCaches is BenchmarkScanCorpus with a cache of
// parsed modules per group of roots, as a monorepo is scanned.
func BenchmarkScanCorpusGroupCaches(b *testing.B) {
	root, _ := filepath.Abs(filepath.Join(repo, "..", "shared", "corpus", "terraform"))
	if _, err := os.Stat(root); err != nil {
		b.Skip("corpus not present:", err)
	}
	benchScanWith(b, root, []string{"."}, parser.Options{SharedCacheBytes: -1})
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

// writeBigRoot writes one Terraform root of n resources into dir, in files
// of 1,000: security groups with an open inline ingress block, rules on
// them, instances in them and buckets (the same as scripts/bench writes).
func writeBigRoot(tb testing.TB, dir string, n int) {
	tb.Helper()
	const per = 1000
	for f := 0; f*per < n; f++ {
		var b strings.Builder
		for k := f * per; k < min(n, (f+1)*per); k++ {
			i := k / 4
			switch k % 4 {
			case 0:
				fmt.Fprintf(&b, "resource \"aws_security_group\" \"g%d\" {\n  name        = \"g%d\"\n  description = \"web\"\n  vpc_id      = \"vpc-1\"\n  ingress {\n    description = \"https\"\n    protocol    = \"tcp\"\n    from_port   = 443\n    to_port     = 443\n    cidr_blocks = [\"0.0.0.0/0\"]\n  }\n}\n", i, i)
			case 1:
				fmt.Fprintf(&b, "resource \"aws_security_group_rule\" \"r%d\" {\n  description       = \"db\"\n  type              = \"ingress\"\n  protocol          = \"tcp\"\n  from_port         = 5432\n  to_port           = 5432\n  cidr_blocks       = [\"10.0.0.0/8\"]\n  security_group_id = aws_security_group.g%d.id\n}\n", i, i)
			case 2:
				fmt.Fprintf(&b, "resource \"aws_instance\" \"i%d\" {\n  ami                    = \"ami-1\"\n  instance_type          = \"t3.micro\"\n  vpc_security_group_ids = [aws_security_group.g%d.id]\n}\n", i, i)
			default:
				fmt.Fprintf(&b, "resource \"aws_s3_bucket\" \"b%d\" {\n  bucket = \"b%d\"\n}\n", i, i)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("r%03d.tf", f)), []byte(b.String()), 0o600); err != nil {
			tb.Fatal(err)
		}
	}
}

func benchBigRoot(b *testing.B, n int) {
	dir := b.TempDir()
	writeBigRoot(b, dir, n)
	benchScan(b, dir, []string{"."})
}

// One root of n resources: the time should grow linearly with n.
func BenchmarkScanRoot10k(b *testing.B)  { benchBigRoot(b, 10_000) }
func BenchmarkScanRoot40k(b *testing.B)  { benchBigRoot(b, 40_000) }
func BenchmarkScanRoot100k(b *testing.B) { benchBigRoot(b, 100_000) }
