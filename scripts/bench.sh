#!/usr/bin/env bash
# `make bench`: every benchmark in bench/, one after the other. Prints numbers; asserts nothing.
#
#   BENCH_ONLY="throughput kill-switch"   run only these (names of files in bench/, without .ts)
#   BENCH_QUICK=1                         scaled down (a few minutes in all): fewer orders, shorter
#                                         steady state; each knob below can still be set on its own
#
# Knobs of the single benchmarks: BENCH_ORDERS (order-latency), BENCH_THROUGHPUT_ORDERS and
# BENCH_IN_FLIGHT (throughput), BENCH_WORKING_ORDERS and BENCH_STEADY_S (working-orders),
# BENCH_CRASH_ORDERS and BENCH_DOWNTIME_S (crash-recovery), BENCH_KILL_SIZES and BENCH_ROUNDS
# (kill-switch). The machine's other load skews every number: compare runs from the same hour.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ "${BENCH_QUICK:-0}" == "1" ]]; then
  export BENCH_ORDERS="${BENCH_ORDERS:-20}"
  export BENCH_THROUGHPUT_ORDERS="${BENCH_THROUGHPUT_ORDERS:-200}"
  export BENCH_IN_FLIGHT="${BENCH_IN_FLIGHT:-50}"
  export BENCH_WORKING_ORDERS="${BENCH_WORKING_ORDERS:-100}"
  export BENCH_STEADY_S="${BENCH_STEADY_S:-10}"
  export BENCH_CRASH_ORDERS="${BENCH_CRASH_ORDERS:-20}"
  export BENCH_DOWNTIME_S="${BENCH_DOWNTIME_S:-15}"
  export BENCH_KILL_SIZES="${BENCH_KILL_SIZES:-100}"
  export BENCH_ROUNDS="${BENCH_ROUNDS:-1}"
fi

all=(order-latency fill-latency throughput working-orders crash-recovery kill-switch sqlite-pragmas parent-orders
  risk-checks reconciliation)
selected=(${BENCH_ONLY:-${all[*]}})
for name in "${selected[@]}"; do
  bench="bench/$name.ts"
  [[ -f "$bench" ]] || continue # e.g. fill-latency before the pushed-fills work lands
  echo "== $bench"
  node --require tsx/cjs "$bench"
  echo
done
