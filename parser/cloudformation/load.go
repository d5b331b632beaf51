package cloudformation

import (
	"fmt"
	"io/fs"
	"path"
	"runtime/debug"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// MaxTemplateSize bounds the size of a template file (CloudFormation's own
// limit is 1 MB for a template uploaded to S3).
const MaxTemplateSize = 16 << 20

// Load reads, decodes and evaluates the template file of fsys into a graph
// (Format cloudformation, Root file). It never returns nil and never
// panics: problems are diagnostics on the graph. The caller decides that
// file is a template (IsTemplate) before loading it.
func Load(fsys fs.FS, file string, opts Options) (g *graph.Graph) {
	file = path.Clean(file)
	defer func() {
		if r := recover(); r != nil {
			if g == nil {
				g = &graph.Graph{Format: graph.FormatCloudFormation, Root: file, Files: []string{file}, Sources: map[string][]byte{}}
			}
			g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  "internal error while loading the template; please report it",
				Detail:   fmt.Sprintf("%v\n%s", r, debug.Stack()),
				Range:    graph.Range{File: file},
			})
		}
	}()
	fail := func(detail string) *graph.Graph {
		g := &graph.Graph{Format: graph.FormatCloudFormation, Root: file, Files: []string{file}, Sources: map[string][]byte{}}
		g.Diagnostics = []graph.Diagnostic{{Severity: graph.SeverityError, Summary: "cannot read the template", Detail: detail,
			Range: graph.Range{File: file, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}}}}
		return g
	}
	if info, err := fs.Stat(fsys, file); err != nil {
		return fail(err.Error())
	} else if info.Size() > MaxTemplateSize {
		return fail(fmt.Sprintf("file is %d bytes, larger than the %d byte limit", info.Size(), MaxTemplateSize))
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return fail(err.Error())
	}
	root, diags := Decode(file, src)
	g = LoadTemplate(file, root, src, opts)
	if len(diags) > 0 {
		g.Diagnostics = append(diags, g.Diagnostics...)
		graph.SortDiagnostics(g.Diagnostics)
	}
	return g
}
