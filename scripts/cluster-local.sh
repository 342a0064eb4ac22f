#!/usr/bin/env bash
# The docker-compose topology as plain processes on loopback: one emulator and three iot-actors nodes
# (node 1 is the seed), each with its own cluster port and HTTP port, sharing one device journal: a SQLite file
# in DIR/state by default (devices move between nodes, so they must find their state wherever they land), or
# PostgreSQL when IOTACTORS__PERSISTENCE__PROVIDER=postgresql and IOTACTORS__PERSISTENCE__CONNECTIONSTRING are set.
# Bounded: everything is stopped after --seconds (default 60), on Ctrl+C, or when the script exits.
#
#   bash scripts/cluster-local.sh [--seconds 60] [--rate 200] [--devices 100] [--dir DIR]
#
# Prints the status page of each node; logs go to DIR/*.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=60 rate=200 devices=100 dir=""
while (($#)); do
    case "$1" in
        --seconds) seconds=$2; shift 2 ;;
        --rate) rate=$2; shift 2 ;;
        --devices) devices=$2; shift 2 ;;
        --dir) dir=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
dir=${dir:-$(mktemp -d -t iotactors-cluster-XXXXXX)}
mkdir -p "$dir"

dotnet build src/IotActors.Host -c Release -o "$dir/bin" -nologo -v quiet >/dev/null
exe=(dotnet "$dir/bin/iot-actors.dll")

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

pids=()
stop_all() {
    for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${pids[@]}"; do
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}
trap stop_all EXIT INT TERM

amqp=$(free_port)
"${exe[@]}" emulate --port "$amqp" --rate "$rate" --devices "$devices" --cert-out "$dir/emulator.pem" >"$dir/emulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do [[ -s "$dir/emulator.pem" ]] && break; sleep 0.5; done
[[ -s "$dir/emulator.pem" ]] || { echo "the emulator did not start; see $dir/emulator.log" >&2; exit 1; }

seed_port=$(free_port)
for n in 1 2 3; do
    cluster_port=$seed_port
    [[ $n -eq 1 ]] || cluster_port=$(free_port)
    http_port=$(free_port)
    IOTACTORS__PLATFORM__HOST=127.0.0.1 \
    IOTACTORS__PLATFORM__PORT=$amqp \
    IOTACTORS__PLATFORM__ACCESSKEYID=LTAIEmulatorKey \
    IOTACTORS__PLATFORM__ACCESSKEYSECRET=emulator-secret \
    IOTACTORS__PLATFORM__CONSUMERGROUPID=DEFAULT_GROUP \
    IOTACTORS__PLATFORM__CLIENTIDS=local-0,local-1,local-2 \
    IOTACTORS__PLATFORM__TRUSTEDROOTCA="$dir/emulator.pem" \
    IOTACTORS__CLUSTER__HOSTNAME=127.0.0.1 \
    IOTACTORS__CLUSTER__PORT=$cluster_port \
    IOTACTORS__CLUSTER__SEEDNODES="akka.tcp://iot-actors@127.0.0.1:$seed_port" \
    IOTACTORS__HTTP__PORT=$http_port \
    IOTACTORS__DATADIR="$dir/state" \
        "${exe[@]}" run >"$dir/node$n.log" 2>&1 &
    pids+=($!)
    echo "node$n: cluster 127.0.0.1:$cluster_port, status page http://127.0.0.1:$http_port/ (log $dir/node$n.log)"
done
echo "emulator: amqps://127.0.0.1:$amqp; running for $seconds s"
sleep "$seconds"
