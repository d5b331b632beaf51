package cloudformation

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

// noEchoSecrets are the values of the NoEcho parameters of
// testdata/templates/noecho.yaml (given on the command line, in a parameter
// file, as Defaults), a name written inside one, and the value the
// parameter file gives a parameter that the template does not declare
// (another template may declare it NoEcho).
var noEchoSecrets = []string{"Hunter2Pw", "FiLeSeCrEt9", "DeFaUlTsEcReT", "ListSecretA", "ListSecretB", "SubSecretInner", "OtHeRsEcReT"}

// shownText is everything of a graph that is shown as text: diagnostics,
// addresses, property paths, origins, references, meta, sources, ignores. Values
// are not: they are marked in Sensitive and redacted by their taint.
func shownText(t *testing.T, g *graph.Graph) string {
	t.Helper()
	var b strings.Builder
	add := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	for _, d := range g.Diagnostics {
		add(d.String())
	}
	add(strings.Join(g.Files, " "))
	for f, src := range g.Sources {
		add(f)
		add(string(src))
	}
	for _, r := range g.Resources {
		add(r.Address + " " + r.Name + " " + r.Type)
		for p := range r.Ranges {
			add(p)
		}
		for p, os := range r.Origins {
			add(p)
			for _, o := range os {
				add(o.Description + " " + strings.Join(o.Values, " ") + " " + o.Range.String())
			}
		}
		for _, ref := range append(r.Refs, r.ReferencedBy...) {
			add(ref.Attribute + " " + ref.Target + " " + ref.TargetAttribute)
		}
		meta, err := json.Marshal(r.Meta)
		if err != nil {
			t.Fatal(err)
		}
		add(string(meta))
		keys, _ := json.Marshal(pathsOf(r.Values, ""))
		add(string(keys))
	}
	for _, ig := range g.Ignores {
		add(strings.Join(ig.Rules, ",") + " " + ig.Reason + " " + ig.Owner + " " + ig.Ticket + " " + ig.Expires + " " + ig.Problem)
	}
	return b.String()
}

// pathsOf lists the paths of a value tree (its keys, not its values).
func pathsOf(v any, at string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			out = append(out, joinPath(at, k))
			out = append(out, pathsOf(e, joinPath(at, k))...)
		}
	case []any:
		for _, e := range x {
			out = append(out, pathsOf(e, at)...)
		}
	}
	return out
}

func assertNoSecret(t *testing.T, g *graph.Graph, secrets ...string) {
	t.Helper()
	text := strings.ToLower(shownText(t, g))
	for _, s := range secrets {
		for _, form := range []string{s, base64.StdEncoding.EncodeToString([]byte(s))} {
			if strings.Contains(text, strings.ToLower(form)) {
				t.Errorf("%q is shown:\n%s", form, text)
			}
		}
	}
}

func TestNoEchoNeverShown(t *testing.T) {
	g := loadFixture(t, "noecho.yaml", Options{Parameters: map[string]string{"Secret": "Hunter2Pw"},
		ParameterFiles: []ParamFile{paramFile(t, "noecho-params.json")}})
	assertNoSecret(t, g, noEchoSecrets...)

	if got := addresses(g); got != "Queue(sensitive-1) Queue(sensitive-2) SG Stack T(sensitive-1)" {
		t.Errorf("resources = %s", got)
	}
	want := strings.Join([]string{
		"24:10 warning invalid Fn::Select: the index is out of range for the list (values from a NoEcho parameter are not shown)",
		"25:10 warning mapping key not found: Fn::FindInMap: mapping M has no key (sensitive)",
		"26:10 warning mapping key not found: Fn::FindInMap: mapping M has no key (sensitive) under a",
		"27:10 warning mapping key not found: Fn::FindInMap: mapping (sensitive) is not declared",
		"30:10 warning invalid Fn::Cidr: (sensitive) is not a CIDR block",
		"31:10 warning undeclared reference: Fn::GetAtt names (sensitive), which is not a resource of this template",
		"32:10 warning undeclared reference: Ref names (sensitive), which is not a parameter, a resource or a pseudo parameter of this template",
		"34:10 warning undeclared reference: ${(sensitive)} names (sensitive), which is not a parameter, a resource or a pseudo parameter of this template",
		"40:10 warning invalid Fn::Select: the index must be an integer",
		"44:11 error property name from a NoEcho parameter: Fn::ForEach::Props builds the property name Prop${V} from a value of a NoEcho parameter, " +
			"which is never shown; it is evaluated as Prop(sensitive-1) (use a collection that is not secret)",
		"48:7 error logical ID from a NoEcho parameter: Fn::ForEach::Queues builds the logical ID Queue${Name} from a value of a NoEcho parameter, " +
			"which is never shown; it is evaluated as Queue(sensitive-1) (use a collection that is not secret)",
		"55:7 error logical ID from a NoEcho parameter: Fn::ForEach::Topics builds the logical ID T&{N2} from a value of a NoEcho parameter, " +
			"which is never shown; it is evaluated as T(sensitive-1) (use a collection that is not secret)",
		"60:20 error nested template not followed: the location of the nested stack's template comes from a NoEcho parameter, " +
			"which is never shown; the template is not loaded through it",
	}, "\n")
	if d := diagList(g); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}

	// Rules still judge with the real values, marked sensitive wherever
	// they went.
	sg := g.Resource("SG")
	if got := jsonOrEmpty(sg.Values); got != `{"A":"Hunter2Pw","B":"pw=Hunter2Pw","C":"FiLeSeCrEt9-x","D":"ListSecretA","I":"no","J":"SHVudGVyMlB3","N":"Hunter2Pw","P":false,`+
		`"Prop(sensitive-1)":"ListSecretA","Prop(sensitive-2)":"ListSecretB","Q":"{\"k\":\"Hunter2Pw\"}","R":2,"T":"plain-from-file"}` {
		t.Errorf("SG values = %s", got)
	}
	if got := jsonOrEmpty(sg.Sensitive); got != `{"A":true,"B":true,"C":true,"D":true,"E":true,"F":true,"G":true,"H":true,"I":true,"J":true,"K":true,"L":true,`+
		`"M":true,"N":true,"O":true,"P":true,"Prop(sensitive-1)":true,"Prop(sensitive-2)":true,"Q":true,"R":true,"S":true,"U":true}` {
		t.Errorf("SG sensitive = %s", got)
	}
	if got := jsonOrEmpty(sg.Meta); got != `{"imports":[{"attribute":"S"}]}` {
		t.Errorf("SG meta = %s (a NoEcho DeletionPolicy or export name is not recorded)", got)
	}
	if got := jsonOrEmpty(g.Resource("Queue(sensitive-2)").Sensitive); got != `{"QueueName":true}` {
		t.Errorf("queue sensitive = %s", got)
	}
	if got := NestedTemplates(g); len(got) != 0 {
		t.Errorf("nested templates = %v", got)
	}
	// The sources writers quote have the secrets masked, every position
	// kept.
	if got := string(g.Sources["noecho-params.json"]); !strings.Contains(got, `"ParameterValue": *************},`) ||
		!strings.Contains(got, `"plain-from-file"`) ||
		len(got) != len(paramFile(t, "noecho-params.json").Content) {
		t.Errorf("parameter file source:\n%s", got)
	}
	for _, r := range g.Resources {
		for _, os := range r.Origins {
			for _, o := range os {
				if len(o.Values) != 0 {
					t.Errorf("%s: origin values %v", r.Address, o.Values)
				}
			}
		}
	}
}

// A list item, an Fn::ForEach item or an Fn::Select element taken out of a
// NoEcho list is sensitive.
func TestNoEchoPartsAreSensitive(t *testing.T) {
	r, _ := evalCase(t, fnCase{expr: `{A: !Select [1, !Split [",", !Sub "a,${Secret}"]], B: !Select [0, !Split [",", !Ref Secret]], C: [!Ref Known]}`})
	if got := jsonOrEmpty(r.Sensitive); got != `{"P":{"A":true,"B":true}}` {
		t.Errorf("sensitive = %s", got)
	}
}

// A value looked up with a NoEcho key (Fn::FindInMap, or an Fn::If on a
// condition computed from one) is sensitive: it tells what the key is.
func TestNoEchoKeysTaintWhatTheyChoose(t *testing.T) {
	src := `Parameters:
  Env: {Type: String, NoEcho: true, Default: prod}
Conditions:
  Prod: !Equals [!Ref Env, prod]
  AlsoProd: !And [!Condition Prod, !Equals [a, a]]
Mappings:
  M:
    prod: {Cidr: 10.0.0.0/8}
Resources:
  R:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      CidrIp: !FindInMap [M, !Ref Env, Cidr]
      Description: !If [AlsoProd, production, other]
      Port: !If [Prod, 22, 443]
      Plain: !FindInMap [M, prod, Cidr]
`
	g := loadYAML(t, "t.yaml", src, Options{})
	r := g.Resource("R")
	if got := jsonOrEmpty(r.Values); got != `{"CidrIp":"10.0.0.0/8","Description":"production","Plain":"10.0.0.0/8","Port":22}` {
		t.Errorf("values = %s", got)
	}
	if got := jsonOrEmpty(r.Sensitive); got != `{"CidrIp":true,"Description":true,"Port":true}` {
		t.Errorf("sensitive = %s", got)
	}
	if len(g.Diagnostics) != 0 {
		t.Errorf("diagnostics:\n%s", diagList(g))
	}
}
