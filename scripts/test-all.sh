#!/usr/bin/env bash
# Runs every test of weft: the Rust workspace (unit, snapshot, schema-drift and end-to-end tests
# that run the real binaries), where present the jsforce conformance check of the fake, and the
# browser suite of `weft serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/weft-target}"
cargo build --workspace --bins
cargo test --workspace --all-targets
# The README's main job must keep working.
bash scripts/demo.sh > /dev/null
if [ -f tests/conformance/package.json ]; then
  bash tests/conformance/run.sh
fi
# `weft serve` in a real headless Chromium (installs Debian's chromium when it is missing).
bash scripts/browser-test.sh
