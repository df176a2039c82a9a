#!/usr/bin/env bash
# `make demo`: the Temporal dev server (durable SQLite file), the exchange simulator and an Ordo
# worker, then a few demo orders, a TWAP and a VWAP through the `ordo` CLI. Prints where to look (the
# parents' slices in the Web UI among them); Ctrl-C stops all.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

: "${TEMPORAL_ADDRESS:=localhost:7233}" "${SIM_PORT:=8300}" "${ORDO_DATA_DIR:=.data}" "${TEMPORAL_UI_PORT:=8233}" "${ORDO_API_PORT:=8080}"
: "${ORDO_METRICS_ADDRESS:=127.0.0.1:9464}"
export TEMPORAL_ADDRESS SIM_PORT ORDO_DATA_DIR TEMPORAL_UI_PORT ORDO_API_PORT ORDO_METRICS_ADDRESS
LOGS="$ORDO_DATA_DIR/logs"
mkdir -p "$LOGS"
TEMPORAL="$ROOT/.tools/bin/temporal"
NODE_TS=(node --require tsx/cjs)
ORDO=("${NODE_TS[@]}" src/client/cli.ts)

pids=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping demo…"
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped. Data kept in $ORDO_DATA_DIR (delete it for a clean start)."
}
trap stop_all INT TERM EXIT

wait_for() { # description, command…
  local what="$1"
  shift
  for _ in $(seq 1 300); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.2
  done
  echo "demo: $what did not come up; see $LOGS" >&2
  exit 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "${TEMPORAL_ADDRESS##*:}" "$SIM_PORT" "$TEMPORAL_UI_PORT" "$ORDO_API_PORT" "${ORDO_METRICS_ADDRESS##*:}"; do
  if port_in_use "$port"; then
    echo "demo: port $port is already in use (another demo running?). Stop it or set TEMPORAL_ADDRESS / SIM_PORT / TEMPORAL_UI_PORT / ORDO_API_PORT." >&2
    trap - INT TERM EXIT
    exit 1
  fi
done

echo "starting Temporal dev server (log: $LOGS/temporal.log)"
./temporal/start-dev.sh >"$LOGS/temporal.log" 2>&1 &
pids+=($!)
wait_for "Temporal" "$TEMPORAL" operator namespace describe --address "$TEMPORAL_ADDRESS" --namespace default

echo "starting exchange simulator on port $SIM_PORT (log: $LOGS/sim.log)"
"${NODE_TS[@]}" src/sim/main.ts >"$LOGS/sim.log" 2>&1 &
pids+=($!)
wait_for "the simulator" curl -sf "http://127.0.0.1:$SIM_PORT/api/v3/ping"

echo "starting Ordo worker (log: $LOGS/worker.log)"
"${NODE_TS[@]}" src/workers/main.ts >"$LOGS/worker.log" 2>&1 &
pids+=($!)
wait_for "the worker" grep -q '"worker started"' "$LOGS/worker.log"

# The HTTP API on loopback (no token needed there; set ORDO_API_TOKEN to require one).
echo "starting HTTP API on port $ORDO_API_PORT (log: $LOGS/api.log)"
"${NODE_TS[@]}" src/api/main.ts >"$LOGS/api.log" 2>&1 &
pids+=($!)
wait_for "the HTTP API" grep -q '"api started"' "$LOGS/api.log"

mid() { # symbol → mid price from the simulator's book
  curl -sf "http://127.0.0.1:$SIM_PORT/api/v3/depth?symbol=${1/\//}&limit=5" |
    node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const b=JSON.parse(s);console.log(((+b.bids[0][0] + +b.asks[0][0])/2).toFixed(2))})'
}

run=$(date +%H%M%S)
echo
echo "== demo orders (run $run) =="
echo "-- market buy 0.01 BTC/USDT"
"${ORDO[@]}" order submit --order-id "demo-$run-market" --symbol BTC/USDT --side buy --type market --quantity 0.01 --strategy demo --wait
echo
btc=$(mid BTC/USDT)
low=$(node -e "console.log((${btc} * 0.9).toFixed(2))")
lower=$(node -e "console.log((${btc} * 0.88).toFixed(2))")
echo "-- resting limit buy 0.02 BTC/USDT @ $low, amended to 0.03 @ $lower, then cancelled"
"${ORDO[@]}" order submit --order-id "demo-$run-limit" --symbol BTC/USDT --side buy --type limit --quantity 0.02 --price "$low" --strategy demo --wait
"${ORDO[@]}" order amend "demo-$run-limit" --quantity 0.03 --price "$lower"
"${ORDO[@]}" order cancel "demo-$run-limit" --reason "demo: cancel after amend"
echo
eth=$(mid ETH/USDT)
ioc=$(node -e "console.log((${eth} * 1.001).toFixed(2))")
echo "-- IOC buy 0.5 ETH/USDT @ $ioc"
"${ORDO[@]}" order submit --order-id "demo-$run-ioc" --symbol ETH/USDT --side buy --type limit --tif IOC --quantity 0.5 --price "$ioc" --strategy demo --wait
echo
echo "-- orders of strategy demo"
"${ORDO[@]}" order list --strategy demo

# Parent orders: each slice is a child orderWorkflow "<parent id>-<n>" with ParentId set, so the
# Web UI lists a parent's slices under a ParentId query while the parent runs.
twap="demo-$run-twap"
vwap="demo-$run-vwap"
echo
echo "== parent orders =="
echo "-- TWAP: buy 0.05 BTC/USDT over 2 minutes, a slice every 10 s"
"${ORDO[@]}" algo twap --id "$twap" --symbol BTC/USDT --side buy --quantity 0.05 --duration 2m --interval 10s \
  --strategy-id demo-algo
echo "-- VWAP: sell 1 ETH/USDT over 3 minutes, a slice every 20 s, sized by the volume profile from candles"
"${ORDO[@]}" algo vwap --id "$vwap" --symbol ETH/USDT --side sell --quantity 1 --duration 3m --interval 20s \
  --strategy-id demo-algo

ui="http://localhost:$TEMPORAL_UI_PORT/namespaces/default/workflows"
ui_query() { # visibility query → Web UI address listing its workflows
  echo "$ui?query=$(node -e 'process.stdout.write(encodeURIComponent(process.argv[1]))' "$1")"
}

cat <<EOT

== Ordo is running ==
  Temporal Web UI   http://localhost:$TEMPORAL_UI_PORT/namespaces/default/workflows
  filter examples   Symbol="BTC/USDT"      OrderStatus="FILLED"      StrategyId="demo"
  simulator         http://127.0.0.1:$SIM_PORT/admin/orders (every order the venue received)
  HTTP API          http://127.0.0.1:$ORDO_API_PORT/orders?strategy=demo   (document: /openapi.json, health: /health)
  metrics           http://$ORDO_METRICS_ADDRESS/metrics   (Prometheus: temporal_* and ordo_*)
  CLI               npx ordo order status demo-$run-limit      npx ordo order list --symbol BTC/USDT

  TWAP              $twap   (done in ~2 min)
  VWAP              $vwap   (done in ~3 min)
  progress          npx ordo algo progress $twap      npx ordo algo progress $vwap
  all parents       npx ordo algo list      (pause | resume | cancel | amend | kill: npx ordo algo --help)
  TWAP slices       $(ui_query "ParentId=\"$twap\"")
  VWAP slices       $(ui_query "ParentId=\"$vwap\"")
  parents by algo   $(ui_query 'Algo="twap"')
                    $(ui_query 'Algo="vwap"')
  raw Temporal CLI  .tools/bin/temporal workflow list --query 'Symbol="BTC/USDT" AND OrderStatus="FILLED"'
                    .tools/bin/temporal workflow list --query 'ParentId="$twap"'
  logs              $LOGS/{temporal,sim,worker,api}.log

Ctrl-C stops everything.
EOT
# Runs until Ctrl-C (which reaches every process of the group) or until one part exits.
wait -n "${pids[@]}" || true
echo "a part of the demo ended (Ctrl-C, or see $LOGS)"
stop_all
