package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// span is a byte range of the plan file; end is exclusive.
type span struct{ start, end int }

// spans are the locations, inside the plan file, of the objects a graph is
// built from, found with one pass over the file:
//
//   - objects["resource_changes.3"] is the whole resource_changes[3] object,
//     objects["prior_state.values.root_module.child_modules.0.resources.2"]
//     a resource of the prior state;
//   - values[that key][attribute path] is the value at that path inside the
//     object's change.after (resource changes) or values (prior state), with
//     paths in the graph's style ("ingress.0.cidr_blocks.1");
//     values[key+unknownSuffix] the same for the change's after_unknown.
//
// The configuration is decoded in the same pass, with its expressions kept
// raw (see config.go).
type spans struct {
	objects map[string]span
	values  map[string]map[string]span
	config  *configModule
	// configErr is set when the configuration could not be decoded.
	configErr error
	// approximate is set when values were left without a span of their
	// own because their paths would have exceeded the path budget.
	approximate bool
	// changes is the number of elements of resource_changes; nodes the
	// number of values (see MaxValues) of each resource change and prior
	// state resource, by the key of its object, for those counted before
	// the values of the plan passed MaxValues (over).
	changes int
	nodes   map[string]int
	over    bool
}

// scanner walks a plan file, whose JSON is known to be valid, byte by
// byte, and records spans. encoding/json's token stream took a third of
// the time of loading a plan, and its Decode of a skipped member (the whole
// planned_values) copied it.
type scanner struct {
	data []byte // the whole file
	pos  int    // the offset of the next byte to read
	out  *spans
	// paths is what is left of the bytes that attribute paths may take.
	paths int
	// total counts the values met against MaxValues, cur those of the
	// resource being read.
	total int
	cur   *int
}

// MaxValues bounds the values of a plan that become the graph's: those of
// each resource change's after, after_unknown and after_sensitive, and of
// each data source of the prior state (values and sensitive_values),
// counting every object, array and scalar. Each takes about 170 bytes once
// loaded (its value, its location, its path); Terraform writes about 40
// bytes of plan per value, so a plan of about 75 MB reaches it: the size
// whose whole scan (loading and policy evaluation) stays under the 2 GiB
// --max-memory default. The resources past it are not loaded, with an
// error diagnostic.
const MaxValues = 2_000_000

// maxValues is MaxValues; tests lower it.
var maxValues = MaxValues

// Bounds of the value spans recorded, so that their paths take memory and
// time linear in the size of the file: a value nested deeper than
// maxRangeDepth has no span of its own (its location is its ancestor's),
// and the paths of all the spans recorded take at most pathBytesPerByte
// bytes per byte of the file, plus minPathBytes, and never more than
// maxPathBytes. Terraform's own plans need a small fraction of that (0.1
// to 0.6 bytes per byte).
const (
	maxRangeDepth    = 64
	pathBytesPerByte = 2
	minPathBytes     = 1 << 20
	maxPathBytes     = 64 << 20
)

// pathBudget is the bytes the attribute paths of a file of n bytes may
// take.
func pathBudget(n int) int { return min(pathBytesPerByte*n+minPathBytes, maxPathBytes) }

// unknownSuffix marks, in spans.values, the paths of a change's
// after_unknown: where an unknown attribute, absent from after, is written.
const unknownSuffix = "#after_unknown"

// skipValue consumes one value without building it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// scanSpans finds the spans of a plan file whose JSON is known to be
// valid (from base, after a byte order mark).
func scanSpans(data []byte, base int) (*spans, error) {
	s := &scanner{
		data:  data,
		pos:   base,
		out:   &spans{objects: map[string]span{}, values: map[string]map[string]span{}, nodes: map[string]int{}},
		paths: pathBudget(len(data)),
	}
	tok, _, err := s.next()
	if err != nil {
		return s.out, err
	}
	if tok != '{' {
		return s.out, errors.New("the plan is not a JSON object")
	}
	err = s.object(func(key string) error {
		switch key {
		case "format_version":
			tok, start, err := s.next()
			if err != nil {
				return err
			}
			err = s.rest(tok)
			s.out.objects["format_version"] = span{start, s.pos}
			return err
		case "resource_changes":
			s.out.changes = 0
			return s.expectArray(func(i int, tok byte, start int) error {
				owner := "resource_changes." + strconv.Itoa(i)
				s.out.changes = i + 1
				return s.counted(owner, tok, start, func() error {
					return s.object(func(key string) error {
						if key != "change" {
							return s.skip()
						}
						return s.expectObject(func(key string) error {
							switch key {
							case "after":
								delete(s.out.values, owner)
								return s.values(owner, "")
							case "after_unknown":
								delete(s.out.values, owner+unknownSuffix)
								return s.values(owner+unknownSuffix, "")
							case "after_sensitive":
								return s.count()
							}
							return s.skip()
						})
					})
				})
			})
		case "prior_state":
			return s.expectObject(func(key string) error {
				if key != "values" {
					return s.skip()
				}
				return s.expectObject(func(key string) error {
					if key != "root_module" {
						return s.skip()
					}
					return s.module("prior_state.values.root_module", 0)
				})
			})
		case "configuration":
			s.space()
			start := s.pos
			if err := s.skip(); err != nil {
				return err
			}
			s.out.objects["configuration"] = span{start, s.pos}
			var c struct {
				RootModule *configModule `json:"root_module"`
			}
			if err := json.Unmarshal(s.data[start:s.pos], &c); err != nil {
				s.out.configErr = err
				return nil
			}
			s.out.config = c.RootModule
			return nil
		}
		return s.skip()
	})
	return s.out, err
}

// tally counts one value; false once MaxValues is passed.
func (s *scanner) tally() bool {
	s.total++
	if s.cur != nil {
		*s.cur++
	}
	if s.total > maxValues {
		s.out.over = true
		return false
	}
	return true
}

// count counts the values of the next value, recording nothing.
func (s *scanner) count() error {
	tok, _, err := s.next()
	if err != nil {
		return err
	}
	return s.countFrom(tok)
}

func (s *scanner) countFrom(tok byte) error {
	if !s.tally() {
		return s.rest(tok)
	}
	switch tok {
	case '{':
		return s.object(func(string) error { return s.count() })
	case '[':
		return s.array(func(_ int, tok byte, _ int) error { return s.countFrom(tok) })
	}
	return nil
}

// counted reads one resource's object (whose first token was tok) with
// read, counting its values, and records its span and count.
func (s *scanner) counted(owner string, tok byte, start int, read func() error) error {
	delete(s.out.values, owner)
	delete(s.out.values, owner+unknownSuffix)
	var err error
	if s.out.over {
		err = s.rest(tok)
	} else {
		n := 0
		if tok == '{' {
			s.cur = &n
			err = read()
			s.cur = nil
		} else {
			err = s.rest(tok)
		}
		if !s.out.over {
			s.out.nodes[owner] = n
		}
	}
	s.out.objects[owner] = span{start, s.pos}
	return err
}

// module records the resources of a prior state module and of its child
// modules, recursively.
// Modules deeper than maxModuleDepth are skipped, as priorData skips them.
func (s *scanner) module(prefix string, depth int) error {
	return s.expectObject(s.moduleMember(prefix, depth))
}

func (s *scanner) moduleMember(prefix string, depth int) func(key string) error {
	return func(key string) error {
		switch key {
		case "resources":
			return s.expectArray(func(i int, tok byte, start int) error {
				owner := prefix + ".resources." + strconv.Itoa(i)
				return s.counted(owner, tok, start, func() error {
					return s.object(func(key string) error {
						switch key {
						case "values":
							delete(s.out.values, owner)
							return s.values(owner, "")
						case "sensitive_values":
							return s.count()
						}
						return s.skip()
					})
				})
			})
		case "child_modules":
			if depth >= maxModuleDepth {
				return s.skip()
			}
			return s.expectArray(func(i int, tok byte, _ int) error {
				if tok != '{' {
					return s.rest(tok)
				}
				return s.object(s.moduleMember(prefix+".child_modules."+strconv.Itoa(i), depth+1))
			})
		}
		return s.skip()
	}
}

// values records the span of every value of a values tree under owner.
func (s *scanner) values(owner, path string) error {
	tok, start, err := s.next()
	if err != nil {
		return err
	}
	return s.valuesFrom(owner, path, 0, tok, start)
}

// valuesFrom records the spans of a value at path, depth levels below the
// values tree's root, whose first token has been read. A value inside it
// is recorded when it is no deeper than maxRangeDepth and its path fits in
// what is left of the path budget; the path is built (and its bytes taken
// from the budget) only then.
func (s *scanner) valuesFrom(owner, path string, depth int, tok byte, start int) error {
	if !s.tally() {
		return s.rest(tok)
	}
	var err error
	fits := func(key string) bool {
		if depth >= maxRangeDepth {
			return false
		}
		if n := len(path) + 1 + len(key); n <= s.paths {
			s.paths -= n
			return true
		}
		s.out.approximate = true
		return false
	}
	switch tok {
	case '{':
		err = s.object(func(key string) error {
			if !fits(key) {
				return s.count() // its values still count
			}
			tok, start, err := s.next()
			if err != nil {
				return err
			}
			return s.valuesFrom(owner, join(path, key), depth+1, tok, start)
		})
	case '[':
		err = s.array(func(i int, tok byte, start int) error {
			key := strconv.Itoa(i)
			if !fits(key) {
				return s.countFrom(tok)
			}
			return s.valuesFrom(owner, join(path, key), depth+1, tok, start)
		})
	}
	s.record(owner, path, start)
	return err
}

func (s *scanner) record(owner, path string, start int) {
	if path == "" {
		return
	}
	m := s.out.values[owner]
	if m == nil {
		m = map[string]span{}
		s.out.values[owner] = m
	}
	m[path] = span{start, s.pos}
}

// errTruncated is what the scanner returns where valid JSON could not end:
// it never should, the file having been checked.
var errTruncated = errors.New("unexpected end of the plan's JSON")

// space skips white space.
func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\r', '\n':
			s.pos++
			continue
		}
		return
	}
}

// next reads the next value's first token and returns its first byte
// ('{', '[', '"', or the first of a number or literal) with the offset where
// it starts. A string, number or literal is read whole; of an object or an
// array only the opening bracket.
func (s *scanner) next() (byte, int, error) {
	s.space()
	start := s.pos
	if start >= len(s.data) {
		return 0, start, errTruncated
	}
	c := s.data[start]
	switch c {
	case '{', '[':
		s.pos++
		return c, start, nil
	case '"':
		return c, start, s.skipString()
	}
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ',', '}', ']', ' ', '\t', '\r', '\n':
			return c, start, nil
		}
		s.pos++
	}
	return c, start, nil
}

// skipString reads a string whose opening quote is at pos.
func (s *scanner) skipString() error {
	for i := s.pos + 1; ; {
		j := bytes.IndexByte(s.data[i:], '"')
		if j < 0 {
			return errTruncated
		}
		i += j
		// The quote ends the string unless an odd number of backslashes
		// escapes it.
		k := i
		for k > s.pos+1 && s.data[k-1] == '\\' {
			k--
		}
		i++
		if (i-1-k)%2 == 0 {
			s.pos = i
			return nil
		}
	}
}

// key reads an object key: a string, decoded as encoding/json decodes it.
func (s *scanner) key() (string, error) {
	s.space()
	start := s.pos
	if start >= len(s.data) || s.data[start] != '"' {
		return "", fmt.Errorf("an object key was expected at byte %d", start)
	}
	if err := s.skipString(); err != nil {
		return "", err
	}
	raw := s.data[start+1 : s.pos-1]
	if bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw), nil
	}
	var k string
	err := json.Unmarshal(s.data[start:s.pos], &k)
	return k, err
}

// punct reads the punctuation c, after white space.
func (s *scanner) punct(c byte) error {
	s.space()
	if s.pos >= len(s.data) || s.data[s.pos] != c {
		return fmt.Errorf("%q was expected at byte %d", c, s.pos)
	}
	s.pos++
	return nil
}

// more reports whether a container has another element, reading the comma
// before it; at its end, it reads the closing bracket.
func (s *scanner) more(first bool, closing byte) (bool, error) {
	s.space()
	if s.pos >= len(s.data) {
		return false, errTruncated
	}
	if s.data[s.pos] == closing {
		s.pos++
		return false, nil
	}
	if first {
		return true, nil
	}
	return true, s.punct(',')
}

// object reads the members of an object whose opening brace has been read,
// calling member after each key; member must consume the value.
func (s *scanner) object(member func(key string) error) error {
	for first := true; ; first = false {
		ok, err := s.more(first, '}')
		if err != nil || !ok {
			return err
		}
		key, err := s.key()
		if err != nil {
			return err
		}
		if err := s.punct(':'); err != nil {
			return err
		}
		if err := member(key); err != nil {
			return err
		}
	}
}

// array reads the elements of an array whose opening bracket has been read;
// elem receives each element's first token and must consume the rest.
func (s *scanner) array(elem func(i int, tok byte, start int) error) error {
	for i := 0; ; i++ {
		ok, err := s.more(i == 0, ']')
		if err != nil || !ok {
			return err
		}
		tok, start, err := s.next()
		if err != nil {
			return err
		}
		if err := elem(i, tok, start); err != nil {
			return err
		}
	}
}

// expectObject reads a value that should be an object; anything else is
// consumed and ignored.
func (s *scanner) expectObject(member func(key string) error) error {
	tok, _, err := s.next()
	if err != nil {
		return err
	}
	if tok != '{' {
		return s.rest(tok)
	}
	return s.object(member)
}

// expectArray reads a value that should be an array; anything else is
// consumed and ignored.
func (s *scanner) expectArray(elem func(i int, tok byte, start int) error) error {
	tok, _, err := s.next()
	if err != nil {
		return err
	}
	if tok != '[' {
		return s.rest(tok)
	}
	return s.array(elem)
}

// skip consumes the next value whole.
func (s *scanner) skip() error {
	tok, _, err := s.next()
	if err != nil {
		return err
	}
	return s.rest(tok)
}

// rest consumes the remainder of a value whose first token was tok.
func (s *scanner) rest(tok byte) error {
	if tok != '{' && tok != '[' {
		return nil
	}
	for depth := 1; depth > 0; {
		if s.pos >= len(s.data) {
			return errTruncated
		}
		switch s.data[s.pos] {
		case '"':
			if err := s.skipString(); err != nil {
				return err
			}
			continue
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
		s.pos++
	}
	return nil
}

func join(prefix, name string) string {
	if prefix == "" {
		return name
	}
	return prefix + "." + name
}

// lines converts byte offsets of one file to graph positions: 1-based
// lines, 1-based columns in Unicode code points (an invalid byte counts as
// one, as utf8.RuneCount counts it). terraform show -json writes the whole
// plan on one line, so columns come from rune counts kept at checkpoints,
// never from a count over the whole line.
type lines struct {
	file   string
	data   []byte
	starts []int
	// marks[i] is the first rune boundary at or after i*checkpoint, with
	// the number of runes before it. A checkpoint inside a multi-byte
	// rune would count that rune twice.
	marks []mark
}

// mark is a checkpoint: int32 is enough, a plan is at most MaxFileSize.
type mark struct{ off, runes int32 }

// checkpoint is the distance between two marks: each position counts the
// runes of at most this many bytes (4096 took a fifth of the time of
// loading a large plan), and the marks take 8 bytes per checkpoint.
const checkpoint = 256

func newLines(file string, data []byte, base int) *lines {
	starts := []int{base} // a byte order mark is not a column
	marks := []mark{{0, 0}}
	n, next := 0, checkpoint
	for i := 0; i < len(data); n++ {
		if i >= next {
			marks = append(marks, mark{int32(i), int32(n)})
			next += checkpoint
		}
		c := data[i]
		if c < utf8.RuneSelf {
			if c == '\n' {
				starts = append(starts, i+1)
			}
			i++
			continue
		}
		_, size := utf8.DecodeRune(data[i:])
		i += size
	}
	return &lines{file: file, data: data, starts: starts, marks: marks}
}

// runeCount is the number of runes in data[:off].
func (l *lines) runeCount(off int) int {
	c := min(off/checkpoint, len(l.marks)-1)
	for int(l.marks[c].off) > off {
		c--
	}
	return int(l.marks[c].runes) + utf8.RuneCount(l.data[l.marks[c].off:off])
}

func (l *lines) pos(off int) graph.Pos {
	off = min(max(off, 0), len(l.data))
	line := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	line = max(line, 0)
	from := min(l.starts[line], off)
	return graph.Pos{Line: line + 1, Column: l.runeCount(off) - l.runeCount(from) + 1, Byte: off}
}

func (l *lines) rng(s span) graph.Range {
	return graph.Range{File: l.file, Start: l.pos(s.start), End: l.pos(s.end)}
}
