package sarif

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"strconv"
	"strings"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// DiagnosticRuleID is the rule of the results that stand for error
// diagnostics: a file that could not be read or parsed, a limit reached, a
// policy that failed. Each says the scan is incomplete, so code scanning
// shows it as an alert (level error, no security severity: it is not a
// vulnerability, and it closes when the problem is fixed).
const DiagnosticRuleID = "PCS-DIAG-ERROR"

// DiagnosticRuleName is the name of DiagnosticRuleID.
const DiagnosticRuleName = "scan-incomplete"

// DiagnosticDocPath is the page, relative to the repository root, that
// documents DiagnosticRuleID.
const DiagnosticDocPath = "docs/github.md#incomplete-scans"

const diagnosticHelp = "An error stopped Portcullis from reading part of the configuration, or from " +
	"evaluating a policy on it: a file that cannot be read or parsed, a limit reached (file size, " +
	"time, memory), a policy runtime error. Findings may be missing from this analysis, so the scan " +
	"exits with status 2 unless --allow-incomplete is given.\n\n" +
	"Fix the problem the message names (run the scan locally to see every diagnostic); the alert " +
	"closes with the next analysis that no longer reports it. A problem that concerns no single " +
	"file (a timeout, a memory limit) is shown at line 1 of the first file scanned."

func diagnosticDescriptor(rulesURI string) *gosarif.ReportingDescriptor {
	d := gosarif.NewRule(DiagnosticRuleID).WithName(DiagnosticRuleName)
	d.WithShortDescription(gosarif.NewMultiformatMessageString().WithText("The scan is incomplete"))
	d.WithFullDescription(gosarif.NewMultiformatMessageString().WithText(
		"Part of the configuration could not be read or evaluated, so findings may be missing."))
	help := pageURI(rulesURI, DiagnosticDocPath)
	text, md := diagnosticHelp, diagnosticHelp
	if help != "" {
		d.WithHelpURI(help)
		text += "\n\nDocumentation: " + help
		md += "\n\n[" + DiagnosticRuleID + " documentation](" + help + ")"
	}
	d.WithHelp(gosarif.NewMultiformatMessageString().WithText(text).WithMarkdown(md))
	d.WithDefaultConfiguration(gosarif.NewReportingConfiguration().WithLevel(gosarif.LevelError))
	props := gosarif.NewPropertyBag()
	props.WithTags([]string{"portcullis", DiagnosticRuleName})
	props.Add("precision", "very-high")
	props.Add("problem.severity", "error")
	d.WithProperties(props)
	return d
}

// diagnosticResult builds the result of an error diagnostic. A diagnostic
// without a file is shown at the first line of fallback (the first file
// scanned), and says so. seen counts the
// diagnostics with the same identity so far, so that each result has a
// fingerprint of its own.
func diagnosticResult(d graph.Diagnostic, ruleIndex int, fallback string, seen map[string]int) *gosarif.Result {
	text := diagnosticText(d)
	rg := d.Range
	if rg.File == "" {
		rg = graph.Range{File: fallback}
		text = "The whole scan: " + text
	}
	res := gosarif.NewRuleResult(DiagnosticRuleID).WithRuleIndex(ruleIndex).WithLevel(gosarif.LevelError)
	res.WithMessage(gosarif.NewTextMessage(text))
	if pl := physical(rg); pl != nil {
		res.AddLocation(gosarif.NewLocationWithPhysicalLocation(pl))
	}
	key := "diagnostic|" + d.Range.File + "|" + strings.TrimSpace(d.Summary) + "|" + strings.TrimSpace(d.Detail)
	if n := seen[key]; n > 0 {
		seen[key]++
		key += "|" + strconv.Itoa(n)
	} else {
		seen[key] = 1
	}
	sum := sha256.Sum256([]byte(key))
	res.PartialFingerprints = map[string]string{FingerprintKey: hex.EncodeToString(sum[:])}
	return res
}

// diagnosticText is a diagnostic's message: its summary and detail as one
// sentence.
func diagnosticText(d graph.Diagnostic) string {
	text := nonEmpty(strings.TrimSpace(d.Summary), "Problem while loading")
	if detail := strings.TrimSpace(d.Detail); detail != "" {
		text = strings.TrimRight(text, ".:") + ": " + detail
	}
	return sentence(text)
}

// scanFile is the first file the scan read (by path), from the report's
// file digests or else its sources; "" when it names none.
func scanFile(r *finding.Report) string {
	var files []string
	for f := range r.Files {
		files = append(files, f)
	}
	if len(files) == 0 {
		for f := range r.Sources {
			files = append(files, f)
		}
	}
	sort.Strings(files)
	for _, f := range files {
		if f != "" {
			return f
		}
	}
	return ""
}
