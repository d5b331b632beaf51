package cloudformation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// ParamFile is a parameter file given on the command line: JSON, either the
// `aws cloudformation` form
//
//	[{"ParameterKey": "AdminCidr", "ParameterValue": "10.0.0.0/8"}]
//
// or a simple object {"AdminCidr": "10.0.0.0/8"} (also wrapped as
// {"Parameters": {...}}, CodePipeline's template configuration file).
type ParamFile struct {
	Name    string // path relative to the scan root, used in locations
	Content []byte
}

// param is a declared template parameter with its bound value.
type param struct {
	name   string
	typ    string
	noEcho bool
	// val is the parameter's value, nil when it is unknown.
	val *value
	// size is what val counts against the budget (at least size(val)):
	// known up front, so that a reference the budget refuses costs no walk
	// over a large value.
	size int
}

// givenValue is a value given for a parameter from outside the template.
type givenValue struct {
	text   string
	origin *graph.Origin // nil for --cfn-parameter values
	// unknown is set for UsePreviousValue (the deployed value) and for an
	// entry whose value cannot be read: the value is unknown here.
	unknown bool
}

// isListType reports whether a parameter type is a list: CommaDelimitedList
// and List<...>.
func isListType(typ string) bool {
	return typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")
}

// isSSMType reports whether a parameter type is resolved from Systems
// Manager Parameter Store when the stack is deployed: its Default (and any
// value given) is the name of an SSM parameter, not the value.
func isSSMType(typ string) bool { return strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") }

// givenValues gathers the values given for parameters: the parameter files
// in order, then Options.Parameters (--cfn-parameter); later values win.
// Values for names the template does not declare are ignored silently: one
// parameter file is often shared by several templates.
//
// Every entry's span is kept in t.written, so that the values of NoEcho
// parameters can be masked in the copies of the files the graph keeps.
func (t *tmpl) givenValues() map[string]givenValue {
	out := map[string]givenValue{}
	for _, pf := range t.opts.ParameterFiles {
		t.g.Files = append(t.g.Files, pf.Name)
		t.g.Sources[pf.Name] = pf.Content
		entries, diags := parseParamFile(pf.Name, pf.Content)
		t.diags = append(t.diags, diags...)
		for _, e := range entries {
			if !e.unknown {
				t.written = append(t.written, written{name: e.key, rng: e.rng})
			}
			o := graph.Origin{Kind: graph.OriginParameter,
				Description: fmt.Sprintf("value of parameter %s from %s", e.key, pf.Name), Range: e.rng}
			out[e.key] = givenValue{text: e.value, origin: &o, unknown: e.unknown}
		}
	}
	keys := make([]string, 0, len(t.opts.Parameters))
	for k := range t.opts.Parameters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out[k] = givenValue{text: t.opts.Parameters[k]}
	}
	return out
}

// bindParameters computes the value of every declared parameter: the given
// value, else the Default, else unknown. Values are strings (a Number
// parameter too: CloudFormation passes parameter values to properties as
// strings; policies convert where they compare numbers) or lists of strings
// for list types. SSM parameter types are always unknown. NoEcho values,
// and every value given by --cfn-parameter (Options.Parameters), are
// sensitive.
func (t *tmpl) bindParameters() {
	t.params = map[string]*param{}
	t.given = t.givenValues()
	sec := t.root.Get("Parameters")
	if sec == nil {
		return
	}
	if sec.Kind != Mapping {
		t.errorf(sec.Range, "invalid Parameters section", "Parameters must be a mapping of parameter names to declarations")
		return
	}
	for i, k := range sec.Keys {
		name, decl := k.Value, sec.Values[i]
		p := &param{name: name, typ: "String"}
		t.params[name] = p
		if decl == nil || decl.Kind != Mapping {
			t.errorf(k.Range, "invalid parameter", fmt.Sprintf("parameter %s must be a mapping with a Type", name))
			continue
		}
		if ty := decl.Get("Type"); ty != nil && ty.Kind == String {
			p.typ = strings.TrimSpace(ty.Value)
		}
		if ne := decl.Get("NoEcho"); ne != nil && (ne.Kind == Bool || ne.Kind == String) && strings.EqualFold(strings.TrimSpace(ne.Value), "true") {
			p.noEcho = true
		}
		if def := decl.Get("Default"); def != nil && p.noEcho {
			t.written = append(t.written, written{name: name, rng: def.Range})
		}
		if isSSMType(p.typ) {
			continue
		}
		if gv, ok := t.given[name]; ok {
			if gv.unknown {
				continue // unknown: neither the Default nor a guess
			}
			var origins []graph.Origin
			var rng graph.Range
			if gv.origin != nil {
				origins = []graph.Origin{*gv.origin}
				rng = gv.origin.Range
			}
			at := rng
			if at.IsZero() {
				at = k.Range // a --cfn-parameter value
			}
			if gv.origin == nil {
				// A --cfn-parameter value is the CI job's, not the
				// repository's: sensitive like NoEcho in every template,
				// whatever the declaration says (a new template could
				// otherwise print it). Values from parameter files keep
				// the declaration's NoEcho.
				p.noEcho = true
			}
			p.val = t.paramValue(p, []string{gv.text}, rng, at, origins, true)
			continue
		}
		def := decl.Get("Default")
		if def == nil || def.Kind == Null {
			continue
		}
		origins := []graph.Origin{{Kind: graph.OriginParameter,
			Description: fmt.Sprintf("value of parameter %s from its Default", name), Range: def.Range}}
		switch def.Kind {
		case String, Number, Bool:
			p.val = t.paramValue(p, []string{def.Value}, def.Range, def.Range, origins, true)
		case Sequence:
			// A list written as a YAML sequence: CloudFormation wants a
			// comma-separated string, but the meaning is plain.
			var parts []string
			ok := true
			for _, it := range def.Items {
				if it.Kind != String && it.Kind != Number && it.Kind != Bool {
					ok = false
					break
				}
				parts = append(parts, it.Value)
			}
			if ok && isListType(p.typ) {
				p.val = t.paramValue(p, parts, def.Range, def.Range, origins, false)
			} else {
				t.warnf(def.Range, "invalid parameter Default", fmt.Sprintf("the Default of parameter %s must be a string", name))
			}
		default:
			t.warnf(def.Range, "invalid parameter Default", fmt.Sprintf("the Default of parameter %s must be a string", name))
		}
	}
}

// written is where a parameter's value is written: a parameter file's
// entry, or the Default of a NoEcho parameter.
type written struct {
	name string
	rng  graph.Range
}

// maskSecrets replaces, in the graph's copies of the template and the
// parameter files, the text of every value written for a NoEcho parameter
// with asterisks (line breaks kept, so every position stays right): the
// writers that quote source lines never quote a secret. In a parameter
// file, the values of parameters this template does not declare are
// masked too: the file may be shared with a template that declares them
// NoEcho, and this graph's copy must not show them.
func (t *tmpl) maskSecrets() {
	copied := map[string]bool{}
	for _, w := range t.written {
		if p := t.params[w.name]; p != nil && !p.noEcho {
			continue
		}
		src := t.g.Sources[w.rng.File]
		start, end := w.rng.Start.Byte, w.rng.End.Byte
		if start < 0 || end > len(src) || start >= end {
			continue
		}
		if !copied[w.rng.File] {
			copied[w.rng.File] = true
			src = append([]byte(nil), src...)
			t.g.Sources[w.rng.File] = src
		}
		for i := start; i < end; i++ {
			if src[i] != '\n' && src[i] != '\r' {
				src[i] = '*'
			}
		}
	}
}

// paramValue makes the value of a parameter from its text (split on commas
// for list types when split is set), located at rng. The value counts
// against the template's budget, before it is made; nil (unknown) when the
// budget cannot pay for it, refused at at.
func (t *tmpl) paramValue(p *param, parts []string, rng, at graph.Range, origins []graph.Origin, split bool) *value {
	cost := valueOverhead
	if isListType(p.typ) {
		if split {
			cost += valueOverhead * (strings.Count(parts[0], ",") + 1)
		} else {
			cost += valueOverhead * len(parts)
		}
	}
	for _, s := range parts {
		cost += len(s)
	}
	if !t.charge(cost, at) {
		return nil
	}
	p.size = cost
	var v *value
	if isListType(p.typ) {
		if split {
			parts = strings.Split(parts[0], ",")
		}
		v = &value{kind: vList, rng: rng}
		for _, s := range parts {
			v.items = append(v.items, stringAt(strings.TrimSpace(s), rng))
		}
	} else {
		v = stringAt(parts[0], rng)
	}
	v.origins = origins
	if p.noEcho {
		v = sensitiveCopy(v)
	}
	return v
}

// paramEntry is one value of a parameter file.
type paramEntry struct {
	key, value string
	rng        graph.Range
	unknown    bool // UsePreviousValue (the deployed value), or a value that cannot be read
}

// parseParamFile reads a parameter file in either JSON form, locating each
// value.
func parseParamFile(name string, src []byte) ([]paramEntry, []graph.Diagnostic) {
	root, err := parseParamJSON(src)
	fileStart := graph.Range{File: name, Start: graph.Pos{Line: 1, Column: 1}, End: graph.Pos{Line: 1, Column: 1}}
	lines := newParamLines(src)
	if err != nil {
		rng := fileStart
		var se *json.SyntaxError
		if errors.As(err, &se) {
			p := lines.pos(int(se.Offset))
			rng = graph.Range{File: name, Start: p, End: p}
		}
		return nil, []graph.Diagnostic{{Severity: graph.SeverityError, Summary: "invalid parameter file",
			Detail: err.Error(), Range: rng}}
	}
	at := func(j *pfValue) graph.Range {
		return graph.Range{File: name, Start: lines.pos(j.start), End: lines.pos(j.end)}
	}
	var out []paramEntry
	var diags []graph.Diagnostic
	// An entry that cannot be read is an error (the file is not what
	// CloudFormation accepts); when its parameter is known, the parameter's
	// value is unknown rather than its Default.
	bad := func(j *pfValue, key *pfValue, detail string) {
		diags = append(diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: "invalid parameter file entry",
			Detail: detail, Range: at(j)})
		if key != nil {
			out = append(out, paramEntry{key: key.text, unknown: true, rng: at(j)})
		}
	}
	switch root.kind {
	case '[':
		for _, e := range root.items {
			if e.kind != '{' {
				bad(e, nil, "each entry must be an object with ParameterKey and ParameterValue")
				continue
			}
			k, v := e.get("ParameterKey"), e.get("ParameterValue")
			if k == nil || k.kind != 's' {
				bad(e, nil, "the entry has no ParameterKey string")
				continue
			}
			if v == nil {
				if up := e.get("UsePreviousValue"); up != nil && up.text == "true" {
					out = append(out, paramEntry{key: k.text, unknown: true, rng: at(e)})
					continue
				}
				bad(e, k, fmt.Sprintf("parameter %s has no ParameterValue", k.text))
				continue
			}
			text, ok := v.paramText()
			if !ok {
				bad(v, k, fmt.Sprintf("the value of parameter %s must be a string", k.text))
				continue
			}
			out = append(out, paramEntry{key: k.text, value: text, rng: at(v)})
		}
	case '{':
		obj := root
		if p := root.get("Parameters"); p != nil && p.kind == '{' {
			obj = p
		}
		for i, k := range obj.keys {
			v := obj.vals[i]
			text, ok := v.paramText()
			if !ok {
				bad(v, k, fmt.Sprintf("the value of parameter %s must be a string", k.text))
				continue
			}
			out = append(out, paramEntry{key: k.text, value: text, rng: at(v)})
		}
	default:
		return nil, []graph.Diagnostic{{Severity: graph.SeverityError, Summary: "invalid parameter file",
			Detail: "a parameter file is a JSON array of {ParameterKey, ParameterValue} or an object of names to values", Range: fileStart}}
	}
	return out, diags
}

// pfValue is a JSON value with its byte span: kind is '{', '[', 's'
// (string), 'n' (number), 'b' (boolean) or '0' (null).
type pfValue struct {
	kind       byte
	text       string
	items      []*pfValue
	keys, vals []*pfValue
	start, end int
}

func (j *pfValue) get(key string) *pfValue {
	for i, k := range j.keys {
		if k.text == key {
			return j.vals[i]
		}
	}
	return nil
}

// paramText is a parameter value's text: a scalar, or a list of scalars
// joined with commas.
func (j *pfValue) paramText() (string, bool) {
	switch j.kind {
	case 's', 'n', 'b':
		return j.text, true
	case '[':
		parts := make([]string, 0, len(j.items))
		for _, it := range j.items {
			if it.kind != 's' && it.kind != 'n' && it.kind != 'b' {
				return "", false
			}
			parts = append(parts, it.text)
		}
		return strings.Join(parts, ","), true
	}
	return "", false
}

// parseParamJSON decodes JSON keeping each value's byte span.
func parseParamJSON(src []byte) (*pfValue, error) {
	// A byte order mark is blanked, keeping every offset where it was.
	if bytes.HasPrefix(src, []byte{0xEF, 0xBB, 0xBF}) {
		src = append([]byte("   "), src[3:]...)
	}
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	p := &pfParser{dec: dec, src: src}
	v, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the top-level value")
	}
	return v, nil
}

type pfParser struct {
	dec *json.Decoder
	src []byte
}

// next returns the next token with the offset where it starts.
func (p *pfParser) next() (json.Token, int, error) {
	off := int(p.dec.InputOffset())
	for off < len(p.src) {
		c := p.src[off]
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != ',' && c != ':' {
			break
		}
		off++
	}
	tok, err := p.dec.Token()
	return tok, off, err
}

func (p *pfParser) value(depth int) (*pfValue, error) {
	if depth > 64 {
		return nil, errors.New("nested too deeply")
	}
	tok, start, err := p.next()
	if err != nil {
		return nil, err
	}
	return p.valueFrom(tok, start, depth)
}

func (p *pfParser) valueFrom(tok json.Token, start, depth int) (*pfValue, error) {
	j := &pfValue{start: start}
	switch x := tok.(type) {
	case json.Delim:
		switch x {
		case '{':
			j.kind = '{'
			for {
				kt, ks, err := p.next()
				if err != nil {
					return nil, err
				}
				if d, ok := kt.(json.Delim); ok && d == '}' {
					break
				}
				key, ok := kt.(string)
				if !ok {
					return nil, errors.New("object key is not a string")
				}
				kn := &pfValue{kind: 's', text: key, start: ks, end: int(p.dec.InputOffset())}
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				j.keys, j.vals = append(j.keys, kn), append(j.vals, v)
			}
		case '[':
			j.kind = '['
			for {
				it, is, err := p.next()
				if err != nil {
					return nil, err
				}
				if d, ok := it.(json.Delim); ok && d == ']' {
					break
				}
				v, err := p.valueFrom(it, is, depth+1)
				if err != nil {
					return nil, err
				}
				j.items = append(j.items, v)
			}
		default:
			return nil, fmt.Errorf("unexpected %q", rune(x))
		}
	case string:
		j.kind, j.text = 's', x
	case json.Number:
		j.kind, j.text = 'n', string(x)
	case bool:
		j.kind, j.text = 'b', fmt.Sprint(x)
	case nil:
		j.kind = '0'
	}
	j.end = int(p.dec.InputOffset())
	return j, nil
}

// paramLines maps byte offsets of a file to line and column positions.
type paramLines struct {
	src    []byte
	starts []int
}

func newParamLines(src []byte) *paramLines {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return &paramLines{src: src, starts: starts}
}

// pos converts a byte offset to a position (1-based line, column in code
// points).
func (l *paramLines) pos(off int) graph.Pos {
	if off > len(l.src) {
		off = len(l.src)
	}
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	col := utf8.RuneCount(l.src[l.starts[i]:off]) + 1
	return graph.Pos{Line: i + 1, Column: col, Byte: off}
}
