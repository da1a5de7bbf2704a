#!/usr/bin/env bash
# Regenerates nodes/src/core/mime_types.tsv: the MIME type n8n's binary helpers give each file
# extension. n8n 2.41.1 (n8n-core) looks types up with the npm package mime-types 3.0.2 over
# mime-db 1.54.0; this installs exactly those into a temporary folder and writes one
# `extension<TAB>type` line per extension mime-db knows, sorted, as `lookup` answers it, and
# nodes/src/core/mime_extensions.tsv: one `type<TAB>extension` line per type with extensions, the
# extension `extension(type)` answers (n8n names a file `file.<extension>` from it).
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund mime-types@3.0.2 mime-db@1.54.0 >/dev/null)
NODE_PATH="$work/node_modules" node -e '
const types = require("mime-types");
const db = require("mime-db");
const extensions = new Set();
for (const type of Object.values(db)) for (const ext of type.extensions || []) extensions.add(ext);
const lines = [...extensions].sort().map((ext) => `${ext}\t${types.lookup(ext)}`);
process.stdout.write(lines.join("\n") + "\n");
' > nodes/src/core/mime_types.tsv
NODE_PATH="$work/node_modules" node -e '
const types = require("mime-types");
const lines = Object.keys(types.extensions).sort().map((type) => `${type}\t${types.extension(type)}`);
process.stdout.write(lines.join("\n") + "\n");
' > nodes/src/core/mime_extensions.tsv
echo "wrote nodes/src/core/mime_types.tsv ($(wc -l < nodes/src/core/mime_types.tsv) extensions)"
echo "wrote nodes/src/core/mime_extensions.tsv ($(wc -l < nodes/src/core/mime_extensions.tsv) types)"
