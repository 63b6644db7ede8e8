#!/usr/bin/env bash
# State-scale benchmark: fills a state to STATE_RECORDS administrative
# results through the real app (FinalizeBlock + Commit, IAVL with fsync),
# compares the write rate with a fresh 10^4 state in alternating rounds,
# times proven lookups and reports disk bytes per record; rewrites the
# state section of docs/benchmarks.md. At 10^7 this takes about two hours
# on 2 cores; STATE_MAX_FILL bounds the fill (the report says where it
# stopped). Usage: bash scripts/bench_state.sh   (or: make bench-state)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/danangchain}
RECORDS=${STATE_RECORDS:-10000000}
MAX_FILL=${STATE_MAX_FILL:-110m}
OUT=${OUT:-docs/benchmarks.md}
WORK=${STATE_WORK:-$PWD/.bench-state}
[ -x "$BIN" ] || make build
rm -rf "$WORK"; mkdir -p "$WORK"
trap 'rm -rf "$WORK/data"' EXIT
CMD="danangchain bench-state --records $RECORDS --max-fill $MAX_FILL -o json"
echo "== state at $RECORDS records ($CMD); progress on stderr"
"$BIN" bench-state --records "$RECORDS" --max-fill "$MAX_FILL" --dir "$WORK/data" -o json > "$WORK/state.json"
python3 scripts/bench_state_report.py "$WORK/state.json" "$OUT" "$CMD"
