#!/usr/bin/env bash
# Occupancy over HTTP for 10 locations x 1 year (~156k attendance rows) on SQLite and PostgreSQL (issue 6).
# Usage: tests/bench/occupancy/run.sh   (needs PostgreSQL binaries; tests/run.sh installs them)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
cargo build --release --example occupancy_query -q
bin="$root/target/release/examples/occupancy_query"
work=$(mktemp -d)
chmod 777 "$work"
trap 'tests/support/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "== SQLite"
"$bin" "sqlite://$work/bench.sqlite?mode=rwc"

echo "== PostgreSQL"
mkdir -p "$work/pg" && chmod 777 "$work/pg"
"$bin" "$(tests/support/postgres.sh start "$work/pg")"
