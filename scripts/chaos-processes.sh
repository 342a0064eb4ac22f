#!/usr/bin/env bash
# Process-level chaos: the local topology of scripts/cluster-local.sh (one emulator, three nodes, one shared journal),
# then `kill -9` of one non-seed node while traffic flows, then `iot-actors verify` against the two survivors: every
# device twin must equal the simulator's ground truth — nothing lost, nothing applied twice.
#
#   bash scripts/chaos-processes.sh [--seconds 180] [--rate 200] [--count 6000] [--devices 100] [--dir DIR] [--seed N]
#                                   [--bin DIR]   (an existing build of src/IotActors.Host, instead of building one)
#
# The seed fixes the traffic, the node killed and when (after 20–50 % of --count is accepted); it is printed, so a
# failure replays with --seed. Bounded: every wait gives up when --seconds (counted after the build) are over, and
# every process is stopped when the script exits. Exit 0 only when every twin matches. Logs: DIR/*.log.
# With PostgreSQL (IOTACTORS__PERSISTENCE__PROVIDER=postgresql, IOTACTORS__PERSISTENCE__CONNECTIONSTRING) the database
# must be empty: devices recover whatever an earlier run left there, and verify then reports it as applied twice.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=180 rate=200 count=6000 devices=100 dir="" seed="" topology_bin=""
while (($#)); do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --count) count=$2; shift 2 ;;
        --devices) devices=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --bin) topology_bin=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
seed=${seed:-$(( (RANDOM << 15 | RANDOM) % 1000000 ))}
dir=${dir:-$(mktemp -d -t iotactors-chaos-XXXXXX)}
mkdir -p "$dir"
RANDOM=$seed # every choice below follows from the seed
victim=$((2 + RANDOM % 2))
kill_percent=$((20 + RANDOM % 31))
kill_after=$((count * kill_percent / 100))
echo "chaos-processes: seed $seed (replay with --seed $seed), $count messages at $rate msg/s over $devices devices; logs in $dir"

source scripts/lib/topology.sh
topology_build
trap stop_all EXIT
trap 'exit 130' INT TERM
deadline=$((SECONDS + seconds))

# Failover in seconds rather than the production defaults (Cluster:DownStableAfter 20 s — also Akka's removal margin —,
# Cluster:ConnectionKeepAlive 10 s), and a processing deadline below the emulator's ack timeout (10 s here), as in
# production (20 s below 30 s). Shorter deadlines than these make the cold start (the first journal writes of three
# fresh processes take seconds) release and redeliver most of the first messages. Exported: every node reads them.
export IOTACTORS__CLUSTER__DOWNSTABLEAFTER=00:00:05
export IOTACTORS__CLUSTER__CONNECTIONKEEPALIVE=00:00:01
export IOTACTORS__CONSUMER__PROCESSINGDEADLINE=00:00:08

fail() {
    echo "FAILED: $*" >&2
    for log in "$dir"/*.log; do echo "--- $log (last lines)" >&2; tail -n 15 "$log" >&2; done
    exit 1
}
in_time() { ((SECONDS < deadline)); }
now_ms() { echo $((${EPOCHREALTIME/./} / 1000)); }
api() { curl -fsS --max-time 5 "http://127.0.0.1:$1$2" 2>/dev/null; }

# Traffic starts once the cluster has formed (DIR/go), so device shards are spread from the first message and the
# kill lands in the middle of the traffic. Redeliveries come after 10 s (ack timeout) and 2 s (stacked retry).
topology_sqlite_wal
topology_start_emulator --rate "$rate" --count "$count" --devices "$devices" --seed "$seed" \
    --ack-timeout 10s --retry-interval 2s --stats-interval 2s --await-file "$dir/go" --truth-out "$dir/truth.json"
topology_start_nodes

ready=0
while ((ready < 3)); do
    in_time || fail "the nodes did not all become ready within $seconds s"
    ready=0
    for n in 1 2 3; do api "${node_http[n]}" /readyz >/dev/null && ready=$((ready + 1)); done
    ((ready == 3)) || sleep 0.5
done
# The connections (a sharded daemon) spread over the nodes a little after readiness; wait for it a while, so the
# killed node most likely holds one.
spread_until=$((SECONDS + 30))
until api "${node_http[1]}" /api/connections | jq -e '[.[] | select(.state == "attached") | .node] | unique | length == 3' >/dev/null; do
    ((SECONDS < spread_until)) && in_time || break
    sleep 0.5
done
touch "$dir/go"
echo "3 nodes ready (HTTP ports ${node_http[1]}, ${node_http[2]}, ${node_http[3]}); traffic started; waiting for $kill_after accepted messages ($kill_percent %)"

accepted=0
while ((accepted < kill_after)); do
    in_time || fail "only $accepted of $kill_after messages were accepted within $seconds s"
    sleep 0.2
    accepted=$(api "${node_http[1]}" /api/connections | jq '[.[].accepted] | add // 0' || echo 0)
done
victim_address="akka.tcp://iot-actors@127.0.0.1:${node_cluster[victim]}"
held=$(api "${node_http[1]}" /api/connections | jq -r --arg node "$victim_address" '[.[] | select(.node == $node) | "\(.clientId) (\(.inFlight) in flight)"] | join(", ")' || true)
disown "${node_pid[victim]}" # no "Killed" job notice from bash
kill -KILL "${node_pid[victim]}"
killed_at=$(now_ms)
echo "killed node$victim (pid ${node_pid[victim]}, kill -9) after $accepted accepted messages; it held connections: ${held:-none}"

survivors=()
for n in 1 2 3; do ((n == victim)) || survivors+=("$n"); done
watch=${node_http[${survivors[0]}]}

# The split-brain resolver downs the dead node; its connection (a sharded daemon) and its devices' shards move.
removed_ms="" moved_ms="" connections=""
while [[ -z $removed_ms || -z $moved_ms ]]; do
    in_time || fail "the cluster did not recover from the kill within $seconds s (removed: ${removed_ms:-no}, connections: ${connections:-?})"
    sleep 0.5
    if [[ -z $removed_ms ]] && api "$watch" /api/cluster | jq -e --arg node "$victim_address" 'all(.members[]; .address != $node)' >/dev/null; then
        removed_ms=$(($(now_ms) - killed_at))
    fi
    if [[ -z $moved_ms ]] && status=$(api "$watch" /api/connections); then
        connections=$(jq -r '[.[] | "\(.clientId)=\(.state)@\(.node | split(":") | last)"] | join(" ")' <<<"$status")
        if jq -e --arg node "$victim_address" 'length == 3 and all(.[]; .state == "attached" and .node != $node)' <<<"$status" >/dev/null; then
            moved_ms=$(($(now_ms) - killed_at))
        fi
    fi
done
echo "node$victim removed from the cluster after $((removed_ms / 1000)).$((removed_ms % 1000 / 100)) s; all connections attached on survivors after $((moved_ms / 1000)).$((moved_ms % 1000 / 100)) s: $connections"

# Drained: every simulated message published (the emulator then writes the truth), none waiting, none unsettled.
stats=""
until [[ -s $dir/truth.json ]] && grep -q "published $count," <<<"$stats" && grep -q "in flight 0, stacked 0," <<<"$stats"; do
    in_time || fail "the emulator did not drain within $seconds s; last: ${stats:-no stats}"
    sleep 1
    stats=$(grep -o 'DEFAULT_GROUP: published.*' "$dir/emulator.log" | tail -n 1 || true)
done
echo "emulator drained: ${stats#DEFAULT_GROUP: }"

left=$((deadline - SECONDS))
((left > 5)) || fail "no time left to verify"
set +e
"${topology_exe[@]}" verify --truth "$dir/truth.json" --timeout "$((left - 3))s" \
    --api "http://127.0.0.1:${node_http[${survivors[0]}]}" --api "http://127.0.0.1:${node_http[${survivors[1]}]}" | tee "$dir/verify.txt"
verified=${PIPESTATUS[0]}
set -e

echo "== chaos-processes summary =="
echo "seed          $seed"
echo "killed        node$victim after $accepted accepted messages (held: ${held:-none})"
echo "recovery      removed after $((removed_ms / 1000)).$((removed_ms % 1000 / 100)) s, connections on survivors after $((moved_ms / 1000)).$((moved_ms % 1000 / 100)) s"
echo "emulator      ${stats#DEFAULT_GROUP: }"
if ((verified == 0)); then
    echo "result        PASS: every twin matches the ground truth"
else
    echo "result        FAIL: verify exited $verified (see the table above, and $dir/*.log; replay with --seed $seed)"
fi
exit "$verified"
