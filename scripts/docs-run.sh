#!/usr/bin/env bash
# Runs the shell blocks of README.md and docs/*.md as written (TestDocsRun in
# networks/docs_run_test.go) without make: builds the CLI into a temporary
# directory (bin/ is left alone) and runs only that test.
#   scripts/docs-run.sh              every document
#   scripts/docs-run.sh results.md   one document, against a fresh demo
# DANANGCHAIN_BIN=path uses an existing binary instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DANANGCHAIN_BIN:-}" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	CGO_ENABLED=0 go build -trimpath -o "$tmp/danangchain" ./cmd/danangchain
	DANANGCHAIN_BIN="$tmp/danangchain"
fi
export DANANGCHAIN_BIN
go test ./networks -run "^TestDocsRun\$/${1:-}" -count=1 -v -timeout 30m
