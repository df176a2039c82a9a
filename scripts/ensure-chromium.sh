#!/usr/bin/env bash
# Debian's Chromium for the Web UI end-to-end test (test/temporal/web-ui.test.ts drives it with
# playwright-core, which never downloads a browser of its own). Nothing to do when it is there;
# otherwise installs Debian's package, only as root on a machine with apt-get. Never fails the
# build: without Chromium that test is skipped, with a warning saying why.
set -u
if [ -x /usr/bin/chromium ] || command -v chromium >/dev/null; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "Chromium not installed, and apt-get is not available here: the Web UI test will be skipped" >&2
  exit 0
fi
echo "installing Chromium (Debian package chromium) for the Web UI test"
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium >/dev/null; }; then
  echo "Chromium install failed: the Web UI test will be skipped" >&2
fi
exit 0
