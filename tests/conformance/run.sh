#!/usr/bin/env bash
# Conformance of the fake Salesforce against jsforce: installs the pinned client, builds and
# starts `fake-salesforce`, runs conformance.mjs against it, stops it. Exits non-zero on failure.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/weft-target}"

(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$root" && cargo build --quiet -p weft-tests --bin fake-salesforce)

ready="$(mktemp)"
"$CARGO_TARGET_DIR/debug/fake-salesforce" --seed Account=4500 >"$ready" &
fake_pid=$!
trap 'kill "$fake_pid" 2>/dev/null || true; wait "$fake_pid" 2>/dev/null || true; rm -f "$ready"' EXIT

for _ in $(seq 1 100); do
  [ -s "$ready" ] && break
  kill -0 "$fake_pid" 2>/dev/null || { echo "fake-salesforce exited early" >&2; exit 1; }
  sleep 0.1
done
[ -s "$ready" ] || { echo "fake-salesforce did not print its URLs" >&2; exit 1; }

url() { node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")); console.log(r[process.argv[2]])' "$ready" "$1"; }
node "$here/conformance.mjs" "$(url login_url)" "$(url instance_url)" "$(url admin_url)"
