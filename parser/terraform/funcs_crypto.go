package terraform

import (
	"crypto/md5"  //nolint:gosec // Terraform's md5() and filemd5(): content hashes, not security
	"crypto/sha1" //nolint:gosec // Terraform's sha1() and filesha1(): content hashes, not security
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// Hash and crypto functions written from Terraform's documentation, on Go's
// standard library.

func md5Sum(b []byte) []byte    { s := md5.Sum(b); return s[:] }  //nolint:gosec // see the import
func sha1Sum(b []byte) []byte   { s := sha1.Sum(b); return s[:] } //nolint:gosec // see the import
func sha256Sum(b []byte) []byte { s := sha256.Sum256(b); return s[:] }
func sha512Sum(b []byte) []byte { s := sha512.Sum512(b); return s[:] }

func hexEncode(b []byte) string    { return hex.EncodeToString(b) }
func base64Encode(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// stringHashFunc is md5, sha256, base64sha256, ...: a digest of the UTF-8
// bytes of a string, hex or Base64 encoded.
func stringHashFunc(sum func([]byte) []byte, enc func([]byte) string) function.Function {
	return function.New(&function.Spec{
		Description: "Returns a digest of the given string.",
		Params:      []function.Parameter{{Name: "str", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		RefineResult: func(b *cty.RefinementBuilder) *cty.RefinementBuilder {
			return b.NotNull()
		},
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.StringVal(enc(sum([]byte(args[0].AsString())))), nil
		},
	})
}

// rsadecrypt is unknown: decrypting secrets (Windows administrator
// passwords) is never needed to check a policy, and a linter should not
// handle private keys. See funcs.go.
