#!/usr/bin/env bash
# Tests the GitHub Action (action.yml) and the example workflow beside this
# script:
#   1. actionlint on the example workflow, run against the action as a local
#      action (it checks the workflow, the action's metadata and the inputs
#      the workflow passes);
#   2. the Go tests of examples/github with PORTCULLIS_ACTION_TEST=1: the
#      structure of both files, shellcheck on the action's scripts, the
#      install step building Portcullis from this checkout and installing a
#      release from a local server (checksum verified), the scan step run as
#      GitHub runs it (bash -eo pipefail, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY
#      and RUNNER_TEMP set) on examples/terraform/insecure, and the last
#      step's exit status; the SARIF file the scan step wrote goes through
#      Microsoft's SARIF validator with GitHub's rules (SARIF_MULTITOOL
#      names its executable; without it, @microsoft/sarif-multitool is
#      installed with npm into a temporary directory).
# Needs go, bash, curl, shellcheck, and npm unless SARIF_MULTITOOL is set.
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== actionlint"
actionlint=$(command -v actionlint || true)
if [ -z "$actionlint" ]; then
  GOBIN="$tmp/bin" go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12
  actionlint="$tmp/bin/actionlint"
fi
mkdir -p "$tmp/lint/.github/workflows"
cp action.yml "$tmp/lint/"
sed 's#uses: portcullis-iac/portcullis@v[0-9]*#uses: ./#' examples/github/portcullis.yml >"$tmp/lint/.github/workflows/portcullis.yml"
grep -q 'uses: \./' "$tmp/lint/.github/workflows/portcullis.yml"
(cd "$tmp/lint" && git init -q . && "$actionlint" -color=false)

echo "== SARIF validator"
if [ -z "${SARIF_MULTITOOL:-}" ]; then
  (cd "$tmp" && npm install --silent --no-audit --no-fund "@microsoft/sarif-multitool@5.7.0" >/dev/null)
  SARIF_MULTITOOL="$tmp/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
  chmod +x "$SARIF_MULTITOOL"
fi
export SARIF_MULTITOOL

echo "== action tests"
PORTCULLIS_ACTION_TEST=1 go test ./examples/github -count=1
echo "ok"
