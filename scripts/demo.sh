#!/usr/bin/env bash
# weft's main job, offline: builds weft and the fake Salesforce, starts the fake, stores the sample
# JWT credential (examples/credentials/n8n-export.json, pointed at the fake) in a fresh encrypted
# store, and runs examples/workflows/salesforce-accounts.json. Prints the workflow's items.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/weft-target}"
cargo build --quiet -p weft-runtime --bin weft -p weft-tests --bin fake-salesforce
bin="$CARGO_TARGET_DIR/debug"
work="$(mktemp -d)"
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

"$bin/fake-salesforce" --seed Account=25 > "$work/ready" 2> "$work/fake.log" &
fake_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/ready" ] && break
  sleep 0.1
done
instance_url="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["instance_url"])' "$work/ready")"
python3 - "$instance_url" "$work/credentials.json" <<'PY'
import json, sys
rows = json.load(open("examples/credentials/n8n-export.json"))
jwt = [row for row in rows if row["type"] == "salesforceJwtApi"]
jwt[0]["data"]["myDomainUrl"] = sys.argv[1]
json.dump(jwt, open(sys.argv[2], "w"))
PY

export WEFT_HOME="$work/home" WEFT_ENCRYPTION_KEY="demo-key-not-secret"
"$bin/weft" credentials import "$work/credentials.json" >&2
"$bin/weft" credentials test weftSampleJwt001 >&2
"$bin/weft" run examples/workflows/salesforce-accounts.json
