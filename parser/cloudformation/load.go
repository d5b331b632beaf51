package cloudformation

import (
	"io/fs"
	"path"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// MaxTemplateSize bounds the size of a template file read from a file
// system (CloudFormation's own limit is 1 MB for a template uploaded to
// S3). The read stops there, whatever the file's size says.
const MaxTemplateSize = 16 << 20

// Load reads the template file of fsys (at most MaxTemplateSize bytes, a
// regular file only) and decodes and evaluates it into a graph (Format
// cloudformation, Root file), as for a file the user named: a file that is
// not a template, or cannot be read, gets an error diagnostic. It never
// returns nil and never panics.
func Load(fsys fs.FS, file string, opts Options) *graph.Graph {
	return Format{Options: opts}.Load(fsys, path.Clean(file), true)
}
