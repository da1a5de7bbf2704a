#!/usr/bin/env bash
# Runs every test of weft: the Rust workspace (unit, snapshot, schema-drift and end-to-end tests
# that run the real binaries) and, where present, the jsforce conformance check of the fake.
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
