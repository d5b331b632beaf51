package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// The content key of a finding (finding.Finding.Key) names the offending
// value by what it holds, not where it sits: the attribute path with each
// list index replaced by a digest of the element at that index, so that a
// baseline entry survives an element inserted or removed elsewhere in the
// list:
//
//	ingress.0.cidr_blocks.1  ->  ingress[3f2a9c01be77].cidr_blocks[9c1e00aa12f3]
//
// The digest is the first 12 hex digits of the SHA-256 of the element's
// canonical JSON (object keys sorted, as encoding/json writes maps), over
// its known values, with every sensitive value replaced by a placeholder:
// a digest never depends on a secret, which a short digest of a guessable
// password would give away. The n-th of several equal elements (n > 0
// earlier ones with the same digest) gets "#n" after its digest. Only
// lists are indexes (a map key made of digits stays as is); a segment the
// values cannot be walked through (an unknown value, an index past the
// end) stays as written, and so does the rest of the path.

// keyDigits is the number of hex digits of an element's digest.
const keyDigits = 12

// keyCache holds the element digests of the lists met while keying the
// findings of one graph: the findings of many elements of one long list
// digest it once.
type keyCache map[keyList][]string

// The digests of a list are stored with "#n" already appended to the n-th
// of equal elements.

// keyList names a list of a resource's values: its path with indexes.
type keyList struct {
	res  *graph.Resource
	path string
}

// contentKey returns the content key of an attribute path of res.
func (c keyCache) contentKey(res *graph.Resource, path string) string {
	if path == "" || res == nil {
		return ""
	}
	segs := strings.Split(path, ".")
	var b strings.Builder
	var cur, sens any = res.Values, res.Sensitive
	walked := true
	for i, seg := range segs {
		if walked {
			if list, ok := cur.([]any); ok {
				if n, err := strconv.Atoi(seg); err == nil && n >= 0 && n < len(list) && strconv.Itoa(n) == seg {
					b.WriteString("[" + c.digests(res, strings.Join(segs[:i], "."), list, sens)[n] + "]")
					cur, sens = list[n], sensitiveChild(sens, n)
					continue
				}
			}
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(seg)
		m, ok := cur.(map[string]any)
		if !walked || !ok {
			walked = false
			continue
		}
		cur = m[seg]
		if sm, ok := sens.(map[string]any); ok {
			sens = sm[seg]
		} else if sens != true {
			sens = nil
		}
	}
	return b.String()
}

// digests returns the keys of the elements of a list (a digest, and #n
// for the n-th of equal elements), computed once.
func (c keyCache) digests(res *graph.Resource, path string, list []any, sens any) []string {
	k := keyList{res, path}
	if d, ok := c[k]; ok {
		return d
	}
	d := make([]string, len(list))
	seen := make(map[string]int, len(list))
	for i, e := range list {
		h := digest(masked(e, sensitiveChild(sens, i)))
		d[i] = h
		if n := seen[h]; n > 0 {
			d[i] = h + "#" + strconv.Itoa(n)
		}
		seen[h]++
	}
	c[k] = d
	return d
}

// sensitiveChild is the sensitive mark of element i of a list whose mark
// is sens.
func sensitiveChild(sens any, i int) any {
	switch s := sens.(type) {
	case bool:
		return s
	case []any:
		if i < len(s) {
			return s[i]
		}
	}
	return nil
}

// digest is the short hex SHA-256 of v's canonical JSON.
func digest(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Values are JSON trees; keep a digest that is stable anyway.
		b = []byte("!" + err.Error())
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])[:keyDigits]
}
