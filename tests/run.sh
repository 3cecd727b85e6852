#!/usr/bin/env bash
# The whole test suite. On a fresh machine it first installs what it needs:
# Debian's chromium, postgresql and xmllint, and the npm packages of the browser tests.
# Then: formatting and lints, all Rust tests on SQLite, the database tests again on a real
# PostgreSQL server it starts (and stops), and the Playwright tests in Chromium.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

step() { printf '\n==> %s\n' "$*"; }

install_debian_packages() {
  local missing=()
  command -v chromium >/dev/null || missing+=(chromium)
  compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
  command -v xmllint >/dev/null || missing+=(libxml2-utils)
  [ ${#missing[@]} -eq 0 ] && return 0
  step "Installing ${missing[*]}"
  local sudo=()
  [ "$(id -u)" = 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

rust_tests() {
  if command -v cargo-nextest >/dev/null; then
    cargo nextest run --workspace --locked --no-fail-fast "$@"
  else
    cargo test --workspace --locked --no-fail-fast "$@"
  fi
}

pg_dir=""
cleanup() {
  [ -n "$pg_dir" ] && tests/support/postgres.sh stop "$pg_dir" && rm -rf "$pg_dir"
  return 0
}
trap cleanup EXIT

install_debian_packages

step "Browser and interop test packages (npm)"
(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
# `npm ci` rejects this lock file: npm 11 reports cbor-extract's optional per-platform packages as
# missing although they are listed. `npm install` follows the lock file; direct versions are exact.
(cd tests/interop && npm install --no-audit --no-fund --loglevel=error)

step "Formatting and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust tests on SQLite"
rust_tests

step "Database tests on PostgreSQL"
pg_dir=$(mktemp -d /tmp/dagstaat-pg.XXXXXX)
pg_url=$(tests/support/postgres.sh start "$pg_dir")
# Only the server's tests touch the database; the other crates' tests ran above and would only
# repeat (the route planner's take minutes).
if command -v cargo-nextest >/dev/null; then
  DAGSTAAT_TEST_POSTGRES_URL="$pg_url" cargo nextest run -p dagstaat --locked --no-fail-fast -E 'kind(test)'
else
  DAGSTAAT_TEST_POSTGRES_URL="$pg_url" cargo test -p dagstaat --locked --no-fail-fast --tests
fi

step "Browser tests (Playwright, Chromium)"
# The test build above already built target/debug/dagstaat; a plain `cargo build` would compile
# the server again without the dev-dependencies' features.
[ -x target/debug/dagstaat ] || cargo build --locked --bin dagstaat
(cd tests/browser && DAGSTAAT_BIN="$root/target/debug/dagstaat" npx playwright test)

step "Sync interop: the JS automerge-repo client against the server"
(cd tests/interop && DAGSTAAT_BIN="$root/target/debug/dagstaat" node --test --test-concurrency=1 --test-force-exit)

step "All tests passed"
