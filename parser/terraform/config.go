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
	"github.com/zclconf/go-cty/cty"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/safefs"
)

// MaxFileSize bounds the size of a single configuration file.
const MaxFileSize = 8 << 20

// moduleConfig is the shallow decode of one module directory: the top-level
// blocks with their bodies kept for on-demand evaluation.
type moduleConfig struct {
	dir   string
	id    *configID // what the marks of its literals name it by (see literalSite)
	files []string  // relative paths, sorted
	// tofu is set when the directory holds OpenTofu files (*.tofu,
	// *.tofu.json): its Terraform and OpenTofu readings differ.
	tofu bool
	// attrNames are the attribute names the module's expressions read
	// anywhere (x.id, each.value.arn): a reference to a whole resource
	// offers them, unknown when not configured.
	attrNames        map[string]bool
	variables        map[string]*variableConfig
	locals           map[string]*hcl.Attribute
	outputs          map[string]*hcl.Attribute
	sensitiveOutputs map[string]bool
	calls            map[string]*moduleCall
	resources        []*resourceConfig
	byAddr           map[string]*resourceConfig // "aws_x.n" and "data.aws_x.n"
	diags            []graph.Diagnostic
	pos              *positions
	ignores          map[string][]ignoreComment // inline ignores by file, ordered by line
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
	name    string
	source  string
	block   *hcl.Block
	count   hcl.Expression
	forEach hcl.Expression
	args    hcl.Attributes // the arguments: every attribute but the meta-arguments
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
	Attributes: []hcl.AttributeSchema{
		{Name: "source"}, {Name: "version"}, {Name: "count"}, {Name: "for_each"},
		{Name: "providers"}, {Name: "depends_on"},
	},
}

// IsConfigFile reports whether name is a Terraform (or OpenTofu)
// configuration file: *.tf, *.tf.json, *.tofu, *.tofu.json, unless
// Terraform ignores it (see IgnoredFile).
func IsConfigFile(name string) bool { return isConfigFile(name) }

func isConfigFile(name string) bool {
	return isTerraformFile(name) || isTofuFile(name)
}

// isTerraformFile is a file Terraform reads: *.tf, *.tf.json.
func isTerraformFile(name string) bool {
	return !IgnoredFile(name) && (strings.HasSuffix(name, ".tf") || strings.HasSuffix(name, ".tf.json"))
}

// isTofuFile is a file only OpenTofu reads: *.tofu, *.tofu.json.
func isTofuFile(name string) bool {
	return !IgnoredFile(name) && (strings.HasSuffix(name, ".tofu") || strings.HasSuffix(name, ".tofu.json"))
}

// IgnoredFile reports whether Terraform (and OpenTofu) ignore a file of
// this name in a module directory: hidden files (".x.tf"), editor backups
// ("x.tf~") and Emacs autosaves ("#x.tf#").
func IgnoredFile(name string) bool {
	base := path.Base(name)
	return strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") ||
		(strings.HasPrefix(base, "#") && strings.HasSuffix(base, "#"))
}

// reading is a way of reading a module directory: Terraform's, which
// ignores .tofu files, or OpenTofu's, which reads them and prefers x.tofu
// to x.tf (and x.tofu.json to x.tf.json).
type reading int

const (
	readTerraform reading = iota
	readOpenTofu
)

func (r reading) String() string {
	if r == readOpenTofu {
		return "opentofu"
	}
	return "terraform"
}

// readsFile reports whether the reading reads name, given the regular
// files present in its directory.
func (r reading) readsFile(name string, present map[string]bool) bool {
	switch {
	case isTofuFile(name):
		return r == readOpenTofu
	case !isTerraformFile(name):
		return false
	case r == readTerraform:
		return true
	case strings.HasSuffix(name, ".tf"):
		return !present[strings.TrimSuffix(name, ".tf")+".tofu"]
	default:
		return !present[strings.TrimSuffix(name, ".tf.json")+".tofu.json"]
	}
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
	name    string
	src     []byte
	file    *hcl.File
	diags   hcl.Diagnostics
	err     error
	ignores []ignoreComment
}

// loadModuleConfig reads and shallow-decodes every configuration file of dir
// that the reading reads. Files are parsed in parallel; problems become
// diagnostics.
func loadModuleConfig(fsys fs.FS, dir string, pos *positions, rd reading) *moduleConfig {
	m := &moduleConfig{
		dir:              dir,
		id:               &configID{dir: dir},
		pos:              pos,
		variables:        map[string]*variableConfig{},
		locals:           map[string]*hcl.Attribute{},
		outputs:          map[string]*hcl.Attribute{},
		sensitiveOutputs: map[string]bool{},
		calls:            map[string]*moduleCall{},
		byAddr:           map[string]*resourceConfig{},
		ignores:          map[string][]ignoreComment{},
	}
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		m.diags = append(m.diags, graph.Diagnostic{Severity: graph.SeverityError,
			Summary: "cannot read module directory", Detail: err.Error(), Range: graph.Range{File: dir}})
		return m
	}
	present := map[string]bool{}
	for _, e := range entries {
		present[e.Name()] = !e.IsDir()
		if !e.IsDir() && isTofuFile(e.Name()) {
			m.tofu = true
		}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && rd.readsFile(e.Name(), present) {
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
		pos.add(p.name, p.src)
		if len(p.ignores) > 0 {
			m.ignores[p.name] = p.ignores
		}
		m.addDiags(p.diags)
		if p.file == nil {
			continue
		}
		m.decodeFile(p.file, isOverride(p.name))
		m.collectAttrNames(p.file)
	}
	m.markConfigLiterals()
	return m
}

func isOverride(name string) bool {
	base := path.Base(name)
	base = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(base, ".json"), ".tf"), ".tofu")
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
	// Bounded by the bytes read, never by the size a stat reports.
	src, err := safefs.ReadFile(fsys, name, MaxFileSize)
	if err != nil {
		p.err = err
		return p
	}
	p.src = src
	p.file, p.diags = parseSource(name, src, strings.HasSuffix(name, ".json"))
	if !strings.HasSuffix(name, ".json") {
		p.ignores = scanIgnores(name, src)
	}
	return p
}

func (m *moduleConfig) addDiags(ds hcl.Diagnostics) {
	for _, d := range ds {
		m.diags = append(m.diags, m.pos.diagnostic(d))
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
			if a, ok := attrs["sensitive"]; ok {
				if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.Bool && v.IsKnown() && !v.IsNull() {
					m.sensitiveOutputs[b.Labels[0]] = v.True()
				}
			}
		case "module":
			m.decodeModuleCall(b, override)
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
		ty, defaults, diags := variableType(a.Expr)
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

func (m *moduleConfig) decodeModuleCall(b *hcl.Block, override bool) {
	content, rest, diags := b.Body.PartialContent(moduleSchema)
	m.addDiags(diags)
	call := &moduleCall{name: b.Labels[0], block: b}
	if a, ok := content.Attributes["source"]; ok {
		if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type() == cty.String && v.IsKnown() && !v.IsNull() {
			call.source = v.AsString()
		} else {
			m.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "invalid module source",
				Detail: "the source of a module call must be a literal string", Subject: a.Expr.Range().Ptr()}})
		}
	}
	if a, ok := content.Attributes["count"]; ok {
		call.count = a.Expr
	}
	if a, ok := content.Attributes["for_each"]; ok {
		call.forEach = a.Expr
	}
	args, diags := rest.JustAttributes()
	m.addDiags(diags)
	call.args = args
	if prev, ok := m.calls[call.name]; ok {
		if !override {
			m.addDiags(hcl.Diagnostics{duplicate("module call", call.name, b.DefRange, prev.block.DefRange)})
			return
		}
		// An override replaces the arguments it sets.
		for n, a := range args {
			prev.args[n] = a
		}
		if call.source != "" {
			prev.source = call.source
		}
		if call.count != nil {
			prev.count = call.count
		}
		if call.forEach != nil {
			prev.forEach = call.forEach
		}
		return
	}
	if call.source == "" && content.Attributes["source"] == nil {
		m.addDiags(hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "missing module source",
			Detail: fmt.Sprintf("module %q has no source argument", call.name), Subject: b.DefRange.Ptr()}})
	}
	m.calls[call.name] = call
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
			m.mergeOverride(prev, r)
			return
		}
		m.addDiags(hcl.Diagnostics{duplicate("resource", addr, b.DefRange, prev.block.DefRange)})
		return
	}
	m.byAddr[addr] = r
	m.resources = append(m.resources, r)
}

// blockKey is the block type a nested block contributes to (the label of a
// dynamic block).
func blockKey(b *hclsyntax.Block) string {
	if b.Type == "dynamic" && len(b.Labels) == 1 {
		return b.Labels[0]
	}
	return b.Type
}

// collectAttrNames records every attribute name read in a file's
// expressions.
func (m *moduleConfig) collectAttrNames(f *hcl.File) {
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return
	}
	if m.attrNames == nil {
		m.attrNames = map[string]bool{"id": true}
	}
	add := func(t hcl.Traversal) {
		for _, step := range t {
			if a, ok := step.(hcl.TraverseAttr); ok {
				m.attrNames[a.Name] = true
			}
		}
	}
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		switch x := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			add(x.Traversal)
		case *hclsyntax.RelativeTraversalExpr:
			add(x.Traversal)
		}
		return nil
	})
}
