# shellcheck shell=bash
# The local topology shared by scripts/cluster-local.sh and scripts/chaos-processes.sh: one `iot-actors emulate` process
# and three `iot-actors run` nodes on loopback (node 1 is the seed), sharing one device journal: a SQLite file in
# DIR/state by default, or PostgreSQL when IOTACTORS__PERSISTENCE__PROVIDER=postgresql and
# IOTACTORS__PERSISTENCE__CONNECTIONSTRING are set. Source it after setting `dir`; every process started here is
# stopped by stop_all, which the sourcing script traps on EXIT.
#
#   topology_build                      build the host into $dir/bin (or use the build in $topology_bin, when set)
#   topology_start_emulator ARGS...     start `emulate` with ARGS on a free port; sets topology_amqp
#   topology_sqlite_wal                 create the shared SQLite journal in WAL mode (see below)
#   topology_start_nodes                start nodes 1–3; sets node_pid[n], node_http[n], node_cluster[n]
#   stop_all                            SIGTERM every process started here, newest first, each SIGKILLed after 30 s

topology_exe=()
topology_pids=()
topology_amqp=""
declare -a node_pid node_http node_cluster

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

topology_bin=${topology_bin:-}

topology_build() {
    if [[ -n $topology_bin ]]; then
        [[ -f $topology_bin/iot-actors.dll ]] || { echo "no iot-actors.dll in $topology_bin" >&2; return 1; }
    else
        topology_bin=$dir/bin
        dotnet build src/IotActors.Host -c Release -o "$topology_bin" -nologo -v quiet >/dev/null
    fi
    topology_exe=(dotnet "$topology_bin/iot-actors.dll")
}

# Newest first, one at a time: the nodes other than the seed, then the seed, then the emulator. Stopped all at once,
# a node could lose the seed's shard coordinator in the middle of handing off its regions and spend its shutdown
# phases' timeouts (10 s each) asking a coordinator that is gone, past the 30 s grace; and the emulator must outlive
# the nodes to take the settlements of the deliveries they drain.
stop_all() {
    local i pid
    for ((i = ${#topology_pids[@]} - 1; i >= 0; i--)); do
        pid=${topology_pids[i]}
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$pid" 2>/dev/null || true
    done
}

# Three processes writing one SQLite file: in SQLite's default rollback-journal mode every write locks out readers and
# writers of the other processes, and Microsoft.Data.Sqlite retries a busy database every 150 ms, so the cluster
# manages a few dozen messages per second. In WAL mode (a setting stored in the file) readers never block and writes
# are short appends: several times the throughput. No effect when the journal is PostgreSQL.
topology_sqlite_wal() {
    local provider=${IOTACTORS__PERSISTENCE__PROVIDER:-sqlite}
    [[ ${provider,,} == sqlite ]] || return 0
    mkdir -p "$dir/state"
    python3 -c 'import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute("PRAGMA journal_mode=WAL")' "$dir/state/iotactors.db"
}

topology_start_emulator() {
    topology_amqp=$(free_port)
    "${topology_exe[@]}" emulate --port "$topology_amqp" --cert-out "$dir/emulator.pem" "$@" >"$dir/emulator.log" 2>&1 &
    topology_pids+=($!)
    for _ in $(seq 1 60); do [[ -s "$dir/emulator.pem" ]] && break; sleep 0.5; done
    [[ -s "$dir/emulator.pem" ]] || { echo "the emulator did not start; see $dir/emulator.log" >&2; return 1; }
}

topology_start_nodes() {
    local n cluster_port http_port seed_port
    seed_port=$(free_port)
    for n in 1 2 3; do
        cluster_port=$seed_port
        [[ $n -eq 1 ]] || cluster_port=$(free_port)
        http_port=$(free_port)
        IOTACTORS__PLATFORM__HOST=127.0.0.1 \
        IOTACTORS__PLATFORM__PORT=$topology_amqp \
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
            "${topology_exe[@]}" run >"$dir/node$n.log" 2>&1 &
        topology_pids+=($!)
        node_pid[n]=$!
        node_http[n]=$http_port
        node_cluster[n]=$cluster_port
    done
}
