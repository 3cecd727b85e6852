# Shared set-up of the sync benchmarks (run.sh, curve.sh), sourced from the repository root with
# $here set to this directory: builds the server and the load generator, installs the reference
# server, makes a work directory that is removed (and its servers stopped) on exit.
cargo build --release --bin dagstaat --example sync_load -q
(cd "$here" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
load="$PWD/target/release/examples/sync_load"
work=$(mktemp -d /tmp/dagstaat-syncbench.XXXXXX)
chmod 777 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  tests/support/postgres.sh stop "$work/pg" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start_dagstaat() { # $1 data dir, $2 port, $3 database url or empty; prints the pid at once
  mkdir -p "$1"
  env DAGSTAAT_DATA_DIR="$1" DAGSTAAT_BIND="127.0.0.1:$2" DAGSTAAT_DEMO_PASSWORD=bench-password \
    DAGSTAAT_NOTIFICATION_CHECKS=false RUST_LOG=warn ${3:+DAGSTAAT_DATABASE_URL="$3"} \
    target/release/dagstaat serve >>"$1/log" 2>&1 &
  echo $!
}

serve() { # $1 data dir, $2 database url or empty; prints "pid port" once it answers
  local p pid
  p=$(port)
  pid=$(start_dagstaat "$1" "$p" "${2:-}")
  until curl -sf "http://127.0.0.1:$p/api/openapi.json" >/dev/null; do sleep 0.1; done
  echo "$pid $p"
}

# A fresh reference server: it keeps every document it has seen loaded. Prints "pid port".
serve_reference() {
  local p pid
  p=$(port)
  (cd "$here" && PORT="$p" DATA_DIR="$work/reference-$p" exec node reference-server.js >>"$work/reference.log" 2>&1) &
  pid=$!
  until curl -s "http://127.0.0.1:$p/" >/dev/null; do sleep 0.1; done
  echo "$pid $p"
}
