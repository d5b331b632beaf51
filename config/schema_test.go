package config

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/open-policy-agent/opa/v1/rego"
	"github.com/xeipuuv/gojsonschema"
	"go.yaml.in/yaml/v3"
)

// jsonValue is the JSON value an editor sees for a YAML node (keys are
// strings), as yaml-language-server validates it.
func jsonValue(t *testing.T, n *yaml.Node) any {
	t.Helper()
	switch n.Kind {
	case yaml.DocumentNode:
		return jsonValue(t, n.Content[0])
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = jsonValue(t, n.Content[i+1])
		}
		return m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, jsonValue(t, c))
		}
		return l
	}
	var v any
	if err := n.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func schemaErrors(t *testing.T, s *gojsonschema.Schema, doc string) []string {
	t.Helper()
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatal(err)
	}
	res, err := s.Validate(gojsonschema.NewGoLoader(jsonValue(t, &n)))
	if err != nil {
		t.Fatal(err)
	}
	var errs []string
	for _, e := range res.Errors() {
		errs = append(errs, e.String())
	}
	return errs
}

func loadSchema(t *testing.T) *gojsonschema.Schema {
	t.Helper()
	s, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(Schema))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestSchemaAgreesWithLoad: the schema and Load accept and refuse the same
// documents, every key included.
func TestSchemaAgreesWithLoad(t *testing.T) {
	s := loadSchema(t)
	full, err := os.ReadFile(filepath.Join("testdata", "full.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, doc string
		ok        bool
	}{
		{"full example", string(full), true},
		{"version only", "version: 1", true},
		{"missing version", "exclude: [a]", false},
		{"version 2", "version: 2", false},
		{"version string", "version: \"1\"", false},
		{"unknown key", "version: 1\nexlude: [a]", false},
		{"rule enabled", "version: 1\nrules: {PCS-AWS-001: {enabled: false}}", true},
		{"rule by name", "version: 1\nrules: {ingress-open-to-internet: {severity: medium}}", true},
		{"rule both", "version: 1\nrules: {R: {enabled: true, severity: critical}}", true},
		{"rule empty", "version: 1\nrules: {R: {}}", false},
		{"rule null", "version: 1\nrules: {R: null}", false},
		{"rule unknown key", "version: 1\nrules: {R: {enable: false}}", false},
		{"rule bad severity", "version: 1\nrules: {R: {severity: hihg}}", false},
		{"rule capital severity", "version: 1\nrules: {R: {severity: High}}", false},
		{"rule enabled string", "version: 1\nrules: {R: {enabled: \"false\"}}", false},
		{"rule id empty", "version: 1\nrules: {\"\": {enabled: false}}", false},
		{"rule id space", "version: 1\nrules: {\"A B\": {enabled: false}}", false},
		{"rules list", "version: 1\nrules: [R]", false},
		{"exclude", "version: 1\nexclude: [\"a/**\", \"*.tf\", \"b/\", \"./c\", \"{x,y}/[ab]?.tf\"]", true},
		{"exclude empty list", "version: 1\nexclude: []", true},
		{"exclude string", "version: 1\nexclude: a/**", false},
		{"exclude absolute", "version: 1\nexclude: [/a]", false},
		{"exclude drive", "version: 1\nexclude: [\"c:/a\"]", false},
		{"exclude dotdot", "version: 1\nexclude: [a/../b]", false},
		{"exclude backslash", "version: 1\nexclude: ['a\\b']", false},
		{"exclude blank", "version: 1\nexclude: [\" \"]", false},
		{"exclude dot slash", "version: 1\nexclude: [\"./\"]", false},
		{"exclude number", "version: 1\nexclude: [1]", false},
		{"policy_dirs", "version: 1\npolicy_dirs: [policies, ../shared/policies, /opt/p]", true},
		{"policy_dirs blank", "version: 1\npolicy_dirs: [\"\"]", false},
		{"policy_dirs string", "version: 1\npolicy_dirs: policies", false},
		{"exceptions", "version: 1\nexceptions: sec/exceptions.yaml", true},
		{"exceptions off", "version: 1\nexceptions: \"\"", true},
		{"exceptions number", "version: 1\nexceptions: 1", false},
		{"baseline", "version: 1\nbaseline: .portcullis/baseline.json", true},
		{"baseline bool", "version: 1\nbaseline: false", false},
		{"severity_threshold", "version: 1\nseverity_threshold: high", true},
		{"severity_threshold bad", "version: 1\nseverity_threshold: severe", false},
		{"output", "version: 1\noutput: {formats: [json, \"html=report.html\", soc2-csv=a.csv, junit=j.xml, github, markdown=m.md], group_by: none, style: quiet, color: true}", true},
		{"output empty", "version: 1\noutput: {}", true},
		{"output unknown key", "version: 1\noutput: {colour: true}", false},
		{"output unknown format", "version: 1\noutput: {formats: [xml]}", false},
		{"output empty file", "version: 1\noutput: {formats: [\"sarif=\"]}", false},
		{"output blank file", "version: 1\noutput: {formats: [\"sarif= \"]}", false},
		{"output bad style", "version: 1\noutput: {style: short}", false},
		{"output bad group_by", "version: 1\noutput: {group_by: rule}", false},
		{"output color string", "version: 1\noutput: {color: \"no\"}", false},
		{"ports", "version: 1\nports: {catalogue: {1: {service: tcpmux, category: admin}, 65535: {service: top, category: web}}, public: [1, 65535]}", true},
		{"ports string key", "version: 1\nports: {catalogue: {\"6380\": {service: Redis, category: cache}}}", true},
		{"ports empty", "version: 1\nports: {}", true},
		{"ports unknown key", "version: 1\nports: {private: [22]}", false},
		{"port 0", "version: 1\nports: {catalogue: {0: {service: x, category: web}}}", false},
		{"port 65536", "version: 1\nports: {catalogue: {65536: {service: x, category: web}}}", false},
		{"port name", "version: 1\nports: {catalogue: {ssh: {service: x, category: web}}}", false},
		{"port leading zero", "version: 1\nports: {catalogue: {\"022\": {service: x, category: web}}}", false},
		{"port missing category", "version: 1\nports: {catalogue: {22: {service: x}}}", false},
		{"port missing service", "version: 1\nports: {catalogue: {22: {category: admin}}}", false},
		{"port blank service", "version: 1\nports: {catalogue: {22: {service: \" \", category: admin}}}", false},
		{"port unknown category", "version: 1\nports: {catalogue: {22: {service: x, category: kv}}}", false},
		{"port unknown key", "version: 1\nports: {catalogue: {22: {service: x, category: admin, severity: low}}}", false},
		{"public 0", "version: 1\nports: {public: [0]}", false},
		{"public 65536", "version: 1\nports: {public: [65536]}", false},
		{"public twice", "version: 1\nports: {public: [80, 80]}", false},
		{"public string", "version: 1\nports: {public: [\"80\"]}", false},
		{"public range", "version: 1\nports: {public: [80-443]}", false},
		{"incomplete allow", "version: 1\nincomplete: allow", true},
		{"incomplete fail", "version: 1\nincomplete: fail", true},
		{"incomplete bad", "version: 1\nincomplete: warn", false},
		{"ignores", "version: 1\nignores: {inline: false, require: [ticket]}", true},
		{"ignores unknown key", "version: 1\nignores: {inline: false, expiry: true}", false},
		{"ignores require unknown", "version: 1\nignores: {require: [team]}", false},
		{"ignores require twice", "version: 1\nignores: {require: [owner, owner]}", false},
		{"ignores inline string", "version: 1\nignores: {inline: \"yes\"}", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, loadErr := Load(FileName, []byte(tc.doc))
			schemaErrs := schemaErrors(t, s, tc.doc)
			if (loadErr == nil) != tc.ok {
				t.Errorf("Load: %v, want ok=%v", loadErr, tc.ok)
			}
			if (len(schemaErrs) == 0) != tc.ok {
				t.Errorf("schema: %q, want ok=%v", schemaErrs, tc.ok)
			}
		})
	}
}

// TestSchemaCannotSee lists what only Load refuses: a JSON Schema sees the
// JSON value of a document, not its YAML form or a glob's syntax. The
// schema accepts these; if it learns to refuse one, move it to
// TestSchemaAgreesWithLoad.
func TestSchemaCannotSee(t *testing.T) {
	s := loadSchema(t)
	for _, tc := range []struct{ name, doc string }{
		{"duplicate key", "version: 1\nexclude: [a]\nexclude: [b]"},
		{"unclosed class", "version: 1\nexclude: [\"a/[b\"]"},
		{"unclosed brace", "version: 1\nexclude: [\"{a,b\"]"},
		{"catalogue port twice as number and string", "version: 1\nports: {catalogue: {22: {service: a, category: admin}, \"22\": {service: b, category: admin}}}"},
		{"version as 1.0", "version: 1.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Load(FileName, []byte(tc.doc)); err == nil {
				t.Errorf("Load accepted it")
			}
			if errs := schemaErrors(t, s, tc.doc); len(errs) != 0 {
				t.Errorf("the schema now refuses it (%q): move the case to TestSchemaAgreesWithLoad", errs)
			}
		})
	}
}

// snake turns a Go field name into its key: SeverityThreshold ->
// severity_threshold.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TestSchemaCoversConfig: every field of Config (and of the types it holds)
// is a key of the schema and of the decoder, and every key of the schema
// is a field, so the three cannot drift apart.
func TestSchemaCoversConfig(t *testing.T) {
	var doc map[string]any
	if err := json.Unmarshal(Schema, &doc); err != nil {
		t.Fatal(err)
	}
	props := func(node map[string]any) map[string]any {
		if p, ok := node["properties"].(map[string]any); ok {
			return p
		}
		t.Fatalf("no properties in %v", node)
		return nil
	}
	elem := func(node map[string]any) map[string]any {
		return node["additionalProperties"].(map[string]any)
	}
	top := props(doc)
	levels := []struct {
		typ    reflect.Type
		schema map[string]any
		skip   []string
	}{
		{reflect.TypeFor[Config](), top, []string{"Path"}},
		{reflect.TypeFor[Rule](), props(elem(top["rules"].(map[string]any))), nil},
		{reflect.TypeFor[Output](), props(top["output"].(map[string]any)), nil},
		{reflect.TypeFor[Ports](), props(top["ports"].(map[string]any)), nil},
		{reflect.TypeFor[Port](), props(elem(props(top["ports"].(map[string]any))["catalogue"].(map[string]any))), nil},
		{reflect.TypeFor[IgnorePolicy](), props(top["ignores"].(map[string]any)), nil},
	}
	for _, l := range levels {
		var fields []string
		for f := range l.typ.Fields() {
			if f.IsExported() && !slices.Contains(l.skip, f.Name) {
				fields = append(fields, snake(f.Name))
			}
		}
		var keys []string
		for k, v := range l.schema {
			keys = append(keys, k)
			if d, _ := v.(map[string]any)["description"].(string); d == "" {
				t.Errorf("%s.%s has no description in the schema", l.typ.Name(), k)
			}
		}
		sort.Strings(fields)
		sort.Strings(keys)
		if d := cmpStrings(fields, keys); d != "" {
			t.Errorf("%s fields and schema keys differ: %s", l.typ.Name(), d)
		}
		// The decoder knows each key: a document setting it to a value of
		// the wrong kind fails on the value, not as an unknown key.
		for _, k := range keys {
			d := decodeOnly(l.typ, k)
			if _, err := Load(FileName, []byte(d)); err == nil || strings.Contains(err.Error(), "unknown key") {
				t.Errorf("%s.%s: the decoder does not know the key: %q gave %v", l.typ.Name(), k, d, err)
			}
		}
	}
	if d := cmpStrings(sortedCopy(topKeys), sortedKeys(top)); d != "" {
		t.Errorf("topKeys and the schema differ: %s", d)
	}
}

// decodeOnly is a document that sets key of the level typ to a mapping
// holding an unknown key (a wrong value for every key).
func decodeOnly(typ reflect.Type, key string) string {
	bad := "{zzz: 1}"
	if key == "version" {
		return "version: {zzz: 1}"
	}
	switch typ {
	case reflect.TypeFor[Config]():
		return "version: 1\n" + key + ": [[zzz]]"
	case reflect.TypeFor[Rule]():
		return "version: 1\nrules: {R: {" + key + ": " + bad + "}}"
	case reflect.TypeFor[Output]():
		return "version: 1\noutput: {" + key + ": " + bad + "}"
	case reflect.TypeFor[Ports]():
		return "version: 1\nports: {" + key + ": [[zzz]]}"
	case reflect.TypeFor[Port]():
		return "version: 1\nports: {catalogue: {22: {" + key + ": " + bad + "}}}"
	case reflect.TypeFor[IgnorePolicy]():
		return "version: 1\nignores: {" + key + ": " + bad + "}"
	}
	return ""
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedCopy(s []string) []string {
	c := slices.Clone(s)
	sort.Strings(c)
	return c
}

func cmpStrings(a, b []string) string {
	if slices.Equal(a, b) {
		return ""
	}
	return "\n  " + strings.Join(a, ", ") + "\n  " + strings.Join(b, ", ")
}

// TestCategoriesMatchPolicies: Categories and the schema's enum are the
// categories of policies/lib/ports.rego, and Formats are the schema's.
func TestCategoriesMatchPolicies(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "policies", "lib", "ports.rego"))
	if err != nil {
		t.Fatal(err)
	}
	rs, err := rego.New(
		rego.Query("x := data.portcullis.lib.ports.categories"),
		rego.Module("ports.rego", string(src)),
	).Eval(context.Background())
	if err != nil || len(rs) != 1 {
		t.Fatalf("eval: %v %v", rs, err)
	}
	cats := sortedKeys(rs[0].Bindings["x"].(map[string]any))
	if d := cmpStrings(sortedCopy(Categories), cats); d != "" {
		t.Errorf("Categories and ports.rego differ: %s", d)
	}
	var doc struct {
		Properties struct {
			Ports struct {
				Properties struct {
					Catalogue struct {
						AdditionalProperties struct {
							Properties struct {
								Category struct {
									Enum []string `json:"enum"`
								} `json:"category"`
							} `json:"properties"`
						} `json:"additionalProperties"`
					} `json:"catalogue"`
				} `json:"properties"`
			} `json:"ports"`
			Output struct {
				Properties struct {
					Formats struct {
						Items struct {
							Pattern string `json:"pattern"`
						} `json:"items"`
					} `json:"formats"`
				} `json:"properties"`
			} `json:"output"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(Schema, &doc); err != nil {
		t.Fatal(err)
	}
	if d := cmpStrings(Categories, doc.Properties.Ports.Properties.Catalogue.AdditionalProperties.Properties.Category.Enum); d != "" {
		t.Errorf("Categories and the schema differ: %s", d)
	}
	want := "^(" + strings.Join(Formats, "|") + ")(=.*\\S.*)?$"
	if got := doc.Properties.Output.Properties.Formats.Items.Pattern; got != want {
		t.Errorf("the schema's format pattern is %q, want %q", got, want)
	}
}

// TestDocsExample: the full example of docs/configuration.md loads, passes
// the schema and sets every top-level key.
func TestDocsExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "docs", "configuration.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- full example -->\n```yaml\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("docs/configuration.md has no <!-- full example --> yaml block")
	}
	doc := string(m[1])
	if !strings.HasPrefix(doc, "# yaml-language-server: $schema=") {
		t.Errorf("the example does not start with the yaml-language-server schema comment")
	}
	if _, err := Load(FileName, []byte(doc)); err != nil {
		t.Errorf("Load: %v", err)
	}
	if errs := schemaErrors(t, loadSchema(t), doc); len(errs) != 0 {
		t.Errorf("schema: %q", errs)
	}
	var n yaml.Node
	if err := yaml.Unmarshal([]byte(doc), &n); err != nil {
		t.Fatal(err)
	}
	v := jsonValue(t, &n).(map[string]any)
	if d := cmpStrings(sortedCopy(topKeys), sortedKeys(v)); d != "" {
		t.Errorf("the example does not set every key: %s", d)
	}
	// Every key is documented in a section of its own.
	for _, k := range topKeys {
		if !strings.Contains(string(b), "### `"+k+"`") {
			t.Errorf("docs/configuration.md has no ### `%s` section", k)
		}
	}
}
