package triage

import (
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/portcullis-iac/portcullis/parser/cloudformation"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/terraform"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// TestTerraformIgnoresEndToEnd reads real Terraform with the real parser,
// makes the findings a rule on aws_security_group ingress would make (the
// location of the attribute, the resource header and the module-call
// headers innermost first, as the engine does), and triages them: the
// lines the parser gives ignores meet the lines of the graph.
func TestTerraformIgnoresEndToEnd(t *testing.T) {
	fsys := fstest.MapFS{
		"main.tf": {Data: []byte(`# portcullis:ignore PCS-T-1 reason="the edge is public" owner=team-net
module "edge" {
  source = "./modules/sg"
}

module "core" {
  source = "./modules/sg"
}

resource "aws_security_group" "web" {
  ingress {
    from_port = 443
    to_port   = 443
    protocol  = "tcp"
    # portcullis:ignore PCS-T-1 reason="public HTTPS"
    cidr_blocks = ["0.0.0.0/0"]
  }
}

resource "aws_security_group" "admin" {
  ingress {
    from_port   = 22
    to_port     = 22
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"] # portcullis:ignore PCS-T-1 reason="bastion" expires=2026-01-01
  }
}

# portcullis:ignore PCS-T-2 reason="nothing to ignore here"
resource "aws_s3_bucket" "b" {}
`)},
		"modules/sg/main.tf": {Data: []byte(`resource "aws_security_group" "this" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
`)},
	}
	g := terraform.LoadModule(fsys, ".", terraform.Options{})
	for _, d := range g.Diagnostics {
		if d.Severity == graph.SeverityError {
			t.Fatalf("load: %s", d)
		}
	}
	rep := &finding.Report{Rules: []finding.Rule{{ID: "PCS-T-1", Severity: finding.High}, {ID: "PCS-T-2", Severity: finding.Low}}, Ignores: g.Ignores}
	for _, r := range g.Resources {
		if r.Type != "aws_security_group" {
			continue
		}
		blocks := []graph.Range{r.Range}
		for i := len(r.Callers) - 1; i >= 0; i-- {
			if !r.Callers[i].External {
				blocks = append(blocks, r.Callers[i].Range)
			}
		}
		rep.Findings = append(rep.Findings, finding.Finding{RuleID: "PCS-T-1", Severity: finding.High, Resource: r.Address, Root: g.Root,
			Attribute: "ingress.0.cidr_blocks", Location: finding.Location{Range: r.Ranges["ingress.0.cidr_blocks"]}, Blocks: blocks})
	}
	diags := Apply(rep, Options{Now: clock, Inline: true})

	type row struct {
		Resource, At, Kind, Reason string
		SuppressedAt               string
	}
	var got []row
	for _, f := range rep.Findings {
		r := row{Resource: f.Resource, At: f.Location.Range.String()}
		if s := f.Suppressed; s != nil {
			r.Kind, r.Reason, r.SuppressedAt = s.Kind, s.Reason, s.Range.String()
		}
		got = append(got, r)
	}
	want := []row{
		{Resource: "aws_security_group.admin", At: "main.tf:25:19"},
		{Resource: "aws_security_group.web", At: "main.tf:16:19", Kind: "inline", Reason: "public HTTPS", SuppressedAt: "main.tf:15:7"},
		{Resource: "module.core.aws_security_group.this", At: "modules/sg/main.tf:6:19"},
		{Resource: "module.edge.aws_security_group.this", At: "modules/sg/main.tf:6:19", Kind: "inline", Reason: "the edge is public", SuppressedAt: "main.tf:1:3"},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	var gotDiags []string
	for _, d := range diags {
		gotDiags = append(gotDiags, d.String())
	}
	wantDiags := []string{
		"main.tf:25:35: warning: ignore of PCS-T-1 expired on 2026-01-01: it no longer suppresses findings: fix them, or renew the date if the risk is still accepted",
		"main.tf:29:3: warning: ignore matches no finding: no finding of PCS-T-2 points at line 30, and no resource or module block that produced one starts there; remove the ignore if the problem is fixed",
	}
	if d := cmp.Diff(wantDiags, gotDiags); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}

// TestCloudFormationIgnoresEndToEnd: Metadata ignores read by the real
// CloudFormation parser cover the findings of their resource only.
func TestCloudFormationIgnoresEndToEnd(t *testing.T) {
	src := []byte(`AWSTemplateFormatVersion: "2010-09-09"
Resources:
  WebSG:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      portcullis:
        ignore:
          - rule: PCS-T-1
            reason: public web tier
            owner: team-web
          - rules: [PCS-T-2]
            reason: nothing to ignore
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - CidrIp: 0.0.0.0/0
          IpProtocol: tcp
          FromPort: 443
          ToPort: 443
  AdminSG:
    Type: AWS::EC2::SecurityGroup
    Metadata:
      portcullis:
        ignore:
          - rule: PCS-T-1
            owner: team-ops
    Properties:
      GroupDescription: admin
      SecurityGroupIngress:
        - CidrIp: 0.0.0.0/0
          IpProtocol: tcp
          FromPort: 22
          ToPort: 22
`)
	g := cloudformation.LoadSource("stacks/web.yaml", src, true, cloudformation.Options{})
	for _, d := range g.Diagnostics {
		if d.Severity == graph.SeverityError {
			t.Fatalf("load: %s", d)
		}
	}
	rep := &finding.Report{Rules: []finding.Rule{{ID: "PCS-T-1", Severity: finding.High}, {ID: "PCS-T-2", Severity: finding.Low}}, Ignores: g.Ignores}
	for _, r := range g.Resources {
		rep.Findings = append(rep.Findings, finding.Finding{RuleID: "PCS-T-1", Severity: finding.High, Resource: r.Address, Root: g.Root,
			Attribute: "SecurityGroupIngress.0.CidrIp", Location: finding.Location{Range: r.Ranges["SecurityGroupIngress.0.CidrIp"]}, Blocks: []graph.Range{r.Range}})
	}
	diags := Apply(rep, Options{Now: clock, Inline: true})
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.Resource+" "+f.Location.Range.String()] = ""
		if s := f.Suppressed; s != nil {
			got[f.Resource+" "+f.Location.Range.String()] = s.Kind + ": " + s.Reason + " (" + s.Owner + ") at " + s.Range.String()
		}
	}
	want := map[string]string{
		"AdminSG stacks/web.yaml:30:19": "",
		"WebSG stacks/web.yaml:16:19":   "inline: public web tier (team-web) at stacks/web.yaml:8:13",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("findings (-want +got):\n%s", d)
	}
	var gotDiags []string
	for _, d := range diags {
		gotDiags = append(gotDiags, d.String())
	}
	wantDiags := []string{
		"stacks/web.yaml:11:13: warning: ignore matches no finding: no finding of PCS-T-2 on WebSG; remove the ignore if the problem is fixed",
		"stacks/web.yaml:25:13: warning: malformed ignore, not applied: the ignore of PCS-T-1 needs a reason",
	}
	if d := cmp.Diff(wantDiags, gotDiags); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
}
