package triage

import "flag"

var update = flag.Bool("update", false, "rewrite testdata/real.diff and the scenarios' want.json")
