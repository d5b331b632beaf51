package cloudformation

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A resource whose Condition is false is not created, and counted; one
// whose Condition is true or unknown is kept, and one whose Condition
// is invalid is reported, not counted.
func TestNotCreated(t *testing.T) {
	g := loadYAML(t, "t.yaml", `
Parameters:
  Env: {Type: String, Default: dev}
  Region: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsDev: !Equals [!Ref Env, dev]
  InUs: !Equals [!Ref Region, us-east-1]
Resources:
  ProdBucket: {Type: AWS::S3::Bucket, Condition: IsProd}
  ProdQueue: {Type: AWS::SQS::Queue, Condition: IsProd}
  DevBucket: {Type: AWS::S3::Bucket, Condition: IsDev}
  UsBucket: {Type: AWS::S3::Bucket, Condition: InUs}
  Broken: {Type: AWS::S3::Bucket, Condition: [IsProd]}
`, Options{})
	var got []string
	for _, r := range g.Resources {
		got = append(got, r.Address)
	}
	if diff := cmp.Diff([]string{"Broken", "DevBucket", "UsBucket"}, got); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	if g.NotCreated != 2 {
		t.Errorf("NotCreated = %d, want 2 (ProdBucket, ProdQueue)", g.NotCreated)
	}
}
