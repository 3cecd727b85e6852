#!/usr/bin/env bash
# Latency against throughput (issue 3): the sync load of run.sh at a series of offered loads, the
# dagstaat server (SQLite, or PostgreSQL with DATABASE=postgresql) and the reference Node sync server
# one after the other at each, so the two curves come from the same run on the same machine.
# A phone's mean pause between bursts sets the offered load: 250 ms asks more than either server can
# take; the longer pauses ask less. The summary names, per server, the highest throughput at which
# p99 stayed under 100 ms.
# Usage: tests/bench/sync/curve.sh [PAUSES...]   (default: 2000 1000 700 500 350 250)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
pauses=("$@")
[ ${#pauses[@]} -gt 0 ] || pauses=(2000 1000 700 500 350 250)
cargo build --release --bin dagstaat --example sync_load -q
(cd "$here" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
load="$root/target/release/examples/sync_load"
work=$(mktemp -d /tmp/dagstaat-synccurve.XXXXXX)
chmod 777 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  tests/support/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

database_url=""
if [ "${DATABASE:-sqlite}" = postgresql ]; then
  mkdir -p "$work/pg" && chmod 777 "$work/pg"
  pg_url=$(tests/support/postgres.sh start "$work/pg")
  psql "$pg_url" -qc "create database curve"
  database_url="${pg_url%/postgres}/curve"
fi

# One dagstaat server for every load; each load takes days no earlier load touched.
p=$(port)
mkdir -p "$work/dagstaat"
env DAGSTAAT_DATA_DIR="$work/dagstaat" DAGSTAAT_BIND="127.0.0.1:$p" DAGSTAAT_DEMO_PASSWORD=bench-password \
  DAGSTAAT_NOTIFICATION_CHECKS=false RUST_LOG=warn ${database_url:+DAGSTAAT_DATABASE_URL="$database_url"} \
  target/release/dagstaat serve >>"$work/dagstaat/log" 2>&1 &
dagstaat_pid=$!
pids+=("$dagstaat_pid")
until curl -sf "http://127.0.0.1:$p/api/openapi.json" >/dev/null; do sleep 0.1; done
dagstaat_url="http://127.0.0.1:$p"

# A fresh reference server per load: it keeps every document it has seen loaded.
reference() { # $1 pause
  local rp ref_pid
  rp=$(port)
  (cd "$here" && PORT="$rp" DATA_DIR="$work/reference-$rp" exec node reference-server.js >>"$work/reference.log" 2>&1) &
  ref_pid=$!
  pids+=("$ref_pid")
  until curl -s "http://127.0.0.1:$rp/" >/dev/null; do sleep 0.1; done
  "$load" --target reference --url "http://127.0.0.1:$rp" --pid "$ref_pid" --pause-ms "$1"
  kill "$ref_pid"
}

results="$work/results"
day=1
for pause in "${pauses[@]}"; do
  ours=$("$load" --target dagstaat --url "$dagstaat_url" --password bench-password --pid "$dagstaat_pid" \
    --pause-ms "$pause" --first-day "$day")
  day=$((day + 20))
  theirs=$(reference "$pause")
  echo "dagstaat $pause $ours" | tee -a "$results"
  echo "reference $pause $theirs" | tee -a "$results"
done

python3 - "$results" <<'EOF'
import json, sys
rows = []
for line in open(sys.argv[1]):
    server, pause, result = line.split(" ", 2)
    rows.append((server, int(pause), json.loads(result)))
print(f"\n{'pause ms':>8} | {'server':<9} | {'changes/s':>9} | {'p50 ms':>7} | {'p99 ms':>7} | missing | converged")
for server, pause, r in rows:
    print(f"{pause:>8} | {server:<9} | {r['changes_per_second']:>9} | {r['p50_ms']:>7} | {r['p99_ms']:>7} | "
          f"{r['acknowledged_but_missing']:>7} | {r['phones_converged']}/{r['phones']}")
for server in ("dagstaat", "reference"):
    mine = [r for s, _, r in rows if s == server]
    fast = [r["changes_per_second"] for r in mine if r["p99_ms"] < 100]
    peak = max(r["changes_per_second"] for r in mine)
    print(f"{server}: highest throughput with p99 < 100 ms: {max(fast) if fast else 'none'} changes/s; "
          f"highest at any latency: {peak} changes/s")
EOF
