package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"testing/fstest"
)

// tree makes base/{repo/..., outside/secret.txt} and returns base.
func tree(t *testing.T) string {
	t.Helper()
	base := t.TempDir()
	write := func(name, content string) {
		p := filepath.Join(base, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("outside/secret.txt", "TOPSECRET")
	write("repo/main.tf", "resource \"x\" \"y\" {}\n")
	write("repo/modules/m/main.tf", "")
	write("repo/.git/config", "[remote] url = https://token@example.com\n")
	write("repo/big.tf", strings.Repeat("x", 100))
	link := func(target, name string) {
		if err := os.Symlink(target, filepath.Join(base, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	link("../outside/secret.txt", "repo/leak.tfvars")
	link(filepath.Join(base, "outside"), "repo/outdir")
	link("modules/m", "repo/inlink")
	link("/dev/zero", "repo/zero.tf")
	link(".git/config", "repo/gitlink.tf")
	link("main.tf", "repo/alias.tf")
	if err := syscall.Mkfifo(filepath.Join(base, "repo", "fifo.tf"), 0o644); err != nil {
		t.Fatal(err)
	}
	return base
}

func TestConfinement(t *testing.T) {
	base := tree(t)
	f, err := New(filepath.Join(base, "repo"), nil, Options{MaxFileSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	cases := []struct {
		name string
		want error // nil: readable
	}{
		{"main.tf", nil},
		{"alias.tf", nil},       // a link that stays inside
		{"inlink/main.tf", nil}, // a directory link that stays inside
		{"leak.tfvars", ErrOutsideRoot},
		{"outdir/secret.txt", ErrOutsideRoot},
		{"zero.tf", ErrOutsideRoot},
		{"gitlink.tf", ErrHidden},
		{".git/config", ErrHidden},
		{".GIT/config", ErrHidden}, // one directory on a case-insensitive file system
		{".git./config", ErrHidden},
		{"GIT~1/config", ErrHidden},
		{"modules/../.git/config", fs.ErrInvalid}, // not a clean fs path
		{"../outside/secret.txt", fs.ErrInvalid},
		{"fifo.tf", ErrNotRegular},
		{"big.tf", ErrTooLarge},
		{"absent.tf", fs.ErrNotExist},
	}
	for _, c := range cases {
		b, err := f.ReadFile(c.name)
		if c.want == nil {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want %v", c.name, err, c.want)
		}
		if strings.Contains(string(b), "TOPSECRET") || (err != nil && strings.Contains(err.Error(), base)) {
			t.Errorf("%s: leaked content or an absolute path: %q %v", c.name, b, err)
		}
	}
	// Stat follows the same rules: the size of /dev/zero or of a file
	// outside is never reported.
	if _, err := f.Stat("zero.tf"); !errors.Is(err, ErrOutsideRoot) {
		t.Errorf("stat zero.tf: %v", err)
	}
	if info, err := f.Stat("fifo.tf"); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("stat fifo.tf: %v %v", info, err)
	}
	if info, err := f.Lstat("leak.tfvars"); err != nil || info.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("lstat leak.tfvars: %v %v", info, err)
	}
	if got, err := f.Resolve("inlink/main.tf"); err != nil || got != "modules/m/main.tf" {
		t.Errorf("Resolve inlink/main.tf: %q %v", got, err)
	}
	if _, err := f.Resolve("leak.tfvars"); !errors.Is(err, ErrOutsideRoot) {
		t.Errorf("Resolve leak.tfvars: %v", err)
	}
	entries, err := f.ReadDir(".")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != ".git alias.tf big.tf fifo.tf gitlink.tf inlink leak.tfvars main.tf modules outdir zero.tf" {
		t.Errorf("ReadDir: %s", got)
	}
	if _, err := f.ReadDir(".git"); !errors.Is(err, ErrHidden) {
		t.Errorf("ReadDir .git: %v", err)
	}
}

func TestExactLimitIsReadable(t *testing.T) {
	base := tree(t)
	f, err := New(filepath.Join(base, "repo"), nil, Options{MaxFileSize: 100})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := f.ReadFile("big.tf")
	if err != nil || len(b) != 100 {
		t.Fatalf("a file of exactly the limit: %d bytes, %v", len(b), err)
	}
}

func TestSeveralRoots(t *testing.T) {
	base := tree(t)
	if err := os.MkdirAll(filepath.Join(base, "other"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(base, "other", "a.tf"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := New(base, []string{"repo/modules", "other"}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.ReadFile("repo/modules/m/main.tf"); err != nil {
		t.Error(err)
	}
	if _, err := f.ReadFile("other/a.tf"); err != nil {
		t.Error(err)
	}
	for _, name := range []string{"repo/main.tf", "outside/secret.txt", "."} {
		if _, err := f.Open(name); !errors.Is(err, ErrOutsideRoot) {
			t.Errorf("%s: got %v, want outside the root", name, err)
		}
	}
}

func TestIsAnFS(t *testing.T) {
	base := t.TempDir()
	for _, n := range []string{"a.tf", "d/b.tf"} {
		p := filepath.Join(base, n)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	f, err := New(base, nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := fstest.TestFS(f, "a.tf", "d/b.tf"); err != nil {
		t.Fatal(err)
	}
}
