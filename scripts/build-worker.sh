#!/usr/bin/env sh
# wrangler's custom build step (see wrangler.toml), run in wrangler.toml's
# folder: compiles the gateway config named by CE_GATEWAY_CONFIG (the
# embedded default when unset or empty) into .ce-gateway/worker.js, the
# Worker's main module.
set -e
here="$(dirname "$0")"
if [ -n "${CE_GATEWAY_CONFIG:-}" ]; then
  exec "$here/node22" "$here/../bin/ce-gateway.js" build --target workers --config "$CE_GATEWAY_CONFIG" --out .ce-gateway
fi
exec "$here/node22" "$here/../bin/ce-gateway.js" build --target workers --out .ce-gateway
