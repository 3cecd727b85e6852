#!/usr/bin/env bash
# A/B of two dagstaat server binaries on the saturating sync load (SQLite), alternating, so both
# see the same machine: tests/bench/sync/ab.sh OLD_BINARY NEW_BINARY [ROUNDS]
# Build the old one from another commit first, e.g.
#   git worktree add /tmp/old COMMIT && (cd /tmp/old && cargo build --release --bin dagstaat)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
cargo build --release --example sync_load -q
load=target/release/examples/sync_load
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
for _ in $(seq "${3:-3}"); do
  for bin in "$1" "$2"; do
    dir=$(mktemp -d /tmp/dagstaat-ab.XXXXXX)
    p=$(port)
    env DAGSTAAT_DATA_DIR="$dir" DAGSTAAT_BIND="127.0.0.1:$p" DAGSTAAT_DEMO_PASSWORD=bench-password \
      DAGSTAAT_NOTIFICATION_CHECKS=false RUST_LOG=warn "$bin" serve >"$dir/log" 2>&1 &
    pid=$!
    until curl -sf "http://127.0.0.1:$p/api/openapi.json" >/dev/null; do sleep 0.1; done
    echo "$bin: $("$load" --target dagstaat --url "http://127.0.0.1:$p" --password bench-password --pid "$pid")"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
  done
done
