package plan

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"unicode/utf8"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// span is a byte range of the plan file; end is exclusive.
type span struct{ start, end int }

// spans are the locations, inside the plan file, of the objects a graph is
// built from, found with one pass of encoding/json's token stream:
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
}

// scanner walks the token stream of a plan file and records spans.
type scanner struct {
	dec  *json.Decoder
	data []byte // the whole file
	base int    // offset of the decoder's input inside data (after a BOM)
	out  *spans
	// paths is what is left of the bytes that attribute paths may take.
	paths int
}

// Bounds of the value spans recorded, so that their paths take memory and
// time linear in the size of the file: a value nested deeper than
// maxRangeDepth has no span of its own (its location is its ancestor's),
// and the paths of all the spans recorded take at most pathBytesPerByte
// bytes per byte of the file, plus minPathBytes. Terraform's own plans
// need a small fraction of that (0.1 to 0.6 bytes per byte).
const (
	maxRangeDepth    = 64
	pathBytesPerByte = 2
	minPathBytes     = 1 << 20
)

// unknownSuffix marks, in spans.values, the paths of a change's
// after_unknown: where an unknown attribute, absent from after, is written.
const unknownSuffix = "#after_unknown"

// skipValue consumes one value without building it.
type skipValue struct{}

func (*skipValue) UnmarshalJSON([]byte) error { return nil }

// scanSpans finds the spans of a plan file whose JSON is known to be valid.
func scanSpans(data []byte, base int) (*spans, error) {
	s := &scanner{
		dec:   json.NewDecoder(bytes.NewReader(data[base:])),
		data:  data,
		base:  base,
		out:   &spans{objects: map[string]span{}, values: map[string]map[string]span{}},
		paths: pathBytesPerByte*len(data) + minPathBytes,
	}
	s.dec.UseNumber()
	tok, _, err := s.next()
	if err != nil {
		return s.out, err
	}
	if tok != json.Delim('{') {
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
			s.out.objects["format_version"] = span{start, s.offset()}
			return err
		case "resource_changes":
			return s.expectArray(func(i int, tok json.Token, start int) error {
				if tok != json.Delim('{') {
					return s.rest(tok)
				}
				owner := "resource_changes." + strconv.Itoa(i)
				err := s.object(func(key string) error {
					if key != "change" {
						return s.skip()
					}
					return s.expectObject(func(key string) error {
						switch key {
						case "after":
							return s.values(owner, "")
						case "after_unknown":
							return s.values(owner+unknownSuffix, "")
						}
						return s.skip()
					})
				})
				s.out.objects[owner] = span{start, s.offset()}
				return err
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
			start := s.valueStart()
			defer func() { s.out.objects["configuration"] = span{start, s.offset()} }()
			var c struct {
				RootModule *configModule `json:"root_module"`
			}
			if err := s.dec.Decode(&c); err != nil {
				var te *json.UnmarshalTypeError
				if !errors.As(err, &te) {
					return err
				}
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
			return s.expectArray(func(i int, tok json.Token, start int) error {
				if tok != json.Delim('{') {
					return s.rest(tok)
				}
				owner := prefix + ".resources." + strconv.Itoa(i)
				err := s.object(func(key string) error {
					if key != "values" {
						return s.skip()
					}
					return s.values(owner, "")
				})
				s.out.objects[owner] = span{start, s.offset()}
				return err
			})
		case "child_modules":
			if depth >= maxModuleDepth {
				return s.skip()
			}
			return s.expectArray(func(i int, tok json.Token, _ int) error {
				if tok != json.Delim('{') {
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
func (s *scanner) valuesFrom(owner, path string, depth int, tok json.Token, start int) error {
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
	case json.Delim('{'):
		err = s.object(func(key string) error {
			if !fits(key) {
				return s.skip()
			}
			tok, start, err := s.next()
			if err != nil {
				return err
			}
			return s.valuesFrom(owner, join(path, key), depth+1, tok, start)
		})
	case json.Delim('['):
		err = s.array(func(i int, tok json.Token, start int) error {
			key := strconv.Itoa(i)
			if !fits(key) {
				return s.rest(tok)
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
	m[path] = span{start, s.offset()}
}

// offset is the byte offset in data just after the last token read.
func (s *scanner) offset() int { return s.base + int(s.dec.InputOffset()) }

// next reads a token and returns it with the offset where it starts.
func (s *scanner) next() (json.Token, int, error) {
	start := s.valueStart()
	tok, err := s.dec.Token()
	return tok, start, err
}

// valueStart is the offset where the next token starts.
func (s *scanner) valueStart() int {
	start := s.offset()
	for start < len(s.data) {
		switch s.data[start] {
		case ' ', '\t', '\r', '\n', ',', ':':
			start++
			continue
		}
		break
	}
	return start
}

// object reads the members of an object whose opening brace has been read,
// calling member after each key; member must consume the value.
func (s *scanner) object(member func(key string) error) error {
	for s.dec.More() {
		tok, _, err := s.next()
		if err != nil {
			return err
		}
		key, ok := tok.(string)
		if !ok {
			return fmt.Errorf("unexpected %v where an object key was expected", tok)
		}
		if err := member(key); err != nil {
			return err
		}
	}
	_, _, err := s.next() // '}'
	return err
}

// array reads the elements of an array whose opening bracket has been read;
// elem receives each element's first token and must consume the rest.
func (s *scanner) array(elem func(i int, tok json.Token, start int) error) error {
	for i := 0; s.dec.More(); i++ {
		tok, start, err := s.next()
		if err != nil {
			return err
		}
		if err := elem(i, tok, start); err != nil {
			return err
		}
	}
	_, _, err := s.next() // ']'
	return err
}

// expectObject reads a value that should be an object; anything else is
// consumed and ignored.
func (s *scanner) expectObject(member func(key string) error) error {
	tok, _, err := s.next()
	if err != nil {
		return err
	}
	if tok != json.Delim('{') {
		return s.rest(tok)
	}
	return s.object(member)
}

// expectArray reads a value that should be an array; anything else is
// consumed and ignored.
func (s *scanner) expectArray(elem func(i int, tok json.Token, start int) error) error {
	tok, _, err := s.next()
	if err != nil {
		return err
	}
	if tok != json.Delim('[') {
		return s.rest(tok)
	}
	return s.array(elem)
}

// skip consumes the next value whole.
func (s *scanner) skip() error { return s.dec.Decode(&skipValue{}) }

// rest consumes the remainder of a value whose first token was tok.
func (s *scanner) rest(tok json.Token) error {
	if tok != json.Delim('{') && tok != json.Delim('[') {
		return nil
	}
	for depth := 1; depth > 0; {
		t, err := s.dec.Token()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return io.ErrUnexpectedEOF
			}
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
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
