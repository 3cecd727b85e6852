#!/usr/bin/env bash
# Web push fan-out: one notification to 1,000 subscriptions on a local push service (issue 6).
set -euo pipefail
cd "$(dirname "$0")/../../.."
cargo build --release --example push_fanout -q
target/release/examples/push_fanout "${1:-1000}"
