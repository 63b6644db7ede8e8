#!/usr/bin/env bash
# Cut one or more containers of the local network off the bridge network
# for a while, then reconnect them with their fixed addresses, printing
# every node's height each 5 s: a 1|3 partition by default.
#   networks/local/partition.sh [SECONDS] [NODE...]     e.g. 60 node3
# (The automated fault suite, make test-e2e, partitions process networks
# through TCP proxies instead: see docs/fault-tolerance.md.)
set -euo pipefail
secs=${1:-30}; shift || true
nodes=("${@:-node3}")
declare -A ip=([node0]=172.30.0.2 [node1]=172.30.0.3 [node2]=172.30.0.4 [node3]=172.30.0.5 [node4]=172.30.0.6)
declare -A rpc=([node0]=26601 [node1]=26611 [node2]=26621 [node3]=26631 [node4]=26641)
heights() {
  local line=""
  for n in node0 node1 node2 node3; do
    h=$(curl -s -m 2 "http://127.0.0.1:${rpc[$n]}/status" | sed -n 's/.*"latest_block_height":"\([0-9]*\)".*/\1/p' || true)
    line="$line $n=${h:--}"
  done
  echo "$(date +%T)$line"
}
heights
for n in "${nodes[@]}"; do docker network disconnect danangnet "danang-$n"; echo "disconnected $n"; done
end=$((SECONDS + secs))
while [ $SECONDS -lt $end ]; do sleep 5; heights; done
for n in "${nodes[@]}"; do docker network connect --ip "${ip[$n]}" danangnet "danang-$n"; echo "reconnected $n"; done
for _ in 1 2 3 4 5 6; do sleep 5; heights; done
