// Command portcullis is a static policy linter for infrastructure as code.
//
//	portcullis scan [flags] [PATH...]
//	portcullis rules [--format json]
//	portcullis explain RULE-ID
//	portcullis test DIR...
//	portcullis inspect [PATH...]
//	portcullis version
package main

import (
	"fmt"
	"io"
	"os"
	"runtime/debug"
)

// version is set at build time with -ldflags "-X main.version=...". Left
// empty, reports and `portcullis version` show the version the go command
// recorded (resolvedVersion, version.go).
var version string

// Exit codes.
const (
	exitOK       = 0 // nothing at or above the severity threshold
	exitFindings = 1 // findings at or above the threshold
	exitError    = 2 // the scan could not be done
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is the whole program, callable from tests.
func run(args []string, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(stderr, "portcullis: internal error: %v\n%s\nPlease report this at https://github.com/portcullis-iac/portcullis/issues\n", r, debug.Stack())
			code = exitError
		}
	}()
	cmd, state := newRootCommand(stdout, stderr)
	cmd.SetArgs(args)
	if err := cmd.Execute(); err != nil {
		fmt.Fprintf(stderr, "portcullis: %v\n", err)
		return exitError
	}
	return state.code
}
