#!/usr/bin/env bash
# Latency against throughput (issue 3): the sync load of run.sh at a series of offered loads, the
# dagstaat server (SQLite, or PostgreSQL with DATABASE=postgresql) and the reference Node sync server
# one after the other at each, so the two curves come from the same run on the same machine.
# A phone's mean pause between bursts sets the offered load: 250 ms asks more than either server can
# take; the longer pauses ask less. The summary names, per server, the highest throughput at which
# p99 stayed under 100 ms.
# Usage: tests/bench/sync/curve.sh [PAUSES...]   (default: 2000 1000 700 600 500 350 250)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
cd "$root"
pauses=("$@")
[ ${#pauses[@]} -gt 0 ] || pauses=(2000 1000 700 600 500 350 250)
source "$here/common.sh"

database_url=""
if [ "${DATABASE:-sqlite}" = postgresql ]; then
  mkdir -p "$work/pg" && chmod 777 "$work/pg"
  pg_url=$(tests/support/postgres.sh start "$work/pg")
  psql "$pg_url" -qc "create database curve"
  database_url="${pg_url%/postgres}/curve"
fi

# One dagstaat server for every load; each load takes days no earlier load touched.
read -r dagstaat_pid p < <(serve "$work/dagstaat" "$database_url")
pids+=("$dagstaat_pid")
dagstaat_url="http://127.0.0.1:$p"

reference() { # $1 pause
  local ref_pid rp
  read -r ref_pid rp < <(serve_reference)
  pids+=("$ref_pid")
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
    under = f"{max(fast)} changes/s" if fast else "none of the loads"
    print(f"{server}: highest throughput with p99 < 100 ms: {under}; highest at any latency: {peak} changes/s")
EOF
