package plan

import (
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// Sensitive values of a plan (after_sensitive) may be read by rules, but
// never reach a range path (a sensitive map's keys), nor an origin's
// values.

// sensitiveAt returns the part of a sensitive tree at a dotted attribute
// path, and whether a proper prefix of the path is flagged sensitive
// (the path lies inside a sensitive value).
func sensitiveAt(sens map[string]any, path string) (part any, inside bool) {
	part, prefix := sensitivePrefix(sens, path)
	return part, prefix != ""
}

// sensitivePrefix is sensitiveAt, with the proper prefix of path that is
// flagged sensitive ("" when there is none).
func sensitivePrefix(sens map[string]any, path string) (part any, prefix string) {
	var cur any = sens
	if path == "" {
		return cur, ""
	}
	steps := strings.Split(path, ".")
	for i, step := range steps {
		if b, ok := cur.(bool); ok && b && i > 0 {
			return true, strings.Join(steps[:i], ".")
		}
		switch c := cur.(type) {
		case map[string]any:
			cur = c[step]
		case []any:
			i, err := strconv.Atoi(step)
			if err != nil || i < 0 || i >= len(c) {
				return nil, ""
			}
			cur = c[i]
		default:
			return nil, ""
		}
	}
	return cur, ""
}

// addOrigins records origins at path, or, when path lies inside a
// sensitive value, at that value's path, without the values they carried:
// a path must not show a sensitive map key.
func addOrigins(r *graph.Resource, path string, os []graph.Origin) {
	part, prefix := sensitivePrefix(r.Sensitive, path)
	if prefix != "" || anyTrue(part) {
		os = withoutValues(os)
	}
	if prefix == "" {
		r.Origins[path] = os
		return
	}
	for _, o := range os {
		dup := false
		for _, x := range r.Origins[prefix] {
			if x.Kind == o.Kind && x.Range == o.Range && x.Description == o.Description {
				dup = true
				break
			}
		}
		if !dup {
			r.Origins[prefix] = append(r.Origins[prefix], o)
		}
	}
}

// insideSensitive reports whether path lies inside a sensitive value.
func insideSensitive(sens map[string]any, path string) bool {
	_, inside := sensitiveAt(sens, path)
	return inside
}

func anyTrue(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case map[string]any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	case []any:
		for _, e := range x {
			if anyTrue(e) {
				return true
			}
		}
	}
	return false
}

// withoutValues copies origins without the values they carried.
func withoutValues(os []graph.Origin) []graph.Origin {
	out := make([]graph.Origin, len(os))
	for i, o := range os {
		o.Values = nil
		out[i] = o
	}
	return out
}

// dropInsideSensitive removes the ranges of paths inside sensitive values.
func dropInsideSensitive(r *graph.Resource) {
	for p := range r.Ranges {
		if insideSensitive(r.Sensitive, p) {
			delete(r.Ranges, p)
		}
	}
}
