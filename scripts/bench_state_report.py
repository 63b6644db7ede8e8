#!/usr/bin/env python3
# Renders the state-scale section of docs/benchmarks.md from the JSON of
# `danangchain bench-state -o json`, replacing the section between the
# markers (or appending it). Usage: bench_state_report.py STATE.json OUT.md CMD
import datetime, json, platform, re, subprocess, sys

src, out, cmd = sys.argv[1:4]
r = json.load(open(src))


def sh(c):
    try:
        return subprocess.check_output(c, shell=True, text=True).strip()
    except Exception:
        return "?"


def n(x):
    return f"{x:,.0f}"


def met(ok):
    return "met" if ok else "MISSED"


cpu = sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2").strip()
mem = round(int(open("/proc/meminfo").readline().split()[1]) / 2**20)
qs, ql = r["query_small"], r["query_large"]
lines = []
w = lines.append
w("<!-- state:begin (scripts/bench_state_report.py) -->")
w("## State at 10^7 records (goals: write rate within 80% of the rate at 10^4, query p99 ≤ 5 ms, disk bytes per record)")
w("")
w(f"- Command: `{cmd}`")
w(f"- Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}; machine: {sh('nproc')} cores ({cpu}), "
  f"{mem} GiB RAM, {platform.system()} {platform.release()}; {sh('bin/danangchain version')}")
w(f"- What runs: the real app (IAVL v1.3.6 on goleveldb, fsync on every commit, IAVL node cache {n(r['iavl_cache_nodes'])} nodes = the "
  "production default) executes blocks of signed bulk-issue txs through FinalizeBlock + Commit, without consensus (consensus cost "
  "does not depend on the state's size and is measured above). Each result writes two keys: the record by id (append-only) and "
  "the document-hash index (a random key).")
if r.get("fill_stopped_at_time_limit"):
    w(f"- **The fill stopped at its time limit at {n(r['records'])} results** (target {n(r['target_records'])}): the numbers "
      "below are for the state reached, and the write-rate comparison is between that state and 10^4.")
w("- Baseline in the same run: a fresh state of "
  f"{n(r['small_records'])} results, probed alternately with the large one ({r['probe_rounds']} rounds; medians), so both see the same machine noise.")
w("")
w(f"| measurement | at {n(r['small_records'])} results | at {n(r['records'])} results | large / small | goal |")
w("|---|---|---|---|---|")
for p in r["probes"]:
    w(f"| write rate, {p['kind']} ({n(p['records_per_block'])} results per block, {n(p['records_per_tx'])} per tx) | "
      f"{n(p['small_records_per_s'])} results/s | {n(p['large_records_per_s'])} results/s | {p['large_over_small']*100:.0f}% | "
      f"≥ 80%: {met(p['large_over_small'] >= 0.8)} |")
w(f"| proven lookup (document hash → id → record: two reads, two ICS23 proofs; every proof checked against the app hash), "
  f"{n(ql['lookups'])} random lookups | p50 {qs['p50_ms']:.2f} / p95 {qs['p95_ms']:.2f} / p99 {qs['p99_ms']:.2f} ms | "
  f"p50 {ql['p50_ms']:.2f} / p95 {ql['p95_ms']:.2f} / p99 {ql['p99_ms']:.2f} ms (max {ql['max_ms']:.1f}) | — | p99 ≤ 5 ms: {met(ql['p99_ms'] <= 5)} |")
w(f"| disk bytes per result (goleveldb directory / results; every version kept) | — | {n(r['disk_bytes_per_record'])} B "
  f"({r['disk_bytes']/2**30:.1f} GiB, {n(r['versions_kept'])} versions) | — | reported; logical key+value bytes per result: {n(r['logical_bytes_per_record'])} |")
w("")
w(f"Fill: {n(r['records'])} results in {r['fill_seconds']/60:.1f} min of FinalizeBlock + Commit ({n(r['fill_records_per_s'])} results/s on "
  f"average, {n(r['records_per_block'])} per block). Rate by window:")
w("")
w("| results in state | results/s in the window ending there |")
w("|---|---|")
for c in r["fill_curve"]:
    w(f"| {n(c['at_records'])} | {n(c['records_per_s'])} |")
w("")
w("Why the write rate falls, stated plainly: every result inserts one random key (the document-hash index) into an IAVL tree. "
  "A random insert rewrites and re-hashes the path from leaf to root, and SaveVersion writes every new node: at 10^4 results "
  "the tree is ~15 levels deep and a 10,000-result block shares most of the upper path, at 10^7 it is ~25 levels and each insert "
  "adds ~10 more new nodes to hash and write. Past the node cache (the top ~19 levels), each insert also reads ~6 nodes from "
  "goleveldb. Both costs are IAVL's, not the app's: the per-record work above the tree (decode, signature, record encoding) does not grow with the state. The 80% goal "
  "would need a state layout that keeps random-key inserts off the Merkle path (e.g. IAVL v2 / memiavl-style stores, or "
  "Merkle-batched anchors, which keep one root per batch in state — their rate does not depend on the state size). Lookups "
  "stay fast because a proven read touches one path per key.")
w("<!-- state:end -->")
section = "\n".join(lines) + "\n"

try:
    doc = open(out).read()
except FileNotFoundError:
    doc = ""
pat = re.compile(r"<!-- state:begin.*?<!-- state:end -->\n?", re.S)
if pat.search(doc):
    doc = pat.sub(lambda _: section, doc)
else:
    doc = doc.rstrip("\n") + "\n\n" + section
open(out, "w").write(doc)
print(f"wrote the state section of {out}")
