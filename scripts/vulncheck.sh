#!/usr/bin/env bash
# govulncheck at a pinned version (make vuln, called by .ci/run).
# Fails on vulnerabilities reachable from our code (govulncheck's exit 3);
# vulnerabilities only in unreached code are reported but do not fail.
# When the vulnerability database (GOVULNDB, passed as -db; default https://vuln.go.dev)
# or the tool itself cannot be fetched, it says so and skips (exit 0):
# some build machines reach only the Go module proxy. Point GOVULNDB at a
# mirror (file:///path) to check offline.
set -uo pipefail
cd "$(dirname "$0")/.."
TOOL=golang.org/x/vuln/cmd/govulncheck@v1.1.4
out=$(mktemp)
bin=$(mktemp -d)
trap 'rm -rf "$out" "$bin"' EXIT
echo "== govulncheck ($TOOL, database ${GOVULNDB:-https://vuln.go.dev})"
db=()
if [ -n "${GOVULNDB:-}" ]; then db=(-db "$GOVULNDB"); fi
# Installed, not `go run`: go run turns the tool's exit code 3 into 1.
if GOBIN="$bin" go install "$TOOL" >"$out" 2>&1; then
  timeout "${VULN_TIMEOUT:-600}" "$bin/govulncheck" "${db[@]}" ./... >"$out" 2>&1
  rc=$?
else
  rc=125
fi
cat "$out"
case $rc in
0) echo "govulncheck: no reachable vulnerability"; exit 0 ;;
3) echo "govulncheck: FAILED: vulnerabilities reachable from our code (above)"; exit 1 ;;
esac
if grep -qiE 'vuln\.go\.dev|GOVULNDB|fetching vulnerabilities|dial tcp|no such host|connection refused|i/o timeout|TLS handshake|proxy\.golang\.org|module lookup disabled|cannot find module|Forbidden|404 Not Found' "$out" || [ $rc = 124 ]; then
  echo "govulncheck: SKIPPED: the vulnerability database or the tool could not be fetched from this machine (exit $rc);"
  echo "             run 'make vuln' where https://vuln.go.dev is reachable, or set GOVULNDB to a local mirror."
  exit 0
fi
echo "govulncheck: FAILED (exit $rc)"
exit 1
