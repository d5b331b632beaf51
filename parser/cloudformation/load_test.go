package cloudformation

import (
	"fmt"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/portcullis-iac/portcullis/parser/graph"
)

func loadYAML(t *testing.T, file, src string, opts Options) *graph.Graph {
	t.Helper()
	root, diags := Decode(file, []byte(src))
	if len(diags) > 0 {
		t.Fatalf("decode %s: %v", file, diags)
	}
	return LoadTemplate(file, root, []byte(src), opts)
}

func loadFixture(t *testing.T, name string, opts Options) *graph.Graph {
	t.Helper()
	src, err := os.ReadFile(path.Join("testdata/templates", name))
	if err != nil {
		t.Fatal(err)
	}
	return loadYAML(t, name, string(src), opts)
}

func paramFile(t *testing.T, name string) ParamFile {
	t.Helper()
	src, err := os.ReadFile(path.Join("testdata/templates", name))
	if err != nil {
		t.Fatal(err)
	}
	return ParamFile{Name: name, Content: src}
}

func addresses(g *graph.Graph) string {
	var out []string
	for _, r := range g.Resources {
		out = append(out, r.Address)
	}
	return strings.Join(out, " ")
}

func diagList(g *graph.Graph) string {
	var out []string
	for _, d := range g.Diagnostics {
		out = append(out, fmt.Sprintf("%d:%d %s %s: %s", d.Range.Start.Line, d.Range.Start.Column, d.Severity, d.Summary, d.Detail))
	}
	return strings.Join(out, "\n")
}

func TestIsTemplate(t *testing.T) {
	cases := []struct {
		src  string
		want bool
	}{
		{`AWSTemplateFormatVersion: "2010-09-09"`, true},
		{"Resources:\n  B:\n    Type: AWS::S3::Bucket\n", true},
		{"Resources:\n  C:\n    Type: Custom::Thing\n", true},
		{"Resources:\n  S:\n    Type: Alexa::ASK::Skill\n", true},
		{"Transform: AWS::Serverless-2016-10-31\nResources:\n  F:\n    Type: AWS::Serverless::Function\n", true},
		{"Resources:\n  B:\n    Type: aws_s3_bucket\n", false},
		{"Resources: [a]\n", false},
		{"name: ci\non: push\n", false},
		{"- a\n- b\n", false},
		{`{"resource": {"aws_s3_bucket": {"b": {}}}}`, false},
	}
	for _, c := range cases {
		n, _ := Decode("x.yaml", []byte(c.src))
		if got := IsTemplate(n); got != c.want {
			t.Errorf("IsTemplate(%q) = %v, want %v", c.src, got, c.want)
		}
	}
	if IsTemplate(nil) {
		t.Error("IsTemplate(nil)")
	}
}

func TestLoadNetwork(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{})
	if g.Format != graph.FormatCloudFormation || g.Root != "network.yaml" || len(g.Sources["network.yaml"]) == 0 {
		t.Errorf("graph header: %s %s %d", g.Format, g.Root, len(g.Sources["network.yaml"]))
	}
	// ProdOnly's condition is false with Env's default (dev); Web's
	// condition depends on the region: kept, marked.
	if got := addresses(g); got != "Db Logs SshIngress Subnet Vpc Web WebSg" {
		t.Errorf("resources = %s", got)
	}
	// The ignore without a reason is in g.Ignores with its problem (see
	// TestIgnores), reported by the triage stage.
	if d := diagList(g); d != "" {
		t.Errorf("diagnostics:\n%s", d)
	}
	sg := g.Resource("WebSg")
	if sg.Type != "AWS::EC2::SecurityGroup" || sg.Name != "WebSg" || sg.Mode != "managed" || sg.Provider != "aws" || sg.Format != graph.FormatCloudFormation {
		t.Errorf("header: %+v", sg)
	}
	if got := jsonOrEmpty(sg.Values["SecurityGroupIngress"]); got != `[{"CidrIp":"0.0.0.0/0","FromPort":"22","IpProtocol":"tcp","ToPort":"22"},{"CidrIp":"203.0.113.0/24","FromPort":443,"IpProtocol":"tcp","ToPort":443},{"CidrIp":"0.0.0.0/0","IpProtocol":"-1"}]` {
		t.Errorf("ingress = %s", got)
	}
	if len(sg.Unknown) != 1 || jsonOrEmpty(sg.Unknown["VpcId"]) != "true" {
		t.Errorf("unknown = %s", jsonOrEmpty(sg.Unknown))
	}
	web := g.Resource("Web")
	if web.Meta["condition"] != "InUsEast" || web.Meta["condition_unknown"] != true {
		t.Errorf("Web meta = %v", web.Meta)
	}
	if got := jsonOrEmpty(web.Unknown); got != `{"SecurityGroupIds":[true,true],"SubnetId":true,"UserData":true}` {
		t.Errorf("Web unknown = %s", got)
	}
	if got := jsonOrEmpty(web.Values); got != `{"SecurityGroupIds":[null,null]}` {
		t.Errorf("Web values = %s", got)
	}
	ssh := g.Resource("SshIngress")
	if got := jsonOrEmpty(ssh.Meta["depends_on"]); got != `["WebSg","Vpc"]` {
		t.Errorf("depends_on = %s", got)
	}
	db := g.Resource("Db")
	if db.Meta["deletion_policy"] != "Snapshot" {
		t.Errorf("Db meta = %v", db.Meta)
	}
	if got := jsonOrEmpty(db.Values); got != `{"DBSubnetGroupName":"subnet-1-subnet-2","VPCSecurityGroups":[null]}` {
		t.Errorf("Db values = %s", got)
	}
	if got := jsonOrEmpty(db.Unknown); got != `{"MasterUserPassword":true,"VPCSecurityGroups":[true]}` {
		t.Errorf("Db unknown = %s", got)
	}
	if got := jsonOrEmpty(db.Sensitive); got != `{"MasterUserPassword":true}` {
		t.Errorf("Db sensitive = %s", got)
	}
	logs := g.Resource("Logs")
	if got := jsonOrEmpty(logs.Meta["imports"]); got != `[{"attribute":"LogDestination","export":"dev-log-bucket"}]` {
		t.Errorf("Logs imports = %s", got)
	}
}

func TestRefsExact(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{})
	var got []string
	for _, r := range g.Resources {
		for _, ref := range r.Refs {
			got = append(got, fmt.Sprintf("%s.%s -> %s.%s @%d:%d", r.Address, ref.Attribute, ref.Target, ref.TargetAttribute, ref.Range.Start.Line, ref.Range.Start.Column))
		}
	}
	want := []string{
		"Db.VPCSecurityGroups.0 -> WebSg.Ref @82:27",
		"Logs.ResourceId -> Vpc.Ref @89:19",
		"SshIngress.GroupId -> WebSg.GroupId @59:16",
		"SshIngress.SourceSecurityGroupId -> WebSg.Ref @63:30",
		"Subnet.CidrBlock -> Vpc.CidrBlock @33:37",
		"Subnet.VpcId -> Vpc.Ref @32:14",
		"Web.SecurityGroupIds.0 -> WebSg.Ref @70:11",
		"Web.SecurityGroupIds.1 -> Vpc.DefaultSecurityGroup @71:11",
		"Web.SubnetId -> Subnet.Ref @68:17",
		"WebSg.VpcId -> Vpc.Ref @44:14",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("refs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var back []string
	for _, ref := range g.Resource("Vpc").ReferencedBy {
		back = append(back, ref.Target+"."+ref.Attribute)
	}
	sort.Strings(back)
	if strings.Join(back, " ") != "Logs.ResourceId Subnet.CidrBlock Subnet.VpcId Web.SecurityGroupIds.1 WebSg.VpcId" {
		t.Errorf("Vpc referenced by %v", back)
	}
}

func TestRangesExact(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{})
	sg := g.Resource("WebSg")
	cases := map[string]string{
		"":                                "34:3-34:8",   // the logical ID
		"GroupDescription":                "43:25-43:28", // a literal
		"VpcId":                           "44:14-44:22", // an intrinsic: the call
		"SecurityGroupIngress":            "46:9-54:83",
		"SecurityGroupIngress.0":          "46:11-49:54",
		"SecurityGroupIngress.0.FromPort": "47:21-47:30", // a parameter: where it is used
		"SecurityGroupIngress.0.CidrIp":   "49:44-49:53", // Fn::If: the branch taken
		"SecurityGroupIngress.1.FromPort": "51:21-51:24",
		"SecurityGroupIngress.1.CidrIp":   "53:19-53:33",
		"SecurityGroupIngress.2":          "54:45-54:82", // Fn::If gave a mapping: its own ranges
		"SecurityGroupIngress.2.CidrIp":   "54:72-54:81",
	}
	for p, want := range cases {
		rg, ok := sg.Ranges[p]
		if !ok {
			t.Errorf("no range for %q", p)
			continue
		}
		if got := fmt.Sprintf("%d:%d-%d:%d", rg.Start.Line, rg.Start.Column, rg.End.Line, rg.End.Column); got != want || rg.File != "network.yaml" {
			t.Errorf("range of %q = %s %s, want %s", p, rg.File, got, want)
		}
	}
	if sg.Range != sg.Ranges[""] {
		t.Errorf("Range %v != Ranges[\"\"] %v", sg.Range, sg.Ranges[""])
	}
	// A value computed from a list parameter is located at the call.
	db := g.Resource("Db")
	if rg := db.Ranges["DBSubnetGroupName"]; rg.Start.Line != 81 || rg.Start.Column != 26 {
		t.Errorf("DBSubnetGroupName range %v", rg)
	}
}

func TestOrigins(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{ParameterFiles: []ParamFile{paramFile(t, "params-simple.json")}})
	sg := g.Resource("WebSg")
	o := sg.OriginsFor("SecurityGroupIngress.1.CidrIp")
	if len(o) != 1 || o[0].Kind != graph.OriginParameter || o[0].Description != "value of parameter AdminCidr from params-simple.json" ||
		o[0].Range.File != "params-simple.json" || o[0].Range.Start.Line != 2 || o[0].Range.Start.Column != 16 {
		t.Errorf("origins of the parameter file value = %+v", o)
	}
	o = sg.OriginsFor("SecurityGroupIngress.0.FromPort")
	if len(o) != 1 || o[0].Description != "value of parameter Port from its Default" || o[0].Range.File != "network.yaml" || o[0].Range.Start.Line != 13 || o[0].Range.Start.Column != 14 {
		t.Errorf("origins of the default = %+v", o)
	}
	if o := sg.OriginsFor("GroupDescription"); len(o) != 0 {
		t.Errorf("literal has origins %+v", o)
	}
	if got := strings.Join(g.Files, " "); got != "network.yaml params-simple.json" {
		t.Errorf("files = %s", got)
	}
	if len(g.Sources["params-simple.json"]) == 0 {
		t.Error("parameter file not in Sources")
	}
}

func TestParameters(t *testing.T) {
	type want struct{ env, admin, subnets, port string }
	cases := []struct {
		name string
		opts Options
		want want
	}{
		{"defaults", Options{}, want{"dev", "203.0.113.0/24", "subnet-1-subnet-2", `"22"`}},
		{"aws cli array file", Options{ParameterFiles: []ParamFile{paramFile(t, "params-prod.json")}},
			want{"prod", "198.51.100.0/24", "subnet-1-subnet-2", `"22"`}},
		{"simple object file", Options{ParameterFiles: []ParamFile{paramFile(t, "params-simple.json")}},
			want{"dev", "192.0.2.0/24", "subnet-a-subnet-b-subnet-c", `"22"`}},
		{"later file wins", Options{ParameterFiles: []ParamFile{paramFile(t, "params-prod.json"), paramFile(t, "params-simple.json")}},
			want{"prod", "192.0.2.0/24", "subnet-a-subnet-b-subnet-c", `"22"`}},
		{"--cfn-parameter wins", Options{ParameterFiles: []ParamFile{paramFile(t, "params-prod.json")},
			Parameters: map[string]string{"AdminCidr": "0.0.0.0/0", "Port": "3389", "SubnetIds": "s-x,s-y"}},
			want{"prod", "0.0.0.0/0", "s-x-s-y", `"3389"`}},
		{"wrapped object", Options{ParameterFiles: []ParamFile{{Name: "cfg.json", Content: []byte(`{"Parameters": {"Env": "prod"}, "Tags": {"a": "b"}}`)}}},
			want{"prod", "203.0.113.0/24", "subnet-1-subnet-2", `"22"`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := loadFixture(t, "network.yaml", c.opts)
			sg := g.Resource("WebSg")
			ing, _ := sg.Values["SecurityGroupIngress"].([]any)
			if len(ing) < 2 {
				t.Fatalf("ingress = %v", sg.Values)
			}
			env := "dev"
			if len(ing) == 2 { // the third rule exists only outside prod
				env = "prod"
			}
			admin := ing[1].(map[string]any)["CidrIp"]
			subnets := g.Resource("Db").Values["DBSubnetGroupName"]
			port := jsonOrEmpty(ing[0].(map[string]any)["FromPort"])
			got := want{env, fmt.Sprint(admin), fmt.Sprint(subnets), port}
			if got != c.want {
				t.Errorf("got %+v, want %+v", got, c.want)
			}
			if (env == "prod") != (g.Resource("ProdOnly") != nil) {
				t.Errorf("ProdOnly present = %v with env %s", g.Resource("ProdOnly") != nil, env)
			}
		})
	}
}

func TestNoEchoParameter(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{Parameters: map[string]string{"DbPassword": "hunter2"}})
	db := g.Resource("Db")
	if db.Values["MasterUserPassword"] != "hunter2" || jsonOrEmpty(db.Sensitive) != `{"MasterUserPassword":true}` {
		t.Errorf("values %v sensitive %v", db.Values, db.Sensitive)
	}
}

func TestPseudoParameterFromOptions(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{Parameters: map[string]string{"AWS::Region": "eu-west-1"}})
	if g.Resource("Web") != nil {
		t.Error("Web's condition is false outside us-east-1")
	}
	g = loadFixture(t, "network.yaml", Options{Parameters: map[string]string{"AWS::Region": "us-east-1"}})
	web := g.Resource("Web")
	if web == nil || web.Meta["condition_unknown"] != nil {
		t.Fatalf("Web = %+v", web)
	}
	if got := jsonOrEmpty(web.Values["UserData"]); got != `"IyEvYmluL3NoCmVjaG8gZGV2IHVzLWVhc3QtMQo="` {
		t.Errorf("UserData = %s", got)
	}
}

func TestConditionSelectsBranch(t *testing.T) {
	for env, want := range map[string]string{"prod": "10.0.0.0/8", "dev": "0.0.0.0/0"} {
		g := loadFixture(t, "network.yaml", Options{Parameters: map[string]string{"Env": env}})
		sg := g.Resource("WebSg")
		ing := sg.Values["SecurityGroupIngress"].([]any)
		if got := ing[0].(map[string]any)["CidrIp"]; got != want {
			t.Errorf("Env=%s: CidrIp = %v, want %s", env, got, want)
		}
	}
	// Unknown Env: the condition is unknown, so is the value.
	src, _ := os.ReadFile("testdata/templates/network.yaml")
	g := loadYAML(t, "network.yaml", strings.Replace(string(src), "    Default: dev\n", "", 1), Options{})
	sg := g.Resource("WebSg")
	if got := jsonOrEmpty(sg.Unknown["SecurityGroupIngress"]); got != `[{"CidrIp":true},false,true]` {
		t.Errorf("unknown = %s", got)
	}
	if p := g.Resource("ProdOnly"); p == nil || p.Meta["condition_unknown"] != true || p.Meta["condition"] != "IsProd" {
		t.Errorf("ProdOnly = %+v", p)
	}
}

func TestSAMGlobals(t *testing.T) {
	g := loadFixture(t, "sam.yaml", Options{})
	if d := diagList(g); d != "" {
		t.Errorf("diagnostics:\n%s", d)
	}
	fn := g.Resource("Fn")
	if got := jsonOrEmpty(fn.Values); got != `{"Environment":{"Variables":{"STAGE":"prod","TABLE":"own-table"}},"Handler":"app.handler","Runtime":"python3.12","Timeout":60,"VpcConfig":{"SecurityGroupIds":["sg-global",null],"SubnetIds":["subnet-global"]}}` {
		t.Errorf("Fn values = %s", got)
	}
	if got := jsonOrEmpty(fn.Unknown); got != `{"VpcConfig":{"SecurityGroupIds":[false,true]}}` {
		t.Errorf("Fn unknown = %s", got)
	}
	if len(fn.Refs) != 1 || fn.Refs[0].Attribute != "VpcConfig.SecurityGroupIds.1" || fn.Refs[0].Target != "FnSg" {
		t.Errorf("Fn refs = %+v", fn.Refs)
	}
	// Values from Globals are located in Globals; the resource's own where
	// they are written.
	for p, want := range map[string]int{"Runtime": 6, "Timeout": 22, "Environment.Variables.STAGE": 10, "Environment.Variables.TABLE": 25, "VpcConfig.SecurityGroupIds.0": 13} {
		if got := fn.Ranges[p].Start.Line; got != want {
			t.Errorf("Fn range of %s: line %d, want %d", p, got, want)
		}
	}
	bare := g.Resource("Bare")
	if got := jsonOrEmpty(bare.Values); got != `{"Environment":{"Variables":{"STAGE":"prod","TABLE":"global-table"}},"Runtime":"python3.12","Timeout":30,"VpcConfig":{"SecurityGroupIds":["sg-global"],"SubnetIds":["subnet-global"]}}` {
		t.Errorf("Bare values = %s", got)
	}
	if got := jsonOrEmpty(g.Resource("Api").Values); got != `{"EndpointConfiguration":"REGIONAL","StageName":"prod"}` {
		t.Errorf("Api values = %s", got)
	}
	if got := jsonOrEmpty(g.Resource("FnSg").Values); got != `{"GroupDescription":"fn"}` {
		t.Errorf("FnSg values = %s", got)
	}
	if got := NestedTemplates(g); strings.Join(got, " ") != "apps/app.yaml" {
		t.Errorf("nested = %v", got)
	}
	// Without the transform, Globals mean nothing.
	src, _ := os.ReadFile("testdata/templates/sam.yaml")
	g = loadYAML(t, "sam.yaml", strings.Replace(string(src), "Transform: AWS::Serverless-2016-10-31\n", "", 1), Options{})
	if got := jsonOrEmpty(g.Resource("Bare").Values); got != `{}` {
		t.Errorf("Bare values without the transform = %s", got)
	}
}

func TestNestedStacks(t *testing.T) {
	g := loadFixture(t, "parent.yaml", Options{})
	if got := g.Resource("Net").Meta["template_file"]; got != "nested/net.yaml" {
		t.Errorf("template_file = %v", got)
	}
	for _, id := range []string{"Up", "Remote", "Computed", "S3Scheme"} {
		if f, ok := g.Resource(id).Meta["template_file"]; ok {
			t.Errorf("%s: template_file = %v", id, f)
		}
	}
	if got := NestedTemplates(g); len(got) != 1 || got[0] != "nested/net.yaml" {
		t.Errorf("NestedTemplates = %v", got)
	}
	// Relative to the parent's directory.
	src, _ := os.ReadFile("testdata/templates/parent.yaml")
	g = loadYAML(t, "infra/parent.yaml", string(src), Options{})
	if got := NestedTemplates(g); len(got) != 2 || got[0] != "infra/nested/net.yaml" || got[1] != "outside.yaml" {
		t.Errorf("NestedTemplates = %v", got)
	}
}

func TestForEach(t *testing.T) {
	g := loadFixture(t, "foreach.yaml", Options{})
	if d := diagList(g); d != "" {
		t.Errorf("diagnostics:\n%s", d)
	}
	if got := addresses(g); got != "BucketData BucketLogs PolicyData PolicyLogs Queue${Q} Table" {
		t.Fatalf("resources = %s", got)
	}
	b := g.Resource("BucketData")
	if got := jsonOrEmpty(b.Values); got != `{"BucketName":"acme-Data","Tags":[{"Key":"name","Value":"Data"}]}` {
		t.Errorf("BucketData values = %s", got)
	}
	if b.Meta["expansion"] != "for_each" || b.Range.Start.Line != 14 {
		t.Errorf("BucketData meta %v range %v", b.Meta, b.Range)
	}
	p := g.Resource("PolicyLogs")
	if len(p.Refs) != 1 || p.Refs[0].Target != "BucketLogs" || p.Refs[0].Attribute != "Bucket" {
		t.Errorf("PolicyLogs refs = %+v", p.Refs)
	}
	q := g.Resource("Queue${Q}")
	if q.Meta["expansion"] != "unknown" || jsonOrEmpty(q.Unknown) != `{"QueueName":true}` {
		t.Errorf("queue meta %v unknown %v", q.Meta, q.Unknown)
	}
	if got := jsonOrEmpty(g.Resource("Table").Values); got != `{"AttrId":"Id-attr","AttrSort":"Sort-attr"}` {
		t.Errorf("Table values = %s", got)
	}
}

func TestResourceBounds(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := 0; i < MaxResources+5; i++ {
		fmt.Fprintf(&b, "  B%d: {Type: AWS::S3::Bucket}\n", i)
	}
	g := loadYAML(t, "big.yaml", b.String(), Options{})
	if len(g.Resources) != MaxResources {
		t.Errorf("%d resources", len(g.Resources))
	}
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Summary != "too many resources" {
		t.Errorf("diagnostics = %v", diagList(g))
	}
}

func TestInvalidTemplates(t *testing.T) {
	cases := map[string]string{
		"Resources: [a]\n":                                            "1:12 error invalid Resources section",
		"Resources:\n  A: x\n":                                        "2:3 error invalid resource",
		"Resources:\n  A: {Properties: {}}\n":                         "2:3 error invalid resource",
		"Resources:\n  A: {Type: AWS::S3::Bucket, Properties: [a]}\n": "2:42 error invalid resource Properties",
		"Parameters: {P: x}\nResources: {}\n":                         "1:14 error invalid parameter",
		"Conditions: {C: {Fn::If: [a, b, c]}}\nResources:\n  A: {Type: AWS::S3::Bucket, Condition: C}\n":              "1:17 warning invalid condition",
		"Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  R: {Type: AWS::S3::Bucket, Condition: A}\n": "3:17 warning condition cycle",
		"Resources:\n  A: {Type: AWS::S3::Bucket, Condition: Nope}\n":                                                 "2:41 warning undeclared condition",
	}
	for src, want := range cases {
		g := loadYAML(t, "bad.yaml", src, Options{})
		d := diagList(g)
		if !strings.HasPrefix(d, want) {
			t.Errorf("%q: diagnostics\n%s\nwant %s", src, d, want)
		}
	}
	g := LoadTemplate("nil.yaml", nil, nil, Options{})
	if g == nil || len(g.Resources) != 0 {
		t.Error("nil root")
	}
}

func TestParameterFileErrors(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{ParameterFiles: []ParamFile{
		{Name: "broken.json", Content: []byte(`[{"ParameterKey": "Env",`)},
		{Name: "scalar.json", Content: []byte(`"x"`)},
		{Name: "entries.json", Content: []byte("[\n  {\"ParameterValue\": \"x\"},\n  {\"ParameterKey\": \"Env\", \"ParameterValue\": {\"a\": 1}},\n  {\"ParameterKey\": \"Port\", \"ParameterValue\": 8080}\n]")},
	}})
	var got []string
	for _, d := range g.Diagnostics {
		if d.Range.File != "network.yaml" {
			got = append(got, fmt.Sprintf("%s:%d:%d %s", d.Range.File, d.Range.Start.Line, d.Range.Start.Column, d.Summary))
		}
	}
	want := "broken.json:1:1 invalid parameter file\nentries.json:2:3 invalid parameter file entry\nentries.json:3:45 invalid parameter file entry\nscalar.json:1:1 invalid parameter file"
	if strings.Join(got, "\n") != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", strings.Join(got, "\n"), want)
	}
	ing := g.Resource("WebSg").Values["SecurityGroupIngress"].([]any)
	if p := ing[0].(map[string]any)["FromPort"]; p != "8080" {
		t.Errorf("FromPort = %v", p)
	}
}

func TestLoadJSON(t *testing.T) {
	src, err := os.ReadFile("testdata/templates/bucket.json")
	if err != nil {
		t.Fatal(err)
	}
	fsys := fstest.MapFS{"cfn/bucket.json": {Data: src}}
	g := Load(fsys, "cfn/bucket.json", Options{})
	if d := diagList(g); d != "" {
		t.Errorf("diagnostics:\n%s", d)
	}
	b := g.Resource("Bucket")
	if got := jsonOrEmpty(b.Values); got != `{"PublicAccessBlockConfiguration":{"BlockPublicAcls":false,"RestrictPublicBuckets":true},"Tags":[{"Key":"path","Value":"a/b"}]}` {
		t.Errorf("Bucket values = %s", got)
	}
	if rg := b.Ranges["PublicAccessBlockConfiguration.BlockPublicAcls"]; rg.String() != "cfn/bucket.json:15:54" {
		t.Errorf("BlockPublicAcls range = %s", rg)
	}
	if b.Range.String() != "cfn/bucket.json:11:5" {
		t.Errorf("Bucket range = %s", b.Range)
	}
	p := g.Resource("Policy")
	if got := jsonOrEmpty(p.Values["PolicyDocument"]); got != `{"Statement":[{"Action":"s3:GetObject","Condition":{"IpAddress":{"aws:SourceIp":["192.0.2.0/24"]}},"Effect":"Allow","Principal":"*"}]}` {
		t.Errorf("policy = %s", got)
	}
	if got := jsonOrEmpty(p.Unknown); got != `{"Bucket":true,"PolicyDocument":{"Statement":[{"Resource":true}]}}` {
		t.Errorf("policy unknown = %s", got)
	}
	var refs []string
	for _, r := range p.Refs {
		refs = append(refs, r.Attribute+">"+r.Target+"."+r.TargetAttribute)
	}
	if strings.Join(refs, " ") != "Bucket>Bucket.Ref PolicyDocument.Statement.0.Resource>Bucket.Arn" {
		t.Errorf("refs = %v", refs)
	}
	if len(g.Sources["cfn/bucket.json"]) != len(src) || g.Root != "cfn/bucket.json" {
		t.Errorf("sources/root")
	}
}

func TestLoadErrors(t *testing.T) {
	fsys := fstest.MapFS{
		"big.yaml":    {Data: make([]byte, MaxTemplateSize+1)},
		"broken.yaml": {Data: []byte("Resources:\n  A: {Type: AWS::S3::Bucket\n")},
	}
	for file, want := range map[string]string{
		"missing.yaml": "cannot read template",
		"big.yaml":     "cannot read template",
		"broken.yaml":  "",
	} {
		g := Load(fsys, file, Options{})
		if g == nil || g.Root != file || g.Format != graph.FormatCloudFormation || len(g.Diagnostics) == 0 {
			t.Errorf("%s: %+v", file, g)
			continue
		}
		if want != "" && g.Diagnostics[0].Summary != want {
			t.Errorf("%s: diagnostics %s", file, diagList(g))
		}
		if g.Diagnostics[0].Severity != graph.SeverityError {
			t.Errorf("%s: %s", file, diagList(g))
		}
	}
}

func TestOriginsFromAWSCLIParameterFile(t *testing.T) {
	g := loadFixture(t, "network.yaml", Options{ParameterFiles: []ParamFile{paramFile(t, "params-prod.json")},
		Parameters: map[string]string{"Port": "2222"}})
	sg := g.Resource("WebSg")
	o := sg.OriginsFor("SecurityGroupIngress.1.CidrIp")
	if len(o) != 1 || o[0].Description != "value of parameter AdminCidr from params-prod.json" || o[0].Range.String() != "params-prod.json:3:51" ||
		o[0].Range.End.Column != 68 {
		t.Errorf("origins = %+v", o)
	}
	// --cfn-parameter values have no location to point at.
	if o := sg.OriginsFor("SecurityGroupIngress.0.FromPort"); len(o) != 0 {
		t.Errorf("origins of a --cfn-parameter value = %+v", o)
	}
	// UsePreviousValue: the deployed value, not known here.
	if db := g.Resource("Db"); jsonOrEmpty(db.Unknown["MasterUserPassword"]) != "true" {
		t.Errorf("Db unknown = %v", db.Unknown)
	}
}

func TestValueNestingBound(t *testing.T) {
	expr := strings.Repeat("[", maxNodeDepth+10) + strings.Repeat("]", maxNodeDepth+10)
	src := "Resources:\n  R:\n    Type: AWS::Test::Thing\n    Properties:\n      P: " + expr + "\n"
	root, _ := Decode("deep.yaml", []byte(src))
	g := LoadTemplate("deep.yaml", root, []byte(src), Options{})
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Summary != "nested too deeply" {
		t.Errorf("diagnostics = %s", diagList(g))
	}
	if r := g.Resource("R"); r == nil || r.Values["P"] == nil {
		t.Errorf("R = %+v", r)
	}
}

func TestPseudoParameterLists(t *testing.T) {
	src := "Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties:\n      A: !Ref AWS::NotificationARNs\n      B: !Ref AWS::AccountId\n"
	g := loadYAML(t, "p.yaml", src, Options{Parameters: map[string]string{"AWS::NotificationARNs": "arn:a, arn:b", "AWS::AccountId": "123456789012"}})
	if got := jsonOrEmpty(g.Resource("T").Values); got != `{"A":["arn:a","arn:b"],"B":"123456789012"}` {
		t.Errorf("values = %s", got)
	}
}
