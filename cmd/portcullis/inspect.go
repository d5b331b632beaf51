package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/parser"
	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/parser/terraform"
	"github.com/portcullis-iac/portcullis/policies"
)

func newInspectCommand(stdout, stderr io.Writer, state *exitState) *cobra.Command {
	var (
		rootDir   string
		vars      varFlags
		cfnFiles  []string
		cfnParams []string
	)
	c := &cobra.Command{
		Use:   "inspect [flags] [PATH...]",
		Short: "Print the input documents policies see",
		Long: `Load the roots under each PATH (default: the current directory) as scan
does, and print the input document the policies receive for each root
(docs/input-schema.md), as indented JSON:

  {"roots": [{"root": ".", "format": "terraform", "input": {...}}]}

Use it to see what to match when writing a rule, or why one does not fire.
Values the configuration marks sensitive are shown as "(sensitive)" (rules
see the real value). Diagnostics go to standard error; an error diagnostic
(a file that does not parse) exits 2 after the documents are printed.`,
		Example: `  portcullis inspect examples/terraform/insecure
  portcullis inspect --var-file prod.tfvars infra/ | jq '.roots[0].input.resources | keys'
  portcullis inspect --cfn-parameter Env=prod cfn/app.yaml
  portcullis inspect plan.json   # terraform show -json PLANFILE > plan.json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				args = []string{"."}
			}
			roots, err := newScanRoots(rootDir, args)
			if err != nil {
				return err
			}
			tfVars, err := vars.inputs()
			if err != nil {
				return err
			}
			cfnOpts, err := cfnOptions(roots, cfnFiles, cfnParams)
			if err != nil {
				return err
			}
			fsys, err := roots.fs()
			if err != nil {
				return err
			}
			defer fsys.Close()
			graphs, diags, err := parser.Load(cmd.Context(), fsys, roots.paths, parser.Options{
				Terraform:      terraform.Options{Vars: tfVars, Env: tfEnv(), DataDir: os.Getenv("TF_DATA_DIR")},
				CloudFormation: cfnOpts,
			})
			if err != nil {
				return err
			}
			type root struct {
				Root   string         `json:"root"`
				Format graph.Format   `json:"format"`
				Input  map[string]any `json:"input"`
			}
			out := struct {
				Roots []root `json:"roots"`
			}{Roots: []root{}}
			for _, g := range graphs {
				diags = append(diags, g.Diagnostics...)
				out.Roots = append(out.Roots, root{Root: g.Root, Format: g.Format, Input: policies.RedactedInput(g)})
			}
			enc := json.NewEncoder(stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(out); err != nil {
				return err
			}
			graph.SortDiagnostics(diags)
			for _, d := range graph.CapDiagnostics(diags, graph.DefaultDiagnosticsPerFile) {
				fmt.Fprintln(stderr, d)
			}
			if n := countErrors(diags); n > 0 {
				fmt.Fprintf(stderr, "portcullis: %d error diagnostic(s): the documents above may lack what could not be loaded\n", n)
				state.code = exitError
			}
			return nil
		},
	}
	f := c.Flags()
	f.StringVar(&rootDir, "root", "", "the scan root `DIR`, as for scan")
	f.Var(&varFlag{vars: &vars, file: false}, "var", "set a Terraform root module variable: `NAME=VALUE` (repeatable; as for scan)")
	f.Var(&varFlag{vars: &vars, file: true}, "var-file", "load Terraform root module variables from a .tfvars or .tfvars.json `FILE` (repeatable)")
	f.StringArrayVar(&cfnFiles, "cfn-parameters", nil, "CloudFormation parameter values from a JSON `FILE`, as for scan (repeatable)")
	f.StringArrayVar(&cfnParams, "cfn-parameter", nil, "set a CloudFormation parameter: `KEY=VALUE` (repeatable)")
	return c
}
