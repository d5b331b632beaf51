// Package sarif writes a scan's findings as SARIF 2.1.0, following GitHub
// code scanning's conventions, through github.com/owenrumney/go-sarif/v3.
//
// The log has one run, identified by run.automationDetails.id
// ("portcullis/" and the caller's category). Its driver lists every rule
// that ran, with help text, a help URI where a page exists, tags (the
// rule's controls), precision and a security-severity score. Code scanning
// reads security-severity and the default level from the rule descriptor
// only, while a Portcullis severity belongs to each finding; so a finding
// whose severity differs from its rule's points at a descriptor of its own,
// "RULE-ID/severity" (PCS-AWS-001/high), that repeats the rule's text at
// that severity. Each finding is one result with one location relative to
// the scan root (uriBaseId %SRCROOT%), the provenance of its value as
// related locations, and a partial fingerprint that depends on neither line
// numbers nor severity. Suppressed findings are left out unless
// Options.IncludeSuppressed asks for them (code scanning does not honour
// SARIF suppressions and would show them as open alerts). Every error
// diagnostic is also a result of the rule DiagnosticRuleID, so that an
// incomplete scan shows in code scanning; all diagnostics are tool
// execution notifications. Columns count Unicode code points
// (run.columnKind "unicodeCodePoints").
//
// The output is deterministic: the same report gives byte-identical output.
package sarif

import (
	"encoding/json"
	"io"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/portcullis-iac/portcullis/parser/graph"
	"github.com/portcullis-iac/portcullis/policies/finding"
)

// SrcRoot is the uriBaseId that every artifact location is relative to: the
// scan root. Consumers (GitHub code scanning, the SARIF viewers) resolve it
// to the checkout.
const SrcRoot = "%SRCROOT%"

// FingerprintKey is the key of the partial fingerprint carried by every
// result. Its value is FingerprintHash of the finding. Bump the version
// suffix if the hashed content ever changes, so that code scanning does not
// match alerts across incompatible fingerprints.
const FingerprintKey = "portcullis/v1"

// DefaultInformationURI is the driver's informationUri when the report's
// tool has none.
const DefaultInformationURI = "https://github.com/portcullis-iac/portcullis"

// schemaURI is the SARIF 2.1.0 schema as GitHub code scanning documents it.
const schemaURI = "https://json.schemastore.org/sarif-2.1.0.json"

// Level maps a severity to a SARIF level: critical and high are errors,
// medium a warning, low a note. An unknown severity is a warning.
func Level(s finding.Severity) string {
	switch s {
	case finding.Critical, finding.High:
		return gosarif.LevelError
	case finding.Low:
		return gosarif.LevelNote
	}
	return gosarif.LevelWarning
}

// Options tune the log for where it is uploaded.
type Options struct {
	// Category distinguishes analyses of the same commit (the parts of a
	// monorepo): run.automationDetails.id is "portcullis/" + Category +
	// "/", or "portcullis/" without one. Slashes and white space around it
	// are trimmed.
	Category string
	// IncludeSuppressed writes suppressed findings too, as results with a
	// SARIF suppression (inline ignores "inSource", every other kind
	// "external"). Code scanning shows them as open alerts, so they are
	// left out by default.
	IncludeSuppressed bool
}

// AutomationID is the run.automationDetails.id of a log written with the
// given category: "portcullis/" then the category and a slash, so that
// GitHub reads the whole id as the category and no run id.
func AutomationID(category string) string {
	c := strings.Trim(category, "/ \t\r\n")
	if c == "" {
		return "portcullis/"
	}
	return "portcullis/" + c + "/"
}

// Write writes r as an indented SARIF 2.1.0 log to w, followed by a newline,
// with the default Options.
func Write(w io.Writer, r *finding.Report) error {
	return WriteWith(w, r, Options{})
}

// WriteWith writes r as an indented SARIF 2.1.0 log to w, followed by a
// newline. It does not modify r: rules, findings and diagnostics are written
// in their canonical order (see finding.Report.Sort) whatever order r holds
// them in.
func WriteWith(w io.Writer, r *finding.Report, opt Options) error {
	raw, err := json.Marshal(BuildWith(r, opt))
	if err != nil {
		return err
	}
	out, err := compact(raw)
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

// Build is BuildWith with the default Options.
func Build(r *finding.Report) *gosarif.Report { return BuildWith(r, Options{}) }

// BuildWith converts r to a go-sarif report, for callers that want to add
// to it (version control provenance) before writing it themselves.
// WriteWith is BuildWith plus a deterministic, compact, indented encoding
// that leaves out the SARIF defaults go-sarif spells out.
func BuildWith(r *finding.Report, opt Options) *gosarif.Report {
	rules, all, diags := sorted(r)
	var findings []finding.Finding
	omitted := 0
	for _, f := range all {
		if f.Suppressed != nil && !opt.IncludeSuppressed {
			omitted++
			continue
		}
		findings = append(findings, f)
	}

	driver := gosarif.NewToolComponent()
	driver.WithName(nonEmpty(r.Tool.Name, "portcullis"))
	if v := strings.TrimSpace(r.Tool.Version); v != "" {
		if sv := semver(v); sv != "" {
			driver.WithVersion(sv).WithSemanticVersion(sv)
		} else {
			driver.WithVersion(v) // a development build ("dev", a commit)
		}
	}
	if isAbsoluteURI(r.Tool.InformationURI) {
		driver.WithInformationURI(r.Tool.InformationURI)
	} else {
		driver.WithInformationURI(DefaultInformationURI)
	}

	// Descriptors: every rule that ran, in ID order (their indexes are
	// those of r.Rules); then a minimal entry for each rule a finding names
	// that is not in r.Rules, at the severity of its first finding; then
	// the diagnostic rule; then the per-severity descriptors.
	index := map[string]int{}
	byID := map[string]finding.Rule{}
	for _, rule := range rules {
		if _, dup := index[rule.ID]; dup {
			continue
		}
		index[rule.ID] = len(driver.Rules)
		byID[rule.ID] = rule
		driver.AddRule(descriptor(rule, rule.ID, r.Tool.RulesURI))
	}
	var unknown []finding.Rule
	for _, f := range findings {
		if _, ok := index[f.RuleID]; !ok {
			index[f.RuleID] = -1
			unknown = append(unknown, finding.Rule{ID: f.RuleID, Title: f.RuleID, Severity: f.Severity})
		}
	}
	sort.Slice(unknown, func(i, j int) bool { return unknown[i].ID < unknown[j].ID })
	for _, rule := range unknown {
		index[rule.ID] = len(driver.Rules)
		byID[rule.ID] = rule
		driver.AddRule(descriptor(rule, rule.ID, ""))
	}
	diagIndex := len(driver.Rules)
	driver.AddRule(diagnosticDescriptor(r.Tool.RulesURI))

	type split struct {
		rule string
		sev  finding.Severity
	}
	var splits []split
	splitIndex := map[split]int{}
	for _, f := range findings {
		k := split{f.RuleID, f.Severity}
		if _, ok := splitIndex[k]; ok || f.Severity == byID[f.RuleID].Severity {
			continue
		}
		splitIndex[k] = -1
		splits = append(splits, k)
	}
	sort.Slice(splits, func(i, j int) bool {
		a, b := splits[i], splits[j]
		if a.rule != b.rule {
			return a.rule < b.rule
		}
		if a.sev.Rank() != b.sev.Rank() {
			return a.sev.Rank() > b.sev.Rank()
		}
		return a.sev < b.sev
	})
	for _, k := range splits {
		rule := byID[k.rule]
		uris := r.Tool.RulesURI
		if index[k.rule] >= len(rules) { // a rule not in r.Rules has no page
			uris = ""
		}
		rule.Severity = k.sev
		splitIndex[k] = len(driver.Rules)
		driver.AddRule(descriptor(rule, SplitRuleID(k.rule, k.sev), uris))
	}

	run := gosarif.NewRun()
	run.WithTool(gosarif.NewTool().WithDriver(driver))
	run.WithAutomationDetails(gosarif.NewRunAutomationDetails().WithID(AutomationID(opt.Category)))
	run.WithColumnKind("unicodeCodePoints")

	for _, f := range findings {
		id, i := f.RuleID, index[f.RuleID]
		if si, ok := splitIndex[split{f.RuleID, f.Severity}]; ok {
			id, i = SplitRuleID(f.RuleID, f.Severity), si
		}
		run.AddResult(result(f, id, i))
	}
	fallback := scanFile(r)
	seen := map[string]int{}
	for _, d := range diags {
		// GitHub rejects a result without a location: an error that
		// concerns no file, in a scan that read none, stays a
		// notification only.
		if d.Severity != graph.SeverityError || (d.Range.File == "" && fallback == "") {
			continue
		}
		run.AddResult(diagnosticResult(d, diagIndex, fallback, seen))
	}
	if omitted > 0 {
		run.WithProperties(gosarif.NewPropertyBag().Add("suppressedFindingsOmitted", omitted))
	}

	inv := gosarif.NewInvocation().WithExecutionSuccessful(true)
	for _, d := range diags {
		inv.AddToolExecutionNotification(notification(d))
	}
	run.AddInvocation(inv)

	log := gosarif.NewReport()
	log.Schema = schemaURI
	log.AddRun(run)
	return log
}

// SplitRuleID is the id of the descriptor that findings of rule at a
// severity other than the rule's point at: "PCS-AWS-001/high". The rule's
// own descriptor keeps the bare rule ID.
func SplitRuleID(rule string, sev finding.Severity) string {
	return rule + "/" + string(sev)
}

// sorted returns copies of r's rules, findings and diagnostics in canonical
// order.
func sorted(r *finding.Report) ([]finding.Rule, []finding.Finding, []graph.Diagnostic) {
	c := finding.Report{
		Rules:       append([]finding.Rule(nil), r.Rules...),
		Findings:    append([]finding.Finding(nil), r.Findings...),
		Diagnostics: append([]graph.Diagnostic(nil), r.Diagnostics...),
	}
	c.Sort()
	return c.Rules, c.Findings, c.Diagnostics
}

// descriptor builds a rule's reportingDescriptor under the given id (the
// rule's ID, or SplitRuleID for a severity of its own).
func descriptor(rule finding.Rule, id, rulesURI string) *gosarif.ReportingDescriptor {
	d := gosarif.NewRule(id)
	if name := nonEmpty(rule.Name, rule.ID); name != id { // SARIF1001: a name equal to the id is omitted
		d.WithName(name)
	}
	title := nonEmpty(rule.Title, rule.ID)
	d.WithShortDescription(gosarif.NewMultiformatMessageString().WithText(limit(title, MaxDescription)))
	d.WithFullDescription(gosarif.NewMultiformatMessageString().WithText(fullDescription(nonEmpty(rule.Description, title))))

	help := helpURI(rule, rulesURI)
	if help != "" {
		d.WithHelpURI(help)
	}
	d.WithHelp(gosarif.NewMultiformatMessageString().
		WithText(helpText(rule, help)).
		WithMarkdown(helpMarkdown(rule, help)))

	d.WithDefaultConfiguration(gosarif.NewReportingConfiguration().WithLevel(Level(rule.Severity)))

	props := gosarif.NewPropertyBag()
	props.WithTags(tags(rule))
	props.Add("precision", nonEmpty(rule.Precision, "high"))
	props.Add("security-severity", rule.Severity.SecurityScore())
	d.WithProperties(props)
	return d
}

// helpURI is where a rule is documented: a built-in rule's catalogue page
// under the tool's RulesURI (none without an absolute RulesURI), the https
// page a user rule declares in its METADATA, and nothing otherwise: a user
// rule has no page in the catalogue.
func helpURI(rule finding.Rule, rulesURI string) string {
	if !rule.Builtin {
		if u, err := url.Parse(rule.HelpURI); err == nil && u.Scheme == "https" && u.Host != "" {
			return rule.HelpURI
		}
		return ""
	}
	return pageURI(rulesURI, rule.DocPath())
}

// pageURI is the page at path under rulesURI, or "" when rulesURI is not
// absolute.
func pageURI(rulesURI, path string) string {
	if !isAbsoluteURI(rulesURI) {
		return ""
	}
	if !strings.HasSuffix(rulesURI, "/") {
		rulesURI += "/"
	}
	return rulesURI + path
}

// MaxDescription is the most characters code scanning shows of a rule's
// short or full description.
const MaxDescription = 1024

// fullDescription is a rule's description as one line of text within
// MaxDescription: its first paragraph when the whole does not fit (the
// help carries all of it), with the lines of the paragraph joined.
func fullDescription(desc string) string {
	desc = strings.TrimSpace(strings.ReplaceAll(desc, "\r\n", "\n"))
	if utf8.RuneCountInString(desc) > MaxDescription {
		desc, _, _ = strings.Cut(desc, "\n\n")
	}
	return limit(sentence(strings.Join(strings.Fields(desc), " ")), MaxDescription)
}

// limit cuts s to at most n code points: after the last full stop that
// fits, or with an ellipsis.
func limit(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n-1])
	if i := strings.LastIndex(cut, ". "); i > 0 {
		return cut[:i+1]
	}
	return cut + "…"
}

func helpText(rule finding.Rule, uri string) string {
	var b strings.Builder
	b.WriteString(nonEmpty(rule.Title, rule.ID))
	if rule.Description != "" {
		b.WriteString("\n\n" + rule.Description)
	}
	if rule.Remediation != "" {
		b.WriteString("\n\nRemediation:\n" + rule.Remediation)
	}
	if len(rule.Controls) > 0 {
		b.WriteString("\n\nControls: " + strings.Join(rule.Controls, ", "))
	}
	if uri != "" {
		b.WriteString("\n\nDocumentation: " + uri)
	}
	return b.String()
}

func helpMarkdown(rule finding.Rule, uri string) string {
	var b strings.Builder
	b.WriteString("**" + nonEmpty(rule.Title, rule.ID) + "**")
	if rule.Description != "" {
		b.WriteString("\n\n" + markdownBlocks(rule.Description))
	}
	if rule.Remediation != "" {
		b.WriteString("\n\n## Remediation\n\n" + markdownBlocks(rule.Remediation))
	}
	if len(rule.Controls) > 0 {
		b.WriteString("\n\n**Controls:** " + strings.Join(rule.Controls, ", "))
	}
	if uri != "" {
		b.WriteString("\n\n[" + rule.ID + " documentation](" + uri + ")")
	}
	return b.String()
}

// MaxTags is the most tags a rule descriptor carries: GitHub code scanning
// rejects a SARIF file with more than 20 tags on a rule (and shows the
// first 10).
const MaxTags = 20

// tags are "security" (code scanning reads security-severity only from
// rules tagged so) then the rule's controls in the order it lists them
// (SOC 2 first, by convention, so that they are among the 10 code scanning
// shows), without duplicates (SARIF requires tags to be unique), at most
// MaxTags.
func tags(rule finding.Rule) []string {
	out := []string{"security"}
	seen := map[string]bool{"security": true}
	for _, c := range rule.Controls {
		c = strings.TrimSpace(c)
		if c == "" || seen[c] {
			continue
		}
		if len(out) == MaxTags {
			break
		}
		seen[c] = true
		out = append(out, c)
	}
	return out
}

// result builds the SARIF result of one finding, reported under the
// descriptor ruleID at ruleIndex.
func result(f finding.Finding, ruleID string, ruleIndex int) *gosarif.Result {
	res := gosarif.NewRuleResult(ruleID).WithRuleIndex(ruleIndex)
	res.WithLevel(Level(f.Severity))

	text := sentence(nonEmpty(f.Message, f.RuleID))
	var related []*gosarif.Location
	var links []string
	for _, o := range f.Location.Related {
		desc := nonEmpty(o.Description, "related location")
		id := len(related) + 1
		loc := gosarif.NewLocation().WithID(id).WithMessage(gosarif.NewTextMessage(desc))
		if pl := physical(o.Range); pl != nil {
			loc.WithPhysicalLocation(pl)
			// A related location is only shown by code scanning when
			// the message links to it.
			links = append(links, "["+escapeLinkText(desc)+"]("+strconv.Itoa(id)+")")
		}
		related = append(related, loc)
	}
	if len(links) > 0 {
		text += " See " + strings.Join(links, "; ") + "."
	}
	res.WithMessage(gosarif.NewTextMessage(text))

	if pl := physical(primaryRange(f)); pl != nil {
		res.AddLocation(gosarif.NewLocationWithPhysicalLocation(pl))
	}
	if len(related) > 0 {
		res.WithRelatedLocations(related)
	}
	res.PartialFingerprints = map[string]string{FingerprintKey: f.FingerprintHash()}
	if f.Suppressed != nil {
		res.Suppressions = append(res.Suppressions, suppression(*f.Suppressed))
	}

	props := gosarif.NewPropertyBag()
	props.Add("severity", string(f.Severity))
	for _, kv := range [][2]string{
		{"resource", f.Resource},
		{"resourceType", f.Type},
		{"attribute", f.Attribute},
		{"root", f.Root},
	} {
		if kv[1] != "" {
			props.Add(kv[0], kv[1])
		}
	}
	res.WithProperties(props)
	return res
}

// suppression is the SARIF suppression of a suppressed finding: an inline
// ignore is "inSource" (at the comment when its range is known), every
// other kind (exceptions register, baseline, excluded path, unchanged line,
// threshold) "external". The triage kind, owner, ticket and expiry are its
// properties.
func suppression(s finding.Suppression) *gosarif.Suppression {
	kind := "external"
	if s.Kind == finding.SuppressedInline {
		kind = "inSource"
	}
	sup := gosarif.NewSuppression().WithKind(kind).WithStatus("accepted").
		WithJustification(nonEmpty(strings.TrimSpace(s.Reason), "Suppressed ("+nonEmpty(s.Kind, "unknown")+")."))
	if kind == "inSource" {
		if pl := physical(s.Range); pl != nil {
			sup.WithLocation(gosarif.NewLocationWithPhysicalLocation(pl))
		}
	}
	props := gosarif.NewPropertyBag()
	for _, kv := range [][2]string{{"kind", s.Kind}, {"owner", s.Owner}, {"ticket", s.Ticket}, {"expires", s.Expires}} {
		if kv[1] != "" {
			props.Add(kv[0], kv[1])
		}
	}
	if len(props.Properties) > 0 {
		sup.WithProperties(props)
	}
	return sup
}

// primaryRange is where a result is shown. Code scanning rejects a result
// without a location, so a finding whose range names no file falls back to
// the first related location that does, then to its root when the root is
// a file or directory other than the scan root itself.
func primaryRange(f finding.Finding) graph.Range {
	if f.Location.Range.File != "" {
		return f.Location.Range
	}
	for _, o := range f.Location.Related {
		if o.Range.File != "" {
			return o.Range
		}
	}
	if root := strings.TrimSuffix(f.Root, "/"); root != "" && root != "." {
		return graph.Range{File: root}
	}
	return graph.Range{}
}

// notification builds the tool execution notification of a diagnostic.
func notification(d graph.Diagnostic) *gosarif.Notification {
	level := gosarif.LevelWarning
	switch d.Severity {
	case graph.SeverityError:
		level = gosarif.LevelError
	case graph.SeverityNote:
		level = gosarif.LevelNote
	}
	n := gosarif.NewNotification().WithLevel(level).WithMessage(gosarif.NewTextMessage(diagnosticText(d)))
	if pl := physical(d.Range); pl != nil {
		n.AddLocation(gosarif.NewLocationWithPhysicalLocation(pl))
	}
	return n
}

// physical converts a range to a physical location, or nil when the range
// names no file.
func physical(rg graph.Range) *gosarif.PhysicalLocation {
	if rg.File == "" {
		return nil
	}
	return gosarif.NewPhysicalLocation().
		WithArtifactLocation(artifactLocation(rg.File)).
		WithRegion(region(rg))
}

// artifactLocation is a relative URI under %SRCROOT% for a relative path,
// or an absolute file URI (without a base) for an absolute one.
func artifactLocation(file string) *gosarif.ArtifactLocation {
	p := strings.ReplaceAll(file, `\`, "/")
	if isWindowsAbs(p) {
		p = "/" + p
	}
	if strings.HasPrefix(p, "/") {
		u := url.URL{Scheme: "file", Path: p}
		return gosarif.NewSimpleArtifactLocation(u.String())
	}
	p = strings.TrimPrefix(p, "./")
	u := url.URL{Path: p}
	return gosarif.NewSimpleArtifactLocation(u.String()).WithURIBaseID(SrcRoot)
}

func isWindowsAbs(p string) bool {
	return len(p) >= 3 && p[1] == ':' && p[2] == '/' &&
		(('a' <= p[0] && p[0] <= 'z') || ('A' <= p[0] && p[0] <= 'Z'))
}

// region converts a range's positions: 1-based lines, columns in code
// points, end exclusive (as SARIF's endColumn). A zero or inverted end
// collapses to the start. Without a line the region is the first line.
func region(rg graph.Range) *gosarif.Region {
	s, e := rg.Start, rg.End
	if s.Line < 1 {
		// Only the file is known: point at its first line, which code
		// scanning needs to show the result at all.
		return gosarif.NewRegion().WithStartLine(1)
	}
	if e.Line < s.Line || (e.Line == s.Line && e.Column < s.Column) {
		e = s
	}
	reg := gosarif.NewRegion().WithStartLine(s.Line).WithEndLine(e.Line)
	if s.Column >= 1 {
		reg.WithStartColumn(s.Column)
		if e.Column >= 1 {
			reg.WithEndColumn(e.Column)
		}
	}
	return reg
}

// sentence ends a message with a full stop, as SARIF asks of messages
// (SARIF2001), unless it already ends with punctuation.
func sentence(s string) string {
	s = strings.TrimRightFunc(s, unicode.IsSpace)
	if s == "" {
		return s
	}
	switch s[len(s)-1] {
	case '.', '!', '?':
		return s
	}
	return s + "."
}

// escapeLinkText escapes the characters that end or nest an embedded link's
// text in a SARIF message.
func escapeLinkText(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`)
	return r.Replace(s)
}

// semver returns v as a SemVer 2.0 string ("v1.2.3" → "1.2.3"), or "" when
// v does not look like one.
func semver(v string) string {
	v = strings.TrimPrefix(v, "v")
	if v == "" || v[0] < '0' || v[0] > '9' {
		return ""
	}
	core := v
	if i := strings.IndexAny(core, "-+"); i >= 0 {
		core = core[:i]
	}
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return ""
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return ""
		}
	}
	return v
}

func isAbsoluteURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme != "" && (u.Host != "" || u.Opaque != "" || u.Path != "")
}

func nonEmpty(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
