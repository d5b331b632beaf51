package cloudformation

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"runtime/debug"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// MaxTemplateSize bounds the size of a template file that Load reads
// (CloudFormation's own limit is 1 MB for a template uploaded to S3). A
// larger file is an error diagnostic, never passed over.
const MaxTemplateSize = 16 << 20

// errTooLarge is the error of a read stopped at MaxTemplateSize.
var errTooLarge = fmt.Errorf("the file is larger than the %d byte limit for a template", MaxTemplateSize)

// Load reads, decodes and evaluates the template file of fsys into a graph
// (Format cloudformation, Root file), as LoadSource does for a file the
// user named: a file that is not a template gets an error diagnostic. It
// never returns nil and never panics: problems are diagnostics on the
// graph. Only regular files are read, and at most MaxTemplateSize+1 bytes
// of them, whatever their size says.
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
	src, err := readBounded(fsys, file, MaxTemplateSize)
	if err != nil {
		g := &graph.Graph{Format: graph.FormatCloudFormation, Root: file, Files: []string{file}, Sources: map[string][]byte{}}
		g.Diagnostics = []graph.Diagnostic{{Severity: graph.SeverityError, Summary: "cannot read the template", Detail: err.Error(),
			Range: graph.Range{File: file, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}}}}
		return g
	}
	return LoadSource(file, src, true, opts)
}

// readBounded reads the regular file name of fsys, failing when it holds
// more than limit bytes (counted while reading, not trusted to its size).
func readBounded(fsys fs.FS, name string, limit int64) ([]byte, error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	src, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > limit {
		return nil, errTooLarge
	}
	return src, nil
}
