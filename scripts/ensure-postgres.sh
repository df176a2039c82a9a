#!/usr/bin/env bash
# PostgreSQL server binaries for the ledger's PostgreSQL tests (test/support/postgres-server.ts
# starts a private server from them). Nothing to do when they are there (Debian's images have
# them); otherwise installs Debian's package, only as root on a machine with apt-get. Never fails
# the build: without a server those tests are skipped, with a warning saying why.
set -u
if compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || command -v initdb >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "PostgreSQL server not installed, and apt-get is not available here: the PostgreSQL ledger tests will be skipped" >&2
  exit 0
fi
echo "installing the PostgreSQL server (Debian package postgresql) for the ledger tests"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends postgresql >/dev/null; }; then
  echo "PostgreSQL install failed: the PostgreSQL ledger tests will be skipped" >&2
fi
exit 0
