package terraform

import (
	"math"
	"math/big"
	"testing"
)

// numberText must give exactly what big.Float.Text('f', -1) gives: it is
// the text of a literal's value, of the values an origin shows and of an
// instance's index, which outputs carry byte for byte.
func TestNumberText(t *testing.T) {
	negZero := new(big.Float).Neg(new(big.Float))
	huge, _ := new(big.Float).SetString("123456789012345678901234567890")
	cases := []*big.Float{
		new(big.Float), negZero, big.NewFloat(1), big.NewFloat(-1), big.NewFloat(22),
		big.NewFloat(0.5), big.NewFloat(-2.25), big.NewFloat(1e15), big.NewFloat(1e300),
		new(big.Float).SetInt64(math.MaxInt64), new(big.Float).SetInt64(math.MinInt64),
		new(big.Float).Add(new(big.Float).SetInt64(math.MaxInt64), big.NewFloat(1)),
		huge, big.NewFloat(math.Inf(1)), big.NewFloat(math.Inf(-1)),
	}
	for _, bf := range cases {
		if got, want := numberText(bf), bf.Text('f', -1); got != want {
			t.Errorf("numberText(%s) = %q, want %q", bf.Text('g', 20), got, want)
		}
	}
}
