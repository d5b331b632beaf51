package terraform

import (
	"fmt"
	"io/fs"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// MaxFileSize bounds the size of a single configuration file.
const MaxFileSize = 8 << 20

// moduleConfig is the shallow decode of one module directory: the top-level
// blocks with their bodies kept for on-demand evaluation.
type moduleConfig struct {
	dir       string
	files     []string // relative paths, sorted
	sources   map[string][]byte
	variables map[string]*variableConfig
	locals    map[string]*hcl.Attribute
	outputs   map[string]*hcl.Attribute
	calls     map[string]*moduleCall
	resources []*resourceConfig
	byAddr    map[string]*resourceConfig // "aws_x.n" and "data.aws_x.n"
	diags     []graph.Diagnostic
	positions *positions
}

type variableConfig struct {
	name      string
	typ       cty.Type
	defaults  *typeexpr.Defaults
	hasType   bool
	def       hcl.Expression // nil when there is no default
	sensitive bool
	nullable  bool
	declRange hcl.Range
}

type moduleCall struct {
	name   string
	source string
	block  *hcl.Block
}

type resourceConfig struct {
	mode    string // managed | data
	typ     string
	name    string
	block   *hcl.Block
	count   hcl.Expression
	forEach hcl.Expression
}

func (r *resourceConfig) addr() string {
	if r.mode == "data" {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

var fileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "terraform"},
		{Type: "required_providers"},
		{Type: "provider", LabelNames: []string{"name"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "module", LabelNames: []string{"name"}},
		{Type: "resource", LabelNames: []string{"type", "name"}},
		{Type: "data", LabelNames: []string{"type", "name"}},
		{Type: "ephemeral", LabelNames: []string{"type", "name"}},
		{Type: "moved"},
		{Type: "import"},
		{Type: "removed"},
		{Type: "check", LabelNames: []string{"name"}},
	},
}

var variableSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"},
		{Name: "nullable"}, {Name: "ephemeral"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var resourceMetaSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "count"}, {Name: "for_each"}},
}

var moduleSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "source"}},
}

// isConfigFile reports whether name is a Terraform configuration file.
func isConfigFile(name string) bool {
	return strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json")
}

// IsModuleDir reports whether the directory entries contain Terraform files.
func IsModuleDir(entries []fs.DirEntry) bool {
	for _, e := range entries {
		if !e.IsDir() && isConfigFile(e.Name()) {
			return true
		}
	}
	return false
}

type parsedFile struct {
	name  string
	src   []byte
	file  *hcl.File
	diags hcl.Diagnostics
	err   error
}

// loadModuleConfig reads and shallow-decodes every configuration file of dir.
// Files are parsed in parallel; problems become diagnostics.
func loadModuleConfig(fsys fs.FS, dir string) *moduleConfig {
	m := &moduleConfig{
		dir:       dir,
		sources:   map[string][]byte{},
		variables: map[string]*variableConfig{},
		locals:    map[string]*hcl.Attribute{},
		outputs:   map[string]*hcl.Attribute{},
		calls:     map[string]*moduleCall{},
		byAddr:    map[string]*resourceConfig{},
	}
	m.positions = newPositions(m.sources)
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		m.diags = append(m.diags, graph.Diagnostic{Severity: graph.SeverityError,
			Summary: "cannot read module directory", Detail: err.Error(), Range: graph.Range{File: dir}})
		return m
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && isConfigFile(e.Name()) {
			names = append(names, path.Join(dir, e.Name()))
		}
	}
	sort.Strings(names)
	m.files = names

	parsed := make([]parsedFile, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, name := range names {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			parsed[i] = parseFile(fsys, name)
		}()
	}
	wg.Wait()

	// Override files are merged after the primary files, in lexical order.
	sort.SliceStable(parsed, func(i, j int) bool { return !isOverride(parsed[i].name) && isOverride(parsed[j].name) })
	for _, p := range parsed {
		if p.err != nil {
			m.diags = append(m.diags, graph.Diagnostic{Severity: graph.SeverityError,
				Summary: "cannot read file", Detail: p.err.Error(), Range: graph.Range{File: p.name}})
			continue
		}
		m.sources[p.name] = p.src
		m.addDiags(p.diags)
		if p.file == nil {
			continue
		}
		m.decodeFile(p.file, isOverride(p.name))
	}
	return m
}

func isOverride(name string) bool {
	base := path.Base(name)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".json"), ".tf")
	return base == "override" || strings.HasSuffix(base, "_override")
}

func parseFile(fsys fs.FS, name string) (p parsedFile) {
	p.name = name
	defer func() {
		if r := recover(); r != nil {
			p.file = nil
			p.diags = hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "internal error while parsing",
				Detail: fmt.Sprint(r), Subject: &hcl.Range{Filename: name, Start: hcl.InitialPos, End: hcl.InitialPos}}}
		}
	}()
	info, err := fs.Stat(fsys, name)
	if err != nil {
		p.err = err
		return p
	}
	if info.Size() > MaxFileSize {
		p.err = fmt.Errorf("file is %d bytes, larger than the %d byte limit", info.Size(), MaxFileSize)
		return p
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		p.err = err
		return p
	}
	p.src = src
	if strings.HasSuffix(name, ".json") {
		p.file, p.diags = hcljson.Parse(src, name)
	} else {
		p.file, p.diags = hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}
	return p
}

func (m *moduleConfig) addDiags(ds hcl.Diagnostics) {
	for _, d := range ds {
		m.diags = append(m.diags, m.positions.diagnostic(d))
	}
}

func (m *moduleConfig) decodeFile(f *hcl.File, override bool) {
	content, diags := f.Body.Content(fileSchema)
	m.addDiags(diags)
	if content == nil {
		return
	}
	for _, b := range content.Blocks {
		switch b.Type {
		case "variable":
			m.decodeVariable(b, override)
		case "locals":
			attrs, diags := b.Body.JustAttributes()
			m.addDiags(diags)
			for name, a := range attrs {
				if prev, ok := m.locals[name]; ok && !override {
					m.addDiags(hcl.Diagnostics{duplicate("local value", name, a.NameRange, prev.NameRange)})
					continue
				}
				m.locals[name] = a
			}
		case "output":
			attrs, diags := b.Body.JustAttributes()
			_ = diags // outputs may hold blocks such as precondition; their values are what matters
			if v, ok := attrs["value"]; ok {
				m.outputs[b.Labels[0]] = v
			}
		case "module":
			content, _, diags := b.Body.PartialContent(moduleSchema)
			m.addDiags(diags)
			call := &moduleCall{name: b.Labels[0], block: b}
			if a, ok := content.Attributes["source"]; ok {
				if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
					call.source = v.AsString()
				}
			}
			m.calls[call.name] = call
		case "resource", "data":
			mode := "managed"
			if b.Type == "data" {
				mode = "data"
			}
			m.decodeResource(mode, b, override)
		}
	}
}

func duplicate(what, name string, at, prev hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("duplicate %s %q", what, name),
		Detail:   fmt.Sprintf("%s %q was already declared at %s; this declaration is ignored", what, name, prev),
		Subject:  at.Ptr(),
	}
}

func (m *moduleConfig) decodeVariable(b *hcl.Block, override bool) {
	name := b.Labels[0]
	content, diags := b.Body.Content(variableSchema)
	m.addDiags(diags)
	v := &variableConfig{name: name, typ: cty.DynamicPseudoType, nullable: true, declRange: b.DefRange}
	if prev, ok := m.variables[name]; ok {
		if !override {
			m.addDiags(hcl.Diagnostics{duplicate("variable", name, b.DefRange, prev.declRange)})
			return
		}
		v = prev
	}
	if content == nil {
		m.variables[name] = v
		return
	}
	if a, ok := content.Attributes["type"]; ok {
		ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
		m.addDiags(diags)
		if !diags.HasErrors() {
			v.typ, v.defaults, v.hasType = ty, defaults, true
		}
	}
	if a, ok := content.Attributes["default"]; ok {
		v.def = a.Expr
	}
	if a, ok := content.Attributes["sensitive"]; ok {
		if val, d := a.Expr.Value(nil); !d.HasErrors() && val.Type() == cty.Bool && val.IsKnown() && !val.IsNull() {
			v.sensitive = val.True()
		}
	}
	if a, ok := content.Attributes["nullable"]; ok {
		if val, d := a.Expr.Value(nil); !d.HasErrors() && val.Type() == cty.Bool && val.IsKnown() && !val.IsNull() {
			v.nullable = val.True()
		}
	}
	m.variables[name] = v
}

func (m *moduleConfig) decodeResource(mode string, b *hcl.Block, override bool) {
	r := &resourceConfig{mode: mode, typ: b.Labels[0], name: b.Labels[1], block: b}
	if !hclsyntax.ValidIdentifier(r.name) {
		m.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "invalid resource name",
			Detail: fmt.Sprintf("%q is not a valid identifier", r.name), Subject: b.LabelRanges[1].Ptr()}})
		return
	}
	content, _, diags := b.Body.PartialContent(resourceMetaSchema)
	m.addDiags(diags)
	if content != nil {
		if a, ok := content.Attributes["count"]; ok {
			r.count = a.Expr
		}
		if a, ok := content.Attributes["for_each"]; ok {
			r.forEach = a.Expr
		}
	}
	if r.count != nil && r.forEach != nil {
		m.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "invalid combination of count and for_each",
			Detail: "a resource may set count or for_each, not both; count is used", Subject: b.DefRange.Ptr()}})
		r.forEach = nil
	}
	addr := r.addr()
	if prev, ok := m.byAddr[addr]; ok {
		if override {
			// Terraform merges override blocks attribute by attribute; we keep the
			// primary block and report that the override was not merged.
			m.addDiags(hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "override file not merged",
				Detail:  fmt.Sprintf("%s is overridden here; Portcullis evaluates the primary definition at %s", addr, prev.block.DefRange),
				Subject: b.DefRange.Ptr()}})
			return
		}
		m.addDiags(hcl.Diagnostics{duplicate("resource", addr, b.DefRange, prev.block.DefRange)})
		return
	}
	m.byAddr[addr] = r
	m.resources = append(m.resources, r)
}
