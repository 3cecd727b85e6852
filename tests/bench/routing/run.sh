#!/usr/bin/env bash
# Route planner benchmark (issue 4). Rerun: tests/bench/routing/run.sh [seconds per instance]
#   1. Solomon VRPTW 100-customer instances: our planner, PyVRP and OR-Tools, one instance after
#      the other with the same budget, compared with the best-known table.
#   2. Cordeau dial-a-ride instances: our planner; every plan verified by our checker.
#   3. A realistic synthetic day: 300 transport clients, 30 buses, 2 locations.
# Results go to target/bench-routing/; a summary is printed for BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/../../.."
SECONDS_PER=${1:-10}
SHARED=${DAGSTAAT_SHARED:-../shared}
OUT=target/bench-routing
mkdir -p "$OUT"
VENV=target/routing-venv
if [ ! -x "$VENV/bin/python" ]; then python3 -m venv "$VENV"; fi
"$VENV/bin/pip" install -q pyvrp ortools
cargo build --release -q -p dagstaat-routing --example bench
BENCH=target/release/examples/bench
ONLY=${ONLY:-}

solomon_files=$(ls "$SHARED"/bench/solomon/solomon_txt/*.txt | grep -E "${ONLY:-.}" || true)
for solver in ours pyvrp ortools; do
  echo "instance,vehicles,distance,unassigned,violations,longest_ride,seconds" > "$OUT/solomon-$solver.csv"
done
for file in $solomon_files; do
  "$BENCH" solomon "$file" --seconds "$SECONDS_PER" --threads 2 2>/dev/null | grep -v "^instance\|job index" >> "$OUT/solomon-ours.csv"
  "$VENV/bin/python" tests/bench/routing/peers.py pyvrp "$SECONDS_PER" "$file" | tail -n +2 >> "$OUT/solomon-pyvrp.csv"
  "$VENV/bin/python" tests/bench/routing/peers.py ortools "$SECONDS_PER" "$file" | tail -n +2 >> "$OUT/solomon-ortools.csv"
  tail -n 1 -q "$OUT"/solomon-{ours,pyvrp,ortools}.csv | paste -sd' ' | sed 's/^/  /'
done
[ -z "$solomon_files" ] || "$VENV/bin/python" tests/bench/routing/compare.py "$SHARED/bench/solomon/bks_solomon100.csv" "$OUT"

# ONLY may leave no Cordeau instance (it filters both sets).
darp_files=$(ls "$SHARED"/bench/darp/cordeau2006/*.txt | grep -E "${ONLY:-.}" || true)
if [ -n "$darp_files" ]; then
  "$BENCH" darp $darp_files --seconds "$SECONDS_PER" --threads 2 2>/dev/null | grep -v "job index" > "$OUT/darp-ours.csv"
  echo "Cordeau dial-a-ride (${SECONDS_PER}s each):"
  column -s, -t "$OUT/darp-ours.csv"
  awk -F, 'NR>1 {n++; v+=$5; u+=$4} END {printf "  %d instances, %d checker violations, %d unassigned requests\n", n, v, u}' "$OUT/darp-ours.csv"
fi

echo "Realistic day (30 s budget):"
"$BENCH" day --seconds 30 --threads 2 2>&1 | grep -v "job index" | tee "$OUT/day.csv"
