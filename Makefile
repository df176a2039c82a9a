# Ordo — every entry point a person or CI uses. `make demo` and `make test` work from a fresh clone:
# they install what they need (npm packages, the Temporal CLI) and download nothing at run time.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export TEMPORAL_ADDRESS ?= localhost:7233
export TEMPORAL_NAMESPACE ?= default
export ORDO_TASK_QUEUE ?= execution
export SIM_PORT ?= 8300
export ORDO_DATA_DIR ?= .data

DEPS_STAMP := node_modules/.ordo-deps-stamp

.PHONY: help deps tools postgres chromium temporal sim worker api demo test lint typecheck bench clean

help:
	@echo "make demo    — everything up: Temporal dev server, simulator, worker, demo orders (Ctrl-C stops)"
	@echo "make test    — install what is needed and run every test"
	@echo "make tools   — install the Temporal CLI and test server into .tools/"
	@echo "make temporal | sim | worker | api — one part, in the foreground"
	@echo "make bench   — print the benchmark numbers (BENCH_QUICK=1 scaled down; BENCH_ONLY=\"throughput …\")"

# Install only when package.json or the lock changed since the last install. `npm install`, not
# `npm ci`: the lock lists optional platform packages (e.g. @swc/core for macOS/Windows) that this
# machine's registry does not serve, and npm ci refuses a lock it cannot fully resolve.
$(DEPS_STAMP): package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

deps: $(DEPS_STAMP)

tools: deps
	@./temporal/install.sh

# PostgreSQL server binaries for the ledger tests: installed only if missing, only where apt works.
postgres:
	@./scripts/ensure-postgres.sh

# Debian's Chromium for the Web UI end-to-end test: installed only if missing, only where apt works.
chromium:
	@./scripts/ensure-chromium.sh

temporal: tools
	@./temporal/start-dev.sh

sim: deps
	@npx tsx src/sim/main.ts

worker: deps
	@npx tsx src/workers/main.ts

# The HTTP API (ORDO_API_HOST, default 127.0.0.1; ORDO_API_PORT, default 8080; ORDO_API_TOKEN).
api: deps
	@npx tsx src/api/main.ts

demo: tools
	@./scripts/demo.sh

typecheck: deps
	npx tsc --noEmit -p tsconfig.json

lint: deps
	npx eslint .
	npx prettier --check .

test: tools postgres chromium typecheck lint
	@mkdir -p test-output
	npx jest --ci --json --outputFile=test-output/jest.json; status=$$?; \
	  node scripts/test-summary.js test-output/jest.json; exit $$status

bench: tools
	@./scripts/bench.sh

clean:
	rm -rf dist coverage .data
