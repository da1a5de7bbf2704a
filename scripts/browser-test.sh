#!/usr/bin/env bash
# `weft serve` in a real headless Chromium against the fake Salesforce (tests/browser/run.mjs):
# installs Debian's chromium when /usr/bin/chromium is missing (CI runs as root), builds weft and
# the fake, installs playwright-core (no browser download: it drives the system chromium), runs
# the scenarios and closes with `N passed, M failed`. Set SCREENSHOT=<file.png> to also save a
# picture of a form (docs/images/serve-form.png comes from here).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/weft-target}"

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "browser-test: /usr/bin/chromium is missing; install Debian's chromium package (as root: apt-get install -y chromium)" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

cargo build --quiet -p weft-runtime --bin weft -p weft-tests --bin fake-salesforce

cd tests/browser
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
WEFT_BIN="$CARGO_TARGET_DIR/debug/weft" FAKE_BIN="$CARGO_TARGET_DIR/debug/fake-salesforce" \
  CHROMIUM=/usr/bin/chromium node run.mjs
