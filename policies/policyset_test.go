package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
)

func mustHash(t *testing.T, srcs ...Source) string {
	t.Helper()
	h, err := PolicySetHash(srcs)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestPolicySetHashEncoding(t *testing.T) {
	builtin := fstest.MapFS{
		"lib/b.rego":      {Data: []byte("package lib.b\n")},
		"lib/a_test.rego": {Data: []byte("package lib.a_test\n")},
		"aws/x.rego":      {Data: []byte("package aws.x\n")},
		"lib.rego":        {Data: []byte("package lib\n")},
		"README.md":       {Data: []byte("not a policy")},
	}
	user := fstest.MapFS{"net.rego": {Data: []byte("package acme\n")}}
	// The bytes hashed, written out by hand: sources in order, files sorted
	// by their full path (lib.rego before lib/b.rego, not in the order of a
	// walk), tests and non-Rego files left out.
	want := sha256.Sum256([]byte("source 0 builtin\n" +
		"file 10:aws/x.rego 14\npackage aws.x\n" +
		"file 8:lib.rego 12\npackage lib\n" +
		"file 10:lib/b.rego 14\npackage lib.b\n" +
		"source 1 user\n" +
		"file 8:net.rego 13\npackage acme\n"))
	withBuiltin(t, builtin, func() {
		if got := mustHash(t, Source{Name: "/any/where", FS: user}); got != "sha256:"+hex.EncodeToString(want[:]) {
			t.Errorf("PolicySetHash = %s, want sha256:%x", got, want)
		}
	})
}

func TestPolicySetHashChanges(t *testing.T) {
	withBuiltin(t, fstest.MapFS{"lib/a.rego": {Data: []byte("package lib.a\n")}}, func() {
		base := fstest.MapFS{
			"net.rego":      {Data: []byte("package acme.net\n")},
			"net_test.rego": {Data: []byte("package acme.net_test\n")},
		}
		h0 := mustHash(t, Source{Name: "p", FS: base})
		if h := mustHash(t, Source{Name: "p", FS: base}); h != h0 {
			t.Fatalf("two hashes of the same files differ: %s, %s", h0, h)
		}
		if h := mustHash(t, Source{Name: "elsewhere/p", FS: base}); h != h0 {
			t.Errorf("the directory's name changed the hash: %s, %s", h0, h)
		}
		if h := mustHash(t); h == h0 {
			t.Errorf("the built-in set alone hashes as with a user policy: %s", h)
		}
		variants := map[string]fstest.MapFS{
			"content edited": {"net.rego": {Data: []byte("package acme.net \n")}, "net_test.rego": base["net_test.rego"]},
			"file renamed":   {"net2.rego": base["net.rego"], "net_test.rego": base["net_test.rego"]},
			"file added":     {"net.rego": base["net.rego"], "net_test.rego": base["net_test.rego"], "z.rego": {Data: []byte("package z\n")}},
			"file moved":     {"sub/net.rego": base["net.rego"], "net_test.rego": base["net_test.rego"]},
		}
		for name, fsys := range variants {
			if h := mustHash(t, Source{Name: "p", FS: fsys}); h == h0 {
				t.Errorf("%s: hash unchanged", name)
			}
		}
		// A test file does not change what runs.
		onlyTest := fstest.MapFS{"net.rego": base["net.rego"], "net_test.rego": {Data: []byte("package acme.other_test\n")}}
		if h := mustHash(t, Source{Name: "p", FS: onlyTest}); h != h0 {
			t.Errorf("editing a _test.rego file changed the hash")
		}
		// The same files split differently over two sources are another set.
		a := fstest.MapFS{"a.rego": {Data: []byte("package a\n")}}
		b := fstest.MapFS{"b.rego": {Data: []byte("package b\n")}}
		ab := fstest.MapFS{"a.rego": a["a.rego"], "b.rego": b["b.rego"]}
		if mustHash(t, Source{Name: "x", FS: a}, Source{Name: "y", FS: b}) == mustHash(t, Source{Name: "x", FS: ab}) {
			t.Errorf("two sources hash as one holding both")
		}
	})
}

func TestPolicySetHashUnreadable(t *testing.T) {
	bad := fstest.MapFS{"d": {Mode: fs.ModeDir}, "d/x.rego": {Data: []byte("package x\n")}}
	_, err := PolicySetHash([]Source{{Name: "pol", FS: errFS{fsys: bad}}})
	if err == nil || !strings.Contains(err.Error(), "hashing the policies of pol: ") || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v, want hashing the policies of pol: ... permission denied", err)
	}
}

// errFS lists its directories but opens no Rego file.
type errFS struct{ fsys fs.FS }

func (f errFS) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".rego") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return f.fsys.Open(name)
}

func TestBuiltinPolicySetHash(t *testing.T) {
	h := BuiltinPolicySetHash()
	if len(h) != len("sha256:")+64 || !strings.HasPrefix(h, "sha256:") {
		t.Fatalf("BuiltinPolicySetHash = %q, want sha256: and 64 hex digits", h)
	}
	if h2 := BuiltinPolicySetHash(); h2 != h {
		t.Errorf("two calls differ: %s, %s", h, h2)
	}
	if h2 := mustHash(t); h2 != h {
		t.Errorf("PolicySetHash(nil) = %s, BuiltinPolicySetHash = %s", h2, h)
	}
	// Every embedded rule file counts: dropping one changes the hash.
	files, err := policyFiles(BuiltinSource())
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 20 {
		t.Fatalf("%d built-in policy files, want the whole library", len(files))
	}
	less := fstest.MapFS{}
	for _, f := range files[1:] {
		less[f.path] = &fstest.MapFile{Data: f.data}
	}
	withBuiltin(t, less, func() {
		if h2 := mustHash(t); h2 == h {
			t.Errorf("dropping %s left the hash unchanged", files[0].path)
		}
	})
}
