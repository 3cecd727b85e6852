#!/usr/bin/env bash
# Month close for 5,000 clients (~100k attendance rows) on SQLite and PostgreSQL (issue 5).
# Usage: tests/bench/billing/run.sh   (needs PostgreSQL binaries; tests/run.sh installs them)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
cargo build --release --example month_close -q
bin="$root/target/release/examples/month_close"
work=$(mktemp -d)
chmod 777 "$work"
trap 'tests/support/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT

echo "== SQLite"
sqlite="sqlite://$work/bench.sqlite?mode=rwc"
"$bin" seed "$sqlite"
"$bin" close "$sqlite"

echo "== PostgreSQL"
mkdir -p "$work/pg" && chmod 777 "$work/pg"
pg_url=$(tests/support/postgres.sh start "$work/pg")
"$bin" seed "$pg_url"
"$bin" close "$pg_url"
