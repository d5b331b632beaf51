package policies

import "github.com/open-policy-agent/opa/v1/ast"

// helpURIOf is the documentation page a rule declares in its METADATA: the
// first related_resources ref that is an https URL with a host and no user
// information (credentials are never copied into a report). "" when there
// is none, so that writers link nothing rather than a page that does not
// exist.
func helpURIOf(ann *ast.Annotations) string {
	for _, rr := range ann.RelatedResources {
		if rr == nil {
			continue
		}
		u := rr.Ref
		if u.Scheme == "https" && u.Host != "" && u.User == nil {
			return u.String()
		}
	}
	return ""
}
