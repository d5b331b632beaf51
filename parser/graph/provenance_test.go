package graph

import (
	"sync"
	"sync/atomic"
	"testing"
)

// Provenance set with SetProvenance is computed once, when first needed,
// however many findings ask at once; until then the fields are unset.
func TestSetProvenanceOnce(t *testing.T) {
	lit := Range{File: "main.tf", Start: Pos{Line: 3, Column: 9, Byte: 40}, End: Pos{Line: 3, Column: 20, Byte: 51}}
	attr := Range{File: "mod/main.tf", Start: Pos{Line: 7, Column: 3, Byte: 90}, End: Pos{Line: 7, Column: 30, Byte: 117}}
	r := &Resource{Address: "aws_vpc_security_group_ingress_rule.r", Format: FormatTerraform,
		Range:  Range{File: "mod/main.tf", Start: Pos{Line: 5, Column: 1}},
		Ranges: map[string]Range{"cidr_ipv4": attr},
		Values: map[string]any{"cidr_ipv4": "0.0.0.0/0"}}
	var calls atomic.Int32
	r.SetProvenance(func() (map[string][]Origin, []Origin) {
		calls.Add(1)
		return map[string][]Origin{"cidr_ipv4": {{Kind: OriginModuleArgument, Description: "value written in argument", Range: lit, Values: []string{"0.0.0.0/0"}, Written: true}}}, nil
	})
	if r.Origins != nil || calls.Load() != 0 {
		t.Fatalf("computed before it was needed: %v, %d calls", r.Origins, calls.Load())
	}
	var wg sync.WaitGroup
	got := make([]Range, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = r.Locate("cidr_ipv4")
		}()
	}
	wg.Wait()
	for i, g := range got {
		if g != lit {
			t.Errorf("Locate #%d = %v, want %v", i, g, lit)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("computed %d times, want 1", n)
	}
	if o := r.OriginsFor("cidr_ipv4"); len(o) != 1 || o[0].Range != lit {
		t.Errorf("OriginsFor = %+v", o)
	}
}
