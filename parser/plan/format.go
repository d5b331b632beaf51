package plan

import (
	"errors"
	"io/fs"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Format is Terraform plan JSON as one of parser.Load's file formats.
type Format struct {
	Options Options
}

// Candidate reports whether a file found while walking may be a plan: by
// its name (IsPlanName); its content decides when it is loaded.
func (Format) Candidate(name string) bool {
	return IsPlanName(name) && !strings.HasSuffix(name, ".tf.json")
}

// Load loads name as a plan; nil when it is not one (Detect). A file with
// a plan's name that cannot be read (not a regular file, larger than
// MaxFileSize, not readable) gives a graph with an error: it may be a plan.
func (f Format) Load(fsys fs.FS, name string, explicit bool) *graph.Graph {
	ok, err := detect(fsys, name, explicit)
	if !ok && (err == nil || errors.Is(err, fs.ErrNotExist) || !IsPlanName(name)) {
		return nil
	}
	return Load(fsys, name, f.Options)
}
