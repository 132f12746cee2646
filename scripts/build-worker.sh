#!/usr/bin/env sh
# wrangler's custom build step (see wrangler.toml): compiles the gateway
# config named by CE_GATEWAY_CONFIG (the embedded default when unset or
# empty) into .ce-gateway/worker.js, the Worker's main module.
set -e
cd "$(dirname "$0")/.."
if [ -n "${CE_GATEWAY_CONFIG:-}" ]; then
  exec scripts/node22 bin/ce-gateway.js build --target workers --config "$CE_GATEWAY_CONFIG" --out .ce-gateway
fi
exec scripts/node22 bin/ce-gateway.js build --target workers --out .ce-gateway
