#!/usr/bin/env bash
# Sync load benchmark: 200 simulated phones over 20 dagstaat documents, 50 edits each in bursts,
# against the dagstaat server on SQLite, on PostgreSQL, and the reference Node sync server, in one run.
# Usage: tests/bench/sync/run.sh   (builds the release binary; needs postgresql installed)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
cargo build --release --locked --bin dagstaat >/dev/null
(cd "$here" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
work=$(mktemp -d /tmp/dagstaat-syncbench.XXXXXX)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  tests/support/postgres.sh stop "$work/pg" || true
  rm -rf "$work"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

run_dagstaat() { # $1 label, $2 database url or empty
  local dir="$work/$1" p
  p=$(port)
  mkdir -p "$dir"
  DAGSTAAT_DATA_DIR="$dir" DAGSTAAT_BIND="127.0.0.1:$p" DAGSTAAT_DEMO_PASSWORD=bench-password \
    ${2:+DAGSTAAT_DATABASE_URL="$2"} RUST_LOG=warn target/release/dagstaat serve >"$dir/log" 2>&1 &
  local pid=$!
  pids+=("$pid")
  until curl -sf "http://127.0.0.1:$p/api/openapi.json" >/dev/null; do sleep 0.1; done
  echo "$1: $(cd "$here" && node load.js --target dagstaat --url "http://127.0.0.1:$p" --password bench-password --pid "$pid")"
  kill "$pid"
}

run_dagstaat sqlite ""
mkdir -p "$work/pg"
pg_url=$(tests/support/postgres.sh start "$work/pg")
psql "$pg_url" -qc "create database bench"
run_dagstaat postgresql "${pg_url%/postgres}/bench"

p=$(port)
(cd "$here" && PORT="$p" DATA_DIR="$work/reference" node node_modules/@automerge/automerge-repo-sync-server/src/index.js >"$work/reference.log" 2>&1) &
pids+=("$!")
until curl -s "http://127.0.0.1:$p/" >/dev/null; do sleep 0.1; done
ref_pid=$(pgrep -f "PORT=$p" || pgrep -nf automerge-repo-sync-server/src/index.js)
echo "reference: $(cd "$here" && timeout 300 node load.js --target reference --url "http://127.0.0.1:$p" --pid "$ref_pid" 2>/dev/null | grep target || echo 'did not finish within 300 s')"
