package cloudformation

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/internal/golden"
)

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
			golden.CheckString(t, file+".golden", got)
		})
	}
}
