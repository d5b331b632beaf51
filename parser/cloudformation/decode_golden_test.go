package cloudformation

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var decodeUpdate = flag.Bool("decode.update", false, "rewrite the .golden files of testdata/decode")

// TestDecodeGolden decodes each template of testdata/decode and compares
// the tree (every node with its range and the source text the range
// covers) and the diagnostics with the file's .golden.
func TestDecodeGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/decode/*")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		ext := filepath.Ext(file)
		if ext != ".yaml" && ext != ".json" {
			continue
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			n, diags := Decode("t", src)
			got := decodeDump(src, n)
			for _, d := range diags {
				got += d.String() + "\n"
			}
			isYAML := ext == ".yaml"
			for _, p := range decodeCheckRanges("t", src, n, isYAML, !strings.Contains(string(src), "*")) {
				t.Error(p)
			}
			golden := strings.TrimSuffix(file, ext) + ext + ".golden"
			if *decodeUpdate {
				if err := os.WriteFile(golden, []byte(got), 0o600); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("decoded tree differs from %s (go test -run TestDecodeGolden -decode.update to rewrite):\n%s", golden, got)
			}
		})
	}
}
