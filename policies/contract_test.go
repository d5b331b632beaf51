package policies

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
)

// typeLike matches a string constant that names a resource type: a
// Terraform type of a provider the built-in rules cover, or a CloudFormation
// type.
var typeLike = regexp.MustCompile(`^((aws|azurerm|azuread|google)_[a-z0-9_]+|(AWS|Alexa)::[A-Za-z0-9]+::[A-Za-z0-9]+)$`)

// notRead are type-like constants a rule may hold without reading the type
// (a type named only to be excluded), by rule id.
var notRead = map[string][]string{
	// Resources that monitor or lock down the default network are exempt
	// from reporting (_exempt_referrers).
	"PCS-AWS-002": {"aws_flow_log", "aws_default_network_acl", "aws_default_route_table", "aws_default_vpc_dhcp_options"},
}

// TestResourceTypesListEveryTypeRead checks the contract that makes the
// engine's skip safe: a rule runs only on graphs that hold one of its
// resource_types, so a type a rule reads but does not list would silently
// not be checked on a graph holding only that type. For every built-in
// rule, every resource type named by a string constant in the rule's own
// module must be in its resource_types. (Types a library reads for it are
// checked by TestSkipLosesNoFinding, on the examples.)
func TestResourceTypesListEveryTypeRead(t *testing.T) {
	mods, err := ReadModules(BuiltinSource())
	if err != nil {
		t.Fatal(err)
	}
	eng, err := New(context.Background(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range eng.Rules() {
		if len(r.ResourceTypes) == 0 {
			continue // runs on every graph
		}
		listed := map[string]bool{}
		for _, t := range r.ResourceTypes {
			listed[t] = true
		}
		for _, t := range notRead[r.ID] {
			listed[t] = true
		}
		var missing []string
		for typ, where := range typeConstants(mods[r.File]) {
			if !listed[typ] {
				missing = append(missing, fmt.Sprintf("%s (%s)", typ, where))
			}
		}
		sort.Strings(missing)
		if len(missing) > 0 {
			t.Errorf("%s (%s) names resource types its METADATA resource_types does not list; it would not run on a graph holding only those (list them, see docs/writing-policies.md):\n  %s",
				r.ID, r.File, strings.Join(missing, "\n  "))
		}
	}
}

// typeConstants returns the type-like string constants of the rules and
// functions of m, each with the line of its first occurrence. Constants in
// a negated expression or compared with != are left out: excluding a type
// is not reading it.
func typeConstants(m *ast.Module) map[string]string {
	found := map[string]string{}
	for _, rule := range m.Rules {
		ast.NewGenericVisitor(func(x any) bool {
			switch x := x.(type) {
			case *ast.Expr:
				return x.Negated || x.IsCall() && x.Operator().Equal(ast.NotEqual.Ref())
			case *ast.Term:
				if s, ok := x.Value.(ast.String); ok && typeLike.MatchString(string(s)) {
					if _, ok := found[string(s)]; !ok {
						found[string(s)] = fmt.Sprintf("line %d", x.Location.Row)
					}
				}
			}
			return false
		}).Walk(rule)
	}
	return found
}

// TestBuiltinHeaders checks what New reads of a built-in module without
// parsing it whole (readHeader): the package, the METADATA and whether it
// is a rule are those of the whole module.
func TestBuiltinHeaders(t *testing.T) {
	n := 0
	err := readSources(BuiltinSource(), func(name, text string) error {
		n++
		whole, err := parseModule(name, text)
		if err != nil {
			return err
		}
		h, err := readHeader(name, text)
		if err != nil {
			return err
		}
		if !h.pkg.Equal(whole.Package.Path) {
			t.Errorf("%s: package %s, want %s", name, h.pkg, whole.Package.Path)
		}
		if got, want := fmt.Sprint(h.imports), fmt.Sprint(importRefs(whole)); got != want {
			t.Errorf("%s: imports read with the header %s, in the module %s", name, got, want)
		}
		if h.rule != definesEntrypoint(whole) {
			t.Errorf("%s: read as a rule %t, but defines deny %t (define deny at the start of a line)", name, h.rule, definesEntrypoint(whole))
		}
		if h.rule {
			a, errA := ruleOf(name, h.header)
			b, errB := ruleOf(name, whole)
			if fmt.Sprint(a, errA) != fmt.Sprint(b, errB) {
				t.Errorf("%s: metadata from the header %v (%v), from the module %v (%v)", name, a, errA, b, errB)
			}
		}
		return nil
	})
	if err != nil || n == 0 {
		t.Fatal(err, n)
	}
}

// TestSkipLosesNoFinding checks the same contract on the examples, through
// the libraries too: for every rule, each example graph without the
// resources of the rule's resource_types (a graph the engine skips the rule
// on) must give the rule no finding when the rule runs anyway.
func TestSkipLosesNoFinding(t *testing.T) {
	ctx := context.Background()
	graphs, _, err := parser.Load(ctx, os.DirFS("../examples"), []string{"."}, parser.Options{})
	if err != nil || len(graphs) == 0 {
		t.Fatal(err, len(graphs))
	}
	all, err := New(ctx, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, r := range all.Rules() {
		if len(r.ResourceTypes) == 0 {
			continue
		}
		var others []string
		for _, o := range all.Rules() {
			if o.ID != r.ID {
				others = append(others, o.ID)
			}
		}
		eng, err := New(ctx, Options{Enable: []string{r.ID}, Disable: others})
		if err != nil {
			t.Fatal(err)
		}
		eng.everyGraph = true
		types := map[string]bool{}
		for _, typ := range r.ResourceTypes {
			types[typ] = true
		}
		for _, g := range graphs {
			sub := without(g, types)
			fs, _, err := eng.Evaluate(ctx, sub)
			if err != nil {
				t.Fatal(err)
			}
			checked++
			for _, f := range fs {
				t.Errorf("%s (%s) reports %s (%s) on %s without any resource of its resource_types: the engine would skip it there; list the types it reads (its library's too) in resource_types",
					r.ID, r.File, f.Resource, f.Type, g.Root)
			}
		}
	}
	if checked == 0 {
		t.Fatal("nothing checked")
	}
}

// without returns a copy of g without the resources of the given types.
func without(g *graph.Graph, types map[string]bool) *graph.Graph {
	out := *g
	out.Resources = nil
	for _, r := range g.Resources {
		if !types[r.Type] {
			c := *r
			c.Refs = append([]graph.Ref(nil), r.Refs...)
			out.Resources = append(out.Resources, &c)
		}
	}
	out.Link()
	return &out
}
