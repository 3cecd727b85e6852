#!/usr/bin/env bash
# Sync load benchmark (issue 3), one run, three servers on the same load: the dagstaat server on SQLite,
# on PostgreSQL, and the reference Node sync server (automerge-repo 2.5.6, tests/bench/sync/reference-server.js).
# The load generator is server/examples/sync_load.rs: 200 phones over 20 dagstaat documents, 50 edits
# each in bursts of 10, speaking the automerge-repo websocket protocol; a phone stays on its document
# until every phone is done, and its replica must converge. The SQLite server and the reference also
# run the load of the sessions before the eleventh, where a phone leaves after its last burst (--leave).
# Each server runs the load twice: at saturation (phones pause 250 ms on average between bursts:
# throughput) and below it (PAUSE_MS, default 2000 ms: latency at a load the servers can carry).
# PostgreSQL also runs with two dagstaat instances sharing the database, the phones spread over both.
# Usage: tests/bench/sync/run.sh   (needs postgresql installed; tests/run.sh installs it)
set -euo pipefail
pause_ms=${PAUSE_MS:-2000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
source "$here/common.sh"

run_dagstaat() { # $1 label, $2 database url or empty, $3 non-empty: also the load where phones leave
  local pid p
  read -r pid p < <(serve "$work/$1" "$2")
  pids+=("$pid")
  echo "$1: $("$load" --target dagstaat --url "http://127.0.0.1:$p" --password bench-password --pid "$pid")"
  echo "$1, pause $pause_ms ms: $("$load" --target dagstaat --url "http://127.0.0.1:$p" --password bench-password --pid "$pid" --pause-ms "$pause_ms" --first-day 40)"
  [ -z "${3:-}" ] || echo "$1, phones leave: $("$load" --target dagstaat --url "http://127.0.0.1:$p" --password bench-password --pid "$pid" --first-day 80 --leave)"
  kill "$pid"
}

# Two instances on one PostgreSQL database (server CPU is not read: two processes).
run_dagstaat_two() { # $1 database url
  local pid1 p1 pid2 p2 urls
  read -r pid1 p1 < <(serve "$work/pg-one" "$1")
  pids+=("$pid1")
  read -r pid2 p2 < <(serve "$work/pg-two" "$1")
  pids+=("$pid2")
  urls="http://127.0.0.1:$p1,http://127.0.0.1:$p2"
  echo "postgresql, two instances: $("$load" --target dagstaat --url "$urls" --password bench-password)"
  echo "postgresql, two instances, pause $pause_ms ms: $("$load" --target dagstaat --url "$urls" --password bench-password --pause-ms "$pause_ms" --first-day 40)"
  kill "$pid1" "$pid2"
}

# kill -9 of the server 1.5 s into the load, restarted on the same data: phones reconnect and sync
# again; no change the server acknowledged before the kill may be missing afterwards.
run_dagstaat_killed() {
  local dir="$work/killed" p pid
  read -r pid p < <(serve "$dir" "")
  pids+=("$pid")
  "$load" --target dagstaat --url "http://127.0.0.1:$p" --password bench-password >"$dir/result" &
  local gen=$!
  sleep 1.5
  kill -9 "$pid"
  # Gone (or a zombie, which holds no socket) before the restart binds the same port.
  while [ -e "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.05; done
  pid=$(start_dagstaat "$dir" "$p")
  pids+=("$pid")
  wait "$gen"
  echo "sqlite, kill -9 after 1.5 s: $(cat "$dir/result")"
  kill "$pid"
}

run_dagstaat sqlite "" leave
run_dagstaat_killed
mkdir -p "$work/pg" && chmod 777 "$work/pg"
pg_url=$(tests/support/postgres.sh start "$work/pg")
psql "$pg_url" -qc "create database bench"
run_dagstaat postgresql "${pg_url%/postgres}/bench"
psql "$pg_url" -qc "create database bench_two"
run_dagstaat_two "${pg_url%/postgres}/bench_two"

run_reference() { # $1 label, then extra load generator arguments
  local label=$1 ref_pid p
  shift
  read -r ref_pid p < <(serve_reference)
  pids+=("$ref_pid")
  echo "$label: $("$load" --target reference --url "http://127.0.0.1:$p" --pid "$ref_pid" "$@")"
  kill "$ref_pid"
}
run_reference reference
run_reference "reference, pause $pause_ms ms" --pause-ms "$pause_ms"
run_reference "reference, phones leave" --leave
