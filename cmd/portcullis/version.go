package main

import (
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/portcullis-iac/portcullis/policies"
)

// commit and date are set at build time, as version is (main.go):
// -ldflags "-X main.version=1.2.3 -X main.commit=<sha> -X main.date=<RFC 3339>".
// The release build (.goreleaser.yaml) sets all three; a build without them
// falls back on what the go command recorded in the binary (buildInfo).
var (
	commit string
	date   string
)

// versionInfo is what `portcullis version` prints.
type versionInfo struct {
	Version   string `json:"version"`
	Commit    string `json:"commit"`
	Date      string `json:"date"`
	GoVersion string `json:"go_version"`
	Platform  string `json:"platform"`
	// PolicySet is policies.PolicySetHash of the built-in policies and
	// those of --policy-dir, the value a report records.
	PolicySet string `json:"policy_set"`
}

// unknown stands for a field the binary does not know (a build without
// -ldflags and without version-control information).
const unknown = "unknown"

// buildInfo fills the version, commit and date of a binary: each from
// -ldflags when set, else from the build information the go command
// embeds: the main module's version ("(devel)" for a build in a work tree
// without VCS stamping, v1.2.3 for `go install ...@v1.2.3`, a pseudo-version
// such as v0.0.0-20261201200358-5626182e1f2a+dirty for a build from a
// clone), vcs.revision (with "-dirty" when vcs.modified) and vcs.time, the
// commit's time, when no build date was given.
// develVersion is the version of a build from a checkout (the go command
// says "(devel)").
const develVersion = "0.0.0-devel"

func buildInfo(ver, com, dat string, bi *debug.BuildInfo) (v, c, d string) {
	v, c, d = ver, com, dat
	var revision, modified, vcsTime string
	if bi != nil {
		if v == "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				revision = s.Value
			case "vcs.modified":
				modified = s.Value
			case "vcs.time":
				vcsTime = s.Value
			}
		}
	}
	if c == "" && revision != "" {
		c = revision
		if modified == "true" {
			c += "-dirty"
		}
	}
	if d == "" {
		d = vcsTime
	}
	if v == "(devel)" {
		// The go command's word for a build from a checkout without a
		// version; reports (SARIF's semanticVersion) need a version that
		// is one, and this one sorts below every release.
		v = develVersion
	}
	if v == "" {
		v = unknown
	}
	if c == "" {
		c = unknown
	}
	if d == "" {
		d = unknown
	}
	return v, c, d
}

// readBuildInfo is debug.ReadBuildInfo, nil when the binary has none.
func readBuildInfo() *debug.BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return nil
	}
	return bi
}

// resolvedVersion is the version a report and `portcullis version` show.
func resolvedVersion() string {
	v, _, _ := buildInfo(version, commit, date, readBuildInfo())
	return v
}

func currentVersion(dirs []string) (versionInfo, error) {
	v, c, d := buildInfo(version, commit, date, readBuildInfo())
	info := versionInfo{
		Version:   v,
		Commit:    c,
		Date:      d,
		GoVersion: runtime.Version(),
		Platform:  runtime.GOOS + "/" + runtime.GOARCH,
	}
	srcs, err := openPolicyDirs(dirs)
	if err != nil {
		return versionInfo{}, err
	}
	info.PolicySet, err = policies.PolicySetHash(srcs)
	if err != nil {
		return versionInfo{}, err
	}
	return info, nil
}

func newVersionCommand(stdout io.Writer) *cobra.Command {
	var format string
	var dirs []string
	c := &cobra.Command{
		Use:   "version",
		Short: "Print the version, build and policy set",
		Long: `Print the version, the commit and date of the build, the Go version and
platform, and the policy set: a SHA-256 over the path and content of every
built-in policy file, and with --policy-dir of those directories' too (the
policy_set a JSON report records). Two runs with the same policy set check
the same rules, the --enable-rule and --disable-rule choices aside.`,
		Example: `  portcullis version
  portcullis version --policy-dir policies/ --format json`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			if format != "text" && format != "json" {
				return fmt.Errorf("unknown format %q (want text or json)", format)
			}
			info, err := currentVersion(dirs)
			if err != nil {
				return err
			}
			if format == "json" {
				enc := json.NewEncoder(stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(info)
			}
			return writeVersion(stdout, info)
		},
	}
	c.Flags().StringVar(&format, "format", "text", "output format: text or json")
	c.Flags().StringArrayVar(&dirs, "policy-dir", nil, "include the Rego policies of `DIR` in the policy set (repeatable)")
	return c
}

func writeVersion(w io.Writer, info versionInfo) error {
	tw := tabwriter.NewWriter(w, 0, 4, 1, ' ', 0)
	fmt.Fprintf(tw, "portcullis %s\n", info.Version)
	fmt.Fprintf(tw, "commit:\t%s\n", info.Commit)
	fmt.Fprintf(tw, "date:\t%s\n", info.Date)
	fmt.Fprintf(tw, "go:\t%s\n", info.GoVersion)
	fmt.Fprintf(tw, "platform:\t%s\n", info.Platform)
	fmt.Fprintf(tw, "policy set:\t%s\n", info.PolicySet)
	return tw.Flush()
}
