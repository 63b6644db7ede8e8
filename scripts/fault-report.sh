#!/usr/bin/env bash
# Runs the whole fault suite (the quick part of make test and make
# test-e2e) with DANANGCHAIN_FAULT_REPORT set and prints the Markdown table
# of docs/fault-tolerance.md. Usage: bash scripts/fault-report.sh > table.md
# (needs python3; about 20 minutes; root adds the full-disk scenario).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DANANGCHAIN_FAULT_REPORT:-$PWD/.fault-report.jsonl}
rm -f "$out"
make build >&2
DANANGCHAIN_FAULT_REPORT=$out go test -tags e2e -count=1 -timeout 60m -v \
  -run '^(TestFaultsQuick|TestE2E.*)$' ./networks/ >&2
python3 - "$out" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
def s(v): return "—" if not v else f"{v:.1f} s"
print("| scenario | fault | progress | recovery | blocks during | nodes | records acked | proofs checked | lost | dup. | evidence | heights compared | notes |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    fault = r["fault"].replace("|", "\\|")
    print(f"| {r['scenario']} | {fault} | {s(r['progress_s'])} | {s(r['recovery_s'])} | {r.get('blocks_during_fault', 0)} | {r['nodes']} | "
          f"{r['records_acked']} | {r['proofs_checked']} | {r['lost']} | {r['duplicates']} | {r['evidence']} | {r['heights_compared']} | {r.get('notes', '')} |")
PY
