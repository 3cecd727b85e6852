#!/usr/bin/env bash
# Memory of the sync server per open document and per connection (issue 3). A fresh server (SQLite)
# per configuration; the load generator edits, then holds every phone connected with its document
# open while it reads the server's RSS:
#   A: 20 phones on 20 documents   B: 200 phones on 20 documents   C: 200 phones on 200 documents
# per connection = (B - A) / 180, per open document = (C - B) / 180 (each document holding the
# events of its phones: 10 edits per phone).
# Usage: tests/bench/sync/memory.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
cargo build --release --bin dagstaat --example sync_load -q
load="$root/target/release/examples/sync_load"
work=$(mktemp -d /tmp/dagstaat-syncmem.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; return 0; }
trap cleanup EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

measure() { # $1 phones, $2 documents; prints the RSS in MiB with everyone connected
  local dir="$work/$1-$2" p
  p=$(port)
  mkdir -p "$dir"
  env DAGSTAAT_DATA_DIR="$dir" DAGSTAAT_BIND="127.0.0.1:$p" DAGSTAAT_DEMO_PASSWORD=bench-password \
    DAGSTAAT_NOTIFICATION_CHECKS=false RUST_LOG=warn target/release/dagstaat serve >"$dir/log" 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$p/api/openapi.json" >/dev/null; do sleep 0.1; done
  "$load" --target dagstaat --url "http://127.0.0.1:$p" --password bench-password --pid "$pid" \
    --phones "$1" --documents "$2" --edits 10 --burst 10 --hold >"$dir/result"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(r["rss_before_mib"], r["rss_connected_mib"], r["failed_phones"])' "$dir/result"
}

read -r a_before a failed_a < <(measure 20 20)
read -r b_before b failed_b < <(measure 200 20)
read -r c_before c failed_c < <(measure 200 200)
echo "A 20 phones / 20 documents:   idle ${a_before} MiB, connected ${a} MiB (failed phones: ${failed_a})"
echo "B 200 phones / 20 documents:  idle ${b_before} MiB, connected ${b} MiB (failed phones: ${failed_b})"
echo "C 200 phones / 200 documents: idle ${c_before} MiB, connected ${c} MiB (failed phones: ${failed_c})"
python3 -c "import sys; a,b,c=map(float,sys.argv[1:]); print(f'per connection: {(b-a)/180*1024:.0f} KiB; per open document: {(c-b)/180*1024:.0f} KiB')" "$a" "$b" "$c"
