package cloudformation

import (
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// Format is CloudFormation templates as one of parser.Load's file formats.
type Format struct {
	Options Options
}

// Candidate reports whether a file found while walking may be a template,
// by its extension; its content decides when it is loaded (Detect).
func (Format) Candidate(name string) bool {
	switch strings.ToLower(path.Ext(name)) {
	case ".json", ".yaml", ".yml", ".template", ".cfn":
		return !strings.HasSuffix(name, ".tf.json") && !strings.HasSuffix(name, ".tofu.json")
	}
	return false
}

// Load reads name, at most MaxTemplateSize bytes, and loads it as a
// template (LoadSource). A file found while walking (explicit false) that
// is not a template gives nil; one the user named, or a nested stack's,
// gives a diagnostic. A file found while walking that is larger than the
// limit gives a warning, not an error: CloudFormation accepts templates of
// at most 1 MB, so such a file cannot be one that deploys.
func (f Format) Load(fsys fs.FS, name string, explicit bool) *graph.Graph {
	src, err := safefs.ReadFile(fsys, name, MaxTemplateSize)
	if err != nil {
		sev, summary, detail := graph.SeverityError, "cannot read template", safefs.Cause(err).Error()
		if errors.Is(err, safefs.ErrTooLarge) && !explicit {
			sev, summary = graph.SeverityWarning, "file not examined"
			detail = fmt.Sprintf("larger than the %d MiB limit for templates (CloudFormation itself accepts at most 1 MB): if it is a template, it cannot deploy",
				MaxTemplateSize>>20)
		}
		return &graph.Graph{Format: graph.FormatCloudFormation, Root: name, Files: []string{name}, Sources: map[string][]byte{},
			Diagnostics: []graph.Diagnostic{{Severity: sev, Summary: summary, Detail: detail,
				Range: graph.Range{File: name, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}}}}}
	}
	return LoadSource(name, src, explicit, f.Options)
}

// Follow returns the local templates that g's nested stacks name: they are
// loaded as templates too.
func (Format) Follow(g *graph.Graph) []string { return NestedTemplates(g) }
