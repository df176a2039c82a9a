#!/usr/bin/env bash
# `make bench`: every benchmark in bench/, one after the other. Prints numbers; asserts nothing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
for bench in bench/order-latency.ts bench/sqlite-pragmas.ts bench/parent-orders.ts bench/risk-checks.ts bench/kill-switch.ts bench/reconciliation.ts; do
  echo "== $bench"
  node --require tsx/cjs "$bench"
  echo
done
