package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"
)

// PolicySetHash identifies the policies a run evaluates: "sha256:" and the
// hex SHA-256 of the built-in policy files followed by those of each user
// source in order. Within a source the files are taken sorted by their path
// inside it; the hash covers each file's path and content, so a renamed,
// added, removed or edited policy changes it. A source's name (the
// --policy-dir as typed) is left out: the same policies give the same hash
// wherever the directory is. Only the files an Engine loads count: .rego
// files, not their _test.rego tests.
//
// Two reports with the same hash were checked against the same rules (the
// --enable-rule and --disable-rule choices aside); a baseline or an
// exception reviewed under one hash may need another look under another.
func PolicySetHash(sources []Source) (string, error) {
	h := sha256.New()
	all := append([]Source{BuiltinSource()}, sources...)
	for i, src := range all {
		kind := "user"
		if src.Builtin {
			kind = "builtin"
		}
		// Every field is length-prefixed, so no two different sets
		// of files can write the same bytes.
		fmt.Fprintf(h, "source %d %s\n", i, kind)
		files, err := policyFiles(src)
		if err != nil {
			return "", err
		}
		for _, f := range files {
			fmt.Fprintf(h, "file %d:%s %d\n", len(f.path), f.path, len(f.data))
			h.Write(f.data)
		}
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}

// BuiltinPolicySetHash is PolicySetHash of the built-in policies alone, the
// policy set of a run without --policy-dir.
func BuiltinPolicySetHash() string {
	s, err := PolicySetHash(nil)
	if err != nil {
		// The embedded files are part of the binary: reading them
		// cannot fail.
		panic("policies: hashing the built-in policies: " + err.Error())
	}
	return s
}

type policyFile struct {
	path string
	data []byte
}

// policyFiles reads the files of src that readSources gives an Engine,
// sorted by path (fs.WalkDir walks in lexical order within a directory,
// which is not the order of full paths: "a/b.rego" and "a.rego").
func policyFiles(src Source) ([]policyFile, error) {
	var files []policyFile
	err := walkPolicyFiles(src, func(rel string, b []byte) error {
		files = append(files, policyFile{path: rel, data: b})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("hashing the policies of %s: %w", src.Name, err)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].path < files[j].path })
	return files, nil
}
