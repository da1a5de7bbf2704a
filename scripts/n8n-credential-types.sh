#!/usr/bin/env bash
# Regenerates runtime/src/workflow/n8n_credential_types.tsv: every credential type n8n 2.41.1
# ships, so that `weft check` can tell a credential type weft lacks from a name that is not n8n's.
# Reads the installed n8n (default /tmp/n8n-probe, see ../shared/n8n/README.md; PROBE=... to
# change): `dist/types/credentials.json` of n8n-nodes-base and @n8n/n8n-nodes-langchain. Writes
# one `type<TAB>display name` line per type, sorted. Build and tests read only the committed file.
set -euo pipefail
cd "$(dirname "$0")/.."
probe="${PROBE:-/tmp/n8n-probe}"
out=runtime/src/workflow/n8n_credential_types.tsv
python3 - "$probe/app/node_modules" > "$out" <<'PY'
import json, os, sys
root = sys.argv[1]
lines = {}
for package in ["n8n-nodes-base", "@n8n/n8n-nodes-langchain"]:
    with open(os.path.join(root, package, "package.json")) as manifest:
        version = json.load(manifest)["version"]
    if version != "2.41.1":
        raise SystemExit(f"{package} is {version}, not 2.41.1")
    with open(os.path.join(root, package, "dist/types/credentials.json")) as types:
        for credential in json.load(types):
            display = " ".join(credential["displayName"].split())
            lines[credential["name"]] = f"{credential['name']}\t{display}"
print("\n".join(lines[name] for name in sorted(lines)))
PY
echo "wrote $out ($(wc -l < "$out") credential types)"
