package terraform

import (
	"io/fs"
	"os"
	"path"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// TestFindLocalCalls checks the token reading against the parser's on
// every shape it reads and every shape it must leave to the parser.
func TestFindLocalCalls(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  []string
		lexed bool // read from tokens, not parsed
	}{
		{"plain", map[string]string{"main.tf": `
module "a" {
  source = "./a"
  count  = var.on ? 1 : 0
  rules  = { x = { source = "./not-a-call" } }
}
module b {
  # a comment
  source = "../b" # and another
}
module "remote" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "~> 5.0"
}
module "one" { source = "./one" }
resource "aws_s3_bucket" "x" {
  bucket = <<EOT
module "heredoc" {
  source = "./no"
}
EOT
}
`}, []string{"b", "m/a", "m/one"}, true},
		{"module in comments", map[string]string{"main.tf": "# module \"a\" {\n/* module \"b\" {\n  source = \"./b\"\n} */\nresource \"x\" \"y\" {\n  module = \"./c\"\n}\n"}, nil, true},
		{"no module word", map[string]string{"main.tf": `resource "a" "b" {}` + "\n"}, nil, true},
		{"module word elsewhere", map[string]string{"main.tf": "variable \"x\" {\n  description = \"the module's name\"\n}\nlocals {\n  module = \"./x\"\n}\n"}, nil, true},
		{"several files", map[string]string{"a.tf": "module \"a\" {\n  source = \"./a\"\n}\n", "b.tf": "module \"b\" {\n  source = \"./b\"\n}\n"}, []string{"m/a", "m/b"}, true},
		{"escape in source", map[string]string{"main.tf": "module \"a\" {\n  source = \"./\\u0061\"\n}\n"}, []string{"m/a"}, false},
		{"template in source", map[string]string{"main.tf": "module \"a\" {\n  source = \"${\"./a\"}\"\n}\n"}, []string{"m/a"}, false},
		{"two sources", map[string]string{"main.tf": "module \"a\" {\n  source = \"./a\"\n  source = \"./b\"\n}\n"}, []string{"m/a"}, false},
		{"duplicate call", map[string]string{"a.tf": "module \"a\" {\n  source = \"./a\"\n}\n", "b.tf": "module \"a\" {\n  source = \"./b\"\n}\n"}, []string{"m/a"}, false},
		{"override", map[string]string{"main.tf": "module \"a\" {\n  source = \"./a\"\n}\n", "main_override.tf": "module \"a\" {\n  source = \"./b\"\n}\n"}, []string{"m/b"}, false},
		{"json", map[string]string{"main.tf.json": `{"module": {"a": {"source": "./a"}}}`}, []string{"m/a"}, false},
		{"two labels", map[string]string{"main.tf": "module \"a\" \"b\" {\n  source = \"./a\"\n}\n"}, nil, false},
		{"unbalanced", map[string]string{"main.tf": "module \"a\" {\n  source = \"./a\"\n"}, []string{"m/a"}, false},
		{"opentofu", map[string]string{"main.tf": "module \"a\" {\n  source = \"./a\"\n}\n", "main.tofu": "module \"a\" {\n  source = \"./t\"\n}\n"}, []string{"m/a", "m/t"}, true},
		{"outside", map[string]string{"main.tf": "module \"a\" {\n  source = \"../../../up\"\n}\n"}, nil, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, text := range tc.files {
				fsys["m/"+name] = &fstest.MapFile{Data: []byte(text)}
			}
			want := tc.want
			parsed := NewCache().LocalCalls(fsys, "m")
			if !reflect.DeepEqual(parsed, want) {
				t.Fatalf("the parser reads %q, the test wants %q", parsed, want)
			}
			if got := FindLocalCalls(fsys, "m"); !reflect.DeepEqual(got, want) {
				t.Errorf("FindLocalCalls = %q, want %q", got, want)
			}
			_, ok := lexLocalCalls(fsys, "m")
			if ok != tc.lexed {
				t.Errorf("read from tokens: %t, want %t", ok, tc.lexed)
			}
		})
	}
}

// TestFindLocalCallsOnTheCorpus compares the token reading with the
// parser's on every module directory of the corpus.
func TestFindLocalCallsOnTheCorpus(t *testing.T) {
	if _, err := os.Stat(registryCorpus); err != nil {
		t.Skip("the corpus is not present:", err)
	}
	fsys := os.DirFS(registryCorpus)
	dirs := map[string]bool{}
	if err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".terraform" {
			return fs.SkipDir
		}
		if !d.IsDir() && (strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")) {
			dirs[path.Dir(name)] = true
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lexed := 0
	for dir := range dirs {
		want := NewCache().LocalCalls(fsys, dir)
		if got := FindLocalCalls(fsys, dir); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: FindLocalCalls = %q, the parser reads %q", dir, got, want)
		}
		if _, ok := lexLocalCalls(fsys, dir); ok {
			lexed++
		}
	}
	t.Logf("%d of %d directories read from tokens", lexed, len(dirs))
	if lexed < len(dirs)*9/10 {
		t.Errorf("only %d of %d directories read from tokens", lexed, len(dirs))
	}
}

// BenchmarkFindLocalCalls times finding the calls of every corpus
// directory from tokens (FindLocalCalls) and by parsing (LocalCalls).
func BenchmarkFindLocalCalls(b *testing.B) {
	if _, err := os.Stat(registryCorpus); err != nil {
		b.Skip("the corpus is not present:", err)
	}
	fsys := os.DirFS(registryCorpus)
	var dirs []string
	_ = fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(name, "/main.tf") {
			dirs = append(dirs, path.Dir(name))
		}
		return nil
	})
	b.Run("tokens", func(b *testing.B) {
		for b.Loop() {
			for _, d := range dirs {
				FindLocalCalls(fsys, d)
			}
		}
	})
	b.Run("parsed", func(b *testing.B) {
		for b.Loop() {
			for _, d := range dirs {
				NewCache().LocalCalls(fsys, d)
			}
		}
	})
}

// FuzzFindLocalCalls requires the token reading to agree with the parser
// on every file the parser reads without an error (on others the scan
// fails on the syntax error, and only then may the two differ).
func FuzzFindLocalCalls(f *testing.F) {
	for _, s := range []string{
		"module \"a\" {\n  source = \"./a\"\n}\n",
		"module a { source = \"../b\" }\n",
		"module \"a\" {\n  source = \"./a\" # c\n  for_each = { x = \"./y\" }\n}\n",
		"resource \"x\" \"y\" {\n  v = <<EOT\nmodule \"h\" {\n  source = \"./h\"\n}\nEOT\n}\n",
		"module \"a\" {\n  source = \"./${var.x}\"\n}\n",
		"locals {\n  module = { source = \"./a\" }\n}\n",
		"/* module \"a\" { */\nmodule \"b\" {\n  source = \"./b\"\n}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		fsys := fstest.MapFS{"m/main.tf": &fstest.MapFile{Data: []byte(src)}}
		c := NewCache()
		cfg := c.module(fsys, "m", readTerraform)
		for _, d := range cfg.diags {
			if d.Severity == graph.SeverityError {
				return
			}
		}
		want := c.LocalCalls(fsys, "m")
		if got := FindLocalCalls(fsys, "m"); !reflect.DeepEqual(got, want) {
			t.Errorf("FindLocalCalls = %q, the parser reads %q", got, want)
		}
	})
}
