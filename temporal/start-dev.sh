#!/usr/bin/env bash
# Runs the Temporal dev server (`temporal server start-dev`, Web UI included) in the foreground,
# durable in a SQLite file, with every Ordo search attribute registered. Ctrl-C stops it.
#
#   TEMPORAL_ADDRESS   frontend gRPC host:port        (default localhost:7233)
#   TEMPORAL_NAMESPACE namespace created at start     (default "default", which always exists)
#   TEMPORAL_UI_PORT   Web UI port                    (default 8233)
#   ORDO_DATA_DIR      the SQLite file is $ORDO_DATA_DIR/temporal.db (default .data; relative paths
#                      are relative to the repository root)
# Extra arguments are passed on to `temporal server start-dev`.
#
# SQLite pragmas: journal_mode=WAL + synchronous=NORMAL, chosen by measurement
# (`npx tsx bench/sqlite-pragmas.ts`, 2-CPU VM, Temporal CLI 1.9.1, 20 workflows in flight):
# SQLite's defaults (rollback journal, synchronous=FULL) gave ~0.4x the in-memory throughput with
# 2x the median and 3x the p90 latency; WAL+NORMAL gave ~0.9x with near in-memory latency. With
# NORMAL, a machine crash (not a process crash) can lose the last few commits, never corrupt the file.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

TEMPORAL="$ROOT/.tools/bin/temporal"
if [[ ! -x "$TEMPORAL" ]]; then
  "$ROOT/temporal/install.sh"
fi

address="${TEMPORAL_ADDRESS:-localhost:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"
ui_port="${TEMPORAL_UI_PORT:-8233}"
data_dir="${ORDO_DATA_DIR:-.data}"

host="${address%:*}"
port="${address##*:}"
host="${host#[}"
host="${host%]}"
if [[ -z "$host" || "$host" == "$address" || ! "$port" =~ ^[0-9]+$ ]]; then
  echo "temporal/start-dev.sh: TEMPORAL_ADDRESS must be host:port, got '$address'" >&2
  exit 2
fi

mkdir -p "$data_dir"
db_file="$data_dir/temporal.db"

args=(
  server start-dev
  --ip "$host"
  --port "$port"
  --ui-port "$ui_port"
  --db-filename "$db_file"
  --sqlite-pragma journal_mode=WAL
  --sqlite-pragma synchronous=NORMAL
  --log-level warn
  --ui-disable-news-fetch
)
if [[ "$namespace" != "default" ]]; then
  args+=(--namespace "$namespace")
fi

# Search attributes: NAME=TYPE lines of temporal/search-attributes.txt (comments and blanks skipped).
while IFS= read -r line || [[ -n "$line" ]]; do
  line="${line%%#*}"
  line="${line//[[:space:]]/}"
  [[ -z "$line" ]] && continue
  args+=(--search-attribute "$line")
done <"$ROOT/temporal/search-attributes.txt"

echo "Temporal dev server: frontend $address, namespace $namespace, Web UI http://localhost:$ui_port, data $db_file" >&2
exec "$TEMPORAL" "${args[@]}" "$@"
