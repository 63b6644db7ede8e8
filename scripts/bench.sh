#!/usr/bin/env bash
# Regenerates docs/benchmarks.md: Go benchmarks of the hot paths beside raw
# primitives, and the load generator against real nodes (1 and 4
# validators) beside CometBFT's kvstore app measured in the same run with
# the same tx size. Usage: bash scripts/bench.sh   (or: make bench)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${BIN:-bin/danangchain}
TXS=${TXS:-8000}
CONC=${CONC:-64}
OUT=${OUT:-docs/benchmarks.md}
WORK=${WORK:-$PWD/.bench}
rm -rf "$WORK"; mkdir -p "$WORK"
trap 'pkill -f "$WORK/" 2>/dev/null || true' EXIT
[ -x "$BIN" ] || make build

start_net() { # app validators base dir -> sets URLS
  local app=$1 vals=$2 base=$3 dir=$4
  "$BIN" testnet --validators "$vals" --output "$dir" --base-port "$base" --chain-id "bench-$app" >/dev/null
  local flag="" urls=""
  [ "$app" = kvstore ] && flag="--baseline-kvstore"
  for i in $(seq 0 $((vals-1))); do
    "$BIN" start $flag --home "$dir/node$i" >"$dir/node$i.log" 2>&1 &
    urls="$urls${urls:+,}http://127.0.0.1:$((base+10*i+1))"
  done
  for _ in $(seq 1 100); do
    h=$("$BIN" status --node "http://127.0.0.1:$((base+1))" -o json 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin)["latest_height"])' 2>/dev/null || echo 0)
    [ "${h:-0}" -ge 3 ] && break
    sleep 0.5
  done
  URLS=$urls
}

stop_net() { pkill -TERM -f "$1/node" || true; sleep 3; }

run_load() { # app validators base
  local app=$1 vals=$2 base=$3 dir="$WORK/$1-$2"
  start_net "$app" "$vals" "$base" "$dir"
  local kv=""
  [ "$app" = kvstore ] && kv="--kvstore"
  "$BIN" bench $kv --home "$dir/node0" --nodes "$URLS" --txs "$TXS" --concurrency "$CONC" -o json 2>"$dir/bench.log" >"$WORK/$app-$vals.json"
  stop_net "$dir"
}

echo "== load: 1 and 4 validators, danangchain vs kvstore (TXS=$TXS CONC=$CONC)"
run_load kvstore 1 29000
run_load danangchain 1 29100
run_load kvstore 4 29200
run_load danangchain 4 29300

echo "== commit latency at half of saturation (1 validator, 1 s blocks)"
half=$(python3 -c "import json; print(int(json.load(open('$WORK/danangchain-1.json'))['committed_tx_per_s']/2))")
dir="$WORK/half"
start_net danangchain 1 29450 "$dir"
"$BIN" bench --home "$dir/node0" --nodes "$URLS" --txs $((half*10)) --rate "$half" --concurrency "$CONC" -o json 2>>"$dir/bench.log" >"$WORK/half.json"
stop_net "$dir"

echo "== administrative results: one per tx, bulk, online verification (1 validator)"
dir="$WORK/results"
start_net danangchain 1 29400 "$dir"
"$BIN" bench --mode result --home "$dir/node0" --nodes "$URLS" --txs "$TXS" --concurrency "$CONC" -o json 2>>"$dir/bench.log" >"$WORK/results-single.json"
"$BIN" bench --mode result --batch 5000 --home "$dir/node0" --nodes "$URLS" --txs 20 --concurrency 4 -o json 2>>"$dir/bench.log" >"$WORK/results-bulk.json"
"$BIN" bench-verify --home "$dir/node0" --docs 1000 -o json 2>>"$dir/bench.log" >"$WORK/verify.json"
stop_net "$dir"

echo "== go benchmarks"
go test -run '^$' -bench . -benchtime 2s ./app/ ./registry/ ./client/ 2>&1 | grep -E '^(Benchmark|goos|goarch|cpu)' > "$WORK/gobench.txt" || true

echo "== receipt size at 10^6 results (4 validators)"
go test -count=1 -run TestReceiptSizeAtScale -v ./client/ -args -receipt-records=1000000 2>&1 | grep -E 'RECEIPT|built' > "$WORK/receipt.txt" || true

echo "== payload store: add/get beside raw SHA-256 + disk write (1 KB, 1 MB, 100 MB)"
go test -run '^$' -bench BenchmarkPayload -benchtime 2s ./cas/ 2>&1 | grep -E '^(Benchmark|goos|goarch|cpu)' > "$WORK/casbench.txt" || true

python3 scripts/bench_report.py "$WORK" "$OUT" "$TXS" "$CONC"
echo "wrote $OUT"
