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

source scripts/lib/topology.sh
topology_build
trap stop_all EXIT INT TERM

topology_start_emulator --rate "$rate" --devices "$devices"
topology_start_nodes
for n in 1 2 3; do
    echo "node$n: cluster 127.0.0.1:${node_cluster[n]}, status page http://127.0.0.1:${node_http[n]}/ (log $dir/node$n.log)"
done
echo "emulator: amqps://127.0.0.1:$topology_amqp; running for $seconds s"
sleep "$seconds"
