package plan_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/plan"
)

// Through parser.Load: plan files named explicitly are detected by content;
// while walking, only plan.json, tfplan.json and *.tfplan.json are.
func TestParserLoadDispatchesPlans(t *testing.T) {
	full, err := os.ReadFile("testdata/plans/full.tfplan.json")
	if err != nil {
		t.Fatal(err)
	}
	small := []byte(`{"format_version": "1.2", "resource_changes": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b", "change": {"actions": ["create"], "after": {"bucket": "b"}}}]}`)
	main, err := os.ReadFile("testdata/src/main.tf")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{
		"repo/infra/main.tf":             {Data: main},
		"repo/infra/plan.json":           {Data: full},
		"repo/infra/modules/net/main.tf": {Data: []byte(`variable "vpc_id" {}`)},
		"repo/ci/prod.tfplan.json":       {Data: small},
		"repo/ci/export.json":            {Data: small}, // a plan, but not named like one: skipped while walking
		"repo/ci/template.json":          {Data: []byte(`{"Resources": {}}`)},
		"repo/.terraform/tfplan.json":    {Data: small}, // hidden directory: skipped
		"exports/custom-name.json":       {Data: small},
		"exports/not-a-plan.json":        {Data: []byte(`{"name": "x"}`)},
		"exports/broken.tfplan.json":     {Data: []byte(`{"format_version": "1.2", "resource_changes": [`)},
	}
	graphs, _, err := parser.Load(context.Background(), fsys, []string{"repo", "exports/custom-name.json", "exports/broken.tfplan.json"},
		parser.Options{Plan: plan.Options{}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range graphs {
		s := string(g.Format) + " " + g.Root
		if g.Format == graph.FormatTerraformPlan {
			s += " " + strings.Join(addressesOf(g), ",")
			for _, d := range g.Diagnostics {
				s += " [" + d.Summary + "]"
			}
		}
		got = append(got, s)
	}
	// repo/infra is scanned as HCL too: a plan is scanned in addition to
	// its configuration, never instead of it.
	want := []string{
		"terraform repo/infra",
		"terraform-plan exports/broken.tfplan.json  [invalid JSON in the plan file]",
		"terraform-plan exports/custom-name.json aws_s3_bucket.b",
		"terraform-plan repo/ci/prod.tfplan.json aws_s3_bucket.b",
		"terraform-plan repo/infra/plan.json " + strings.Join([]string{
			`aws_cloudwatch_log_group.app`, `aws_db_instance.db`, `aws_instance.app[0]`, `aws_instance.app[1]`,
			`aws_s3_bucket.logs["a"]`, `aws_security_group.web`, `aws_security_group_rule.ssh`,
			`aws_vpc_security_group_ingress_rule.from_net`, `data.aws_iam_policy_document.bucket`, `data.aws_vpc.main`,
			`module.net.aws_eip.nat`, `module.net.aws_security_group.x`, `module.net.aws_security_group_rule.egress`,
		}, ","),
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("graphs (-want +got):\n%s", diff)
	}
	// The plan beside its configuration takes its locations from it.
	for _, g := range graphs {
		if g.Root == "repo/infra/plan.json" {
			if r := g.Resource("aws_security_group.web"); r == nil || r.Range.File != "repo/infra/main.tf" || r.Range.Start.Line != 10 {
				t.Errorf("web: %+v", r)
			}
		}
	}

	// A JSON file named explicitly that is neither a plan nor a template
	// is reported as an error.
	gs, _, err := parser.Load(context.Background(), fsys, []string{"exports/not-a-plan.json"}, parser.Options{})
	if err != nil || len(gs) != 1 || len(gs[0].Diagnostics) != 1 || gs[0].Diagnostics[0].Summary != "not a CloudFormation template" ||
		gs[0].Diagnostics[0].Severity != graph.SeverityError {
		t.Errorf("not-a-plan.json: %v %+v", err, gs)
	}
}

func addressesOf(g *graph.Graph) []string {
	var out []string
	for _, r := range g.Resources {
		out = append(out, r.Address)
	}
	return out
}

// A plan named twice (b/plan.json, ./b/plan.json) is loaded once; plans come
// back in name order.
func TestPlansAreLoadedOnceInNameOrder(t *testing.T) {
	planJSON := []byte(`{"format_version": "1.2", "resource_changes": []}`)
	fsys := fstest.MapFS{"b/plan.json": {Data: planJSON}, "a/plan.json": {Data: planJSON}}
	gs, _, err := parser.Load(t.Context(), fsys, []string{"b/plan.json", "a/plan.json", "./b/plan.json"}, parser.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var roots []string
	for _, g := range gs {
		roots = append(roots, g.Root)
	}
	if diff := cmp.Diff([]string{"a/plan.json", "b/plan.json"}, roots); diff != "" {
		t.Errorf("roots (-want +got):\n%s", diff)
	}
}
