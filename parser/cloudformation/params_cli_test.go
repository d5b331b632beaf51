package cloudformation

import "testing"

// A --cfn-parameter value belongs to the CI job, not the repository: it is
// sensitive like NoEcho in every template, whatever the declaration says,
// while a parameter file's value keeps the declaration's NoEcho.
func TestCommandLineParametersAreSensitive(t *testing.T) {
	src := `Parameters:
  DbPassword:
    Type: String
  FromFile:
    Type: String
Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: !Ref DbPassword
      Tag: !Ref FromFile
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0, Description: !Sub "x ${DbPassword}"}
  Fn::ForEach::L:
    - X
    - [!Ref DbPassword]
    - SG${X}:
        Type: AWS::EC2::SecurityGroup
        Properties:
          GroupDescription: d
`
	g := loadYAML(t, "evil.yaml", src, Options{Parameters: map[string]string{"DbPassword": "Hunter2Cli"},
		ParameterFiles: []ParamFile{{Name: "p.json", Content: []byte(`{"FromFile": "plain-from-file"}`)}}})
	assertNoSecret(t, g, "Hunter2Cli")
	if got := addresses(g); got != "G SG(sensitive-1)" {
		t.Errorf("resources = %s", got)
	}
	want := "17:7 error logical ID from a NoEcho parameter: Fn::ForEach::L builds the logical ID SG${X} from a value of a NoEcho parameter, " +
		"which is never shown; it is evaluated as SG(sensitive-1) (use a collection that is not secret)"
	if d := diagList(g); d != want {
		t.Errorf("diagnostics:\n%s\nwant\n%s", d, want)
	}
	r := g.Resource("G")
	if got := jsonOrEmpty(r.Values); got != `{"GroupDescription":"Hunter2Cli","SecurityGroupIngress":[{"CidrIp":"0.0.0.0/0","Description":"x Hunter2Cli","FromPort":22,"IpProtocol":"tcp","ToPort":22}],"Tag":"plain-from-file"}` {
		t.Errorf("values = %s", got)
	}
	if got := jsonOrEmpty(r.Sensitive); got != `{"GroupDescription":true,"SecurityGroupIngress":[{"Description":true}]}` {
		t.Errorf("sensitive = %s", got)
	}
}
