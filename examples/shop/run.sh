#!/usr/bin/env bash
# The shop example, end to end: starts nats-server (a temporary store, a free port), the gateway with
# examples/shop/gateway.yaml, and `ce-gateway tail` on the orders' NATS subjects, then sends test
# events with `ce-gateway send` and shows them arriving. From a clone:
#
#   npm ci && bash examples/shop/run.sh          # keeps the gateway running until Ctrl-C
#   bash examples/shop/run.sh --once             # stops once the events have arrived (exit 1 if some did not)
#
# Settings: SHOP_PORT (default 8080) and SHOP_ADMIN_PORT (9090), the gateway's listeners; NATS_URL to
# use a NATS server of yours instead of starting one; SHOP_CLOUD=on for the Pub/Sub and Event Grid
# copies (see gateway.yaml); NATS_SERVER_BIN, where nats-server is when it is not on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/bootstrap-node.sh >/dev/null

once=false
[ "${1:-}" = "--once" ] && once=true
export SHOP_PORT="${SHOP_PORT:-8080}" SHOP_ADMIN_PORT="${SHOP_ADMIN_PORT:-9090}"
config=examples/shop/gateway.yaml
cli() { node bin/ce-gateway.js "$@"; }
# Background processes run node directly (not through cli, a subshell), so $! is the pid to stop.
gateway=(node bin/ce-gateway.js)
say() { printf '\n== %s\n' "$*"; }

[ -f dist/src/cli/main.js ] || { say "building the CLI"; npm run build --silent; }
# The editor's schema for gateway.yaml (its first line names it), from the CLI that runs it.
[ -f examples/shop/gateway.schema.json ] || cli config schema >examples/shop/gateway.schema.json

work="$(mktemp -d "${TMPDIR:-/tmp}/ce-gateway-shop.XXXXXX")"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits until FILE contains TEXT (a process said it is ready), or gives up after 15 s.
wait_for() {
  local file="$1" text="$2" what="$3"
  for _ in $(seq 150); do
    grep -q -- "$text" "$file" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "$what did not start; its log:" >&2
  cat "$file" >&2
  exit 1
}

if [ -z "${NATS_URL:-}" ]; then
  nats_bin="${NATS_SERVER_BIN:-$(command -v nats-server || echo /usr/sbin/nats-server)}"
  [ -x "$nats_bin" ] || { echo "nats-server not found: apt-get install nats-server, or set NATS_SERVER_BIN" >&2; exit 1; }
  nats_port="$(node -e 'const s=require("node:net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  say "nats-server on 127.0.0.1:$nats_port (JetStream store in $work/nats)"
  "$nats_bin" -a 127.0.0.1 -p "$nats_port" -js -sd "$work/nats" >"$work/nats.log" 2>&1 &
  pids+=($!)
  wait_for "$work/nats.log" "Server is ready" nats-server
  export NATS_URL="nats://127.0.0.1:$nats_port"
fi

# A fresh admin key each run; the config holds only its hash.
keys="$(cli auth hash --generate 2>/dev/null)"
admin_key="$(sed -n 's/^key: //p' <<<"$keys")"
export SHOP_ADMIN_TOKEN_SHA256="$(sed -n 's/^sha256: //p' <<<"$keys")"

say "the gateway: http://127.0.0.1:$SHOP_PORT/events, routing to $NATS_URL (audit log: $work/audit.jsonl)"
"${gateway[@]}" serve --config "$config" >"$work/audit.jsonl" 2>"$work/gateway.log" &
pids+=($!)
wait_for "$work/gateway.log" "ce-gateway listening" "the gateway"

# What reaches NATS: 1 + 20 EU orders (the US ones and the invalid one do not go there).
expected=21
say "ce-gateway tail --nats $NATS_URL --subject 'shop.>' (until $expected events)"
"${gateway[@]}" tail --nats "$NATS_URL" --subject 'shop.>' --count "$expected" 2>"$work/tail.log" &
tail_pid=$!
pids+=("$tail_pid")
wait_for "$work/tail.log" "tailing" "ce-gateway tail"

url="http://127.0.0.1:$SHOP_PORT/events"
say "one EU order, binary mode (to NATS and the audit log)"
cli send "$url" --type com.example.order.created --source /shop/eu/berlin \
  --data @examples/shop/orders/eu-order.json
say "20 EU orders, structured mode, 4 at a time"
cli send "$url" --type com.example.order.created --source /shop/eu/paris --mode structured \
  --data @examples/shop/orders/eu-order.json --count 20 --concurrency 4
say "5 US orders in one batch (the audit log only)"
cli send "$url" --type com.example.order.created --source /shop/us/austin --mode batch \
  --data @examples/shop/orders/us-order.json --count 5 --batch-size 5
say "an order without a total: the schema refuses it (422)"
cli send "$url" --type com.example.order.created --source /shop/eu/rome --data '{"orderId": 1003}' || true

# tail exits once it has printed every expected event; give it 10 s.
arrived=true
for _ in $(seq 100); do
  kill -0 "$tail_pid" 2>/dev/null || break
  sleep 0.1
done
if kill -0 "$tail_pid" 2>/dev/null; then arrived=false; fi
say "$(grep -c . "$work/audit.jsonl" || true) events in the audit log; $([ "$arrived" = true ] && echo "all $expected orders reached NATS" || echo "NOT all $expected orders reached NATS")"

if [ "$once" = true ]; then
  [ "$arrived" = true ]
  exit
fi
cat <<EOF

The gateway keeps running (Ctrl-C stops it all):
  send more:   node bin/ce-gateway.js send $url --type com.example.order.created --source /shop/eu/lyon --data @examples/shop/orders/eu-order.json
  watch NATS:  node bin/ce-gateway.js tail --nats $NATS_URL --subject 'shop.>'
  admin:       curl -H 'authorization: Bearer $admin_key' http://127.0.0.1:$SHOP_ADMIN_PORT/status
  console:     open http://127.0.0.1:$SHOP_ADMIN_PORT/console and sign in with the admin key $admin_key
EOF
wait "${pids[0]}"
