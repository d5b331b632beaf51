package triage

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"sort"

	"github.com/portcullis-iac/portcullis/policies/finding"
)

// Baseline is a recorded set of findings: a scan with --baseline reports
// only the findings whose fingerprint is not in it.
type Baseline struct {
	// Name is the file it was read from, for the suppression reason.
	Name string
	// Fingerprints holds finding.Finding.FingerprintHash of each entry.
	Fingerprints map[string]bool
	// Entries are the entries as read, in file order.
	Entries []BaselineEntry
}

// BaselineEntry is one recorded finding. Only the fingerprint is compared;
// the other fields tell a reviewer of the baseline file what it holds.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"rule_id"`
	Root        string `json:"root"`
	Resource    string `json:"resource"`
	Attribute   string `json:"attribute"`
	File        string `json:"file"`
}

type baselineDoc struct {
	Version  int             `json:"version"`
	Tool     string          `json:"tool"`
	Findings []BaselineEntry `json:"findings"`
}

const (
	baselineVersion = 1
	baselineTool    = "portcullis"
)

// ReadBaseline strictly decodes a baseline written by WriteBaseline.
func ReadBaseline(name string, content []byte) (*Baseline, error) {
	dec := json.NewDecoder(bytes.NewReader(content))
	dec.DisallowUnknownFields()
	var doc baselineDoc
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty baseline (write one with --baseline-write)", name)
		}
		return nil, fmt.Errorf("%s: not a portcullis baseline: %s", name, jsonErrorAt(content, err))
	}
	if dec.More() {
		return nil, fmt.Errorf("%s: not a portcullis baseline: text after the JSON document", name)
	}
	if doc.Tool != baselineTool {
		return nil, fmt.Errorf("%s: not a portcullis baseline (tool %q, want %q)", name, doc.Tool, baselineTool)
	}
	if doc.Version != baselineVersion {
		return nil, fmt.Errorf("%s: unsupported baseline version %d (want %d)", name, doc.Version, baselineVersion)
	}
	b := &Baseline{Name: name, Fingerprints: make(map[string]bool, len(doc.Findings)), Entries: doc.Findings}
	for i, e := range doc.Findings {
		if !isSHA256Hex(e.Fingerprint) {
			return nil, fmt.Errorf("%s: findings[%d].fingerprint: want 64 lowercase hex digits, got %q", name, i, e.Fingerprint)
		}
		b.Fingerprints[e.Fingerprint] = true
	}
	return b, nil
}

// jsonErrorAt explains a JSON decoding error: a syntax error with its line
// and column, a type error with the field.
func jsonErrorAt(content []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se) && se.Offset > 0 && se.Offset <= int64(len(content)):
		// Offset counts the bytes read, the offending one included.
		line, col := 1, 1
		for _, b := range content[:se.Offset-1] {
			if b == '\n' {
				line, col = line+1, 1
			} else {
				col++
			}
		}
		return fmt.Sprintf("line %d, column %d: %v", line, col, err)
	case errors.As(err, &te):
		return fmt.Sprintf("%s: want a JSON %s, got a JSON %s", te.Field, jsonKind(te.Type.Kind()), te.Value)
	}
	return err.Error()
}

func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Int:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice:
		return "array"
	}
	return "object"
}

func isSHA256Hex(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// Baselined reports whether f is in the baseline.
func (b *Baseline) Baselined(f finding.Finding) bool {
	return b != nil && b.Fingerprints[f.FingerprintHash()]
}

// WriteBaseline writes the findings of rep that are open today, that is
// every finding but those an inline ignore or an exception covers, as a
// deterministic JSON document sorted by fingerprint: the same findings
// always give the same bytes (there is no timestamp). Findings that share
// a fingerprint are written once. Call it after Apply.
func WriteBaseline(w io.Writer, rep *finding.Report) error {
	byFP := map[string]BaselineEntry{}
	for _, f := range rep.Findings {
		if s := f.Suppressed; s != nil && (s.Kind == finding.SuppressedInline || s.Kind == finding.SuppressedException) {
			continue
		}
		e := BaselineEntry{
			Fingerprint: f.FingerprintHash(),
			RuleID:      f.RuleID,
			Root:        f.Root,
			Resource:    f.Resource,
			Attribute:   f.Attribute,
			File:        f.Location.Range.File,
		}
		// Of the findings sharing a fingerprint keep the first in a fixed
		// order, whatever the order of rep.Findings.
		if old, ok := byFP[e.Fingerprint]; ok && !entryLess(e, old) {
			continue
		}
		byFP[e.Fingerprint] = e
	}
	doc := baselineDoc{Version: baselineVersion, Tool: baselineTool, Findings: make([]BaselineEntry, 0, len(byFP))}
	for _, e := range byFP {
		doc.Findings = append(doc.Findings, e)
	}
	sort.Slice(doc.Findings, func(i, j int) bool { return doc.Findings[i].Fingerprint < doc.Findings[j].Fingerprint })
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(out, '\n'))
	return err
}

func entryLess(a, b BaselineEntry) bool {
	if a.File != b.File {
		return a.File < b.File
	}
	return a.Attribute < b.Attribute
}
