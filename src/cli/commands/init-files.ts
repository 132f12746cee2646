/**
 * The files `ce-gateway init` writes: a project the user owns and edits, so
 * every file explains itself in comments.
 */

const EXAMPLE_TYPE = "com.example.order.placed";

const GATEWAY_YAML = `# yaml-language-server: $schema=./gateway.schema.json
# (the editor's completion and checks; regenerate it with \`npx ce-gateway config schema > gateway.schema.json\`)
#
# The gateway's config: which targets exist and which events go where.
# Check it with \`npx ce-gateway config check gateway.yaml\`; every key is in the package's docs/config.md.
# Strings may use \${env:NAME}, \${env:NAME:-default} and \${file:PATH} (a secret mounted as a file).
version: 1

server:
  port: 8080                 # PORT overrides it
  host: 127.0.0.1            # HOST overrides it; 0.0.0.0 to listen on every interface

targets:
  # Every accepted event, printed as one JSON line. Swap in nats, pubsub, eventgrid or http:
  console: { type: stdout }
  # orders: { type: nats, url: "\${env:NATS_URL:-nats://127.0.0.1:4222}", subject: "orders.{type}" }
  # hook:   { type: http, url: "\${env:HOOK_URL}" }

routes:
  # An event goes to the targets of every route whose filters all match it.
  - name: orders
    filters:
      - prefix: { type: "com.example.order." }
    to: [console]

# reject (422 no-route, the default) | accept (202, delivered nowhere)
unmatched: reject

# The data contracts: schemas/<event type>/<version>.json, with examples beside them.
schemas:
  dir: ./schemas
  mode: enforce              # enforce (violations get 422) | warn | off
  compatibility: BACKWARD    # what a new version must keep; checked by \`ce-gateway schemas check\`
`;

const ORDER_SCHEMA = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: `urn:ce-gateway:schema:${EXAMPLE_TYPE}:1`,
  title: "An order was placed",
  type: "object",
  required: ["orderId", "total", "currency"],
  properties: {
    orderId: { type: "integer", minimum: 1 },
    total: { type: "number", minimum: 0 },
    currency: { type: "string", pattern: "^[A-Z]{3}$" },
  },
};

const example = (id: string, data: unknown, expect: unknown) => ({
  event: { specversion: "1.0", id, source: "/shop/web", type: EXAMPLE_TYPE, data },
  expect,
});

const WRANGLER_TOML = (
  name: string,
) => `# Deploys the gateway to Cloudflare Workers: \`npx wrangler deploy\` (\`npx wrangler dev\` runs it locally).
# The build step checks gateway.yaml for Workers and compiles the schemas into .ce-gateway/worker.js.
# Each \${env:NAME} the config names is a var ([vars]) or a secret (\`npx wrangler secret put NAME\`).
name = "${name}"
main = ".ce-gateway/worker.js"
compatibility_date = "2025-09-01"

[build]
command = "npx ce-gateway build --target workers --config gateway.yaml --out .ce-gateway"
watch_dir = ["schemas"]

# The NATS target's connection lives in a Durable Object (a Worker request cannot reuse another's socket).
[[durable_objects.bindings]]
name = "NATS"
class_name = "NatsConnectionObject"

[[migrations]]
tag = "v1"
new_sqlite_classes = ["NatsConnectionObject"]

# With rate limits (RateLimitObject) or a durable-object dedup store (DedupObject), bind those too:
# [[durable_objects.bindings]]
# name = "RATE_LIMITS"
# class_name = "RateLimitObject"
# [[migrations]]
# tag = "v2"
# new_sqlite_classes = ["RateLimitObject"]
`;

const README = (name: string) => `# ${name}

A CloudEvents gateway project: \`gateway.yaml\` says where events go, \`schemas/\` holds the data
contract of \`${EXAMPLE_TYPE}\` and the examples that test it, \`wrangler.toml\` deploys it to
Cloudflare Workers. It needs the \`ce-gateway\` package (\`npm install ce-gateway\`).

The next three commands:

\`\`\`sh
npx ce-gateway test --config gateway.yaml      # runs the examples in schemas/*/examples against the config
npx ce-gateway serve --config gateway.yaml     # listens on http://127.0.0.1:8080
npx ce-gateway send http://127.0.0.1:8080/events --type ${EXAMPLE_TYPE} --source /shop/web \\
  --data '{"orderId": 1, "total": 9.5, "currency": "EUR"}'   # in another terminal: answers 202
\`\`\`

Then \`npx wrangler deploy\` (after \`npm install -D wrangler\`) puts it on Workers.
`;

export interface ProjectFile {
  readonly path: string;
  readonly text: string;
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** The project's files, relative to its folder; `name` is the Worker's name. */
export function projectFiles(name: string, configSchema: unknown): ProjectFile[] {
  const examples = `schemas/${EXAMPLE_TYPE}/examples`;
  return [
    { path: "gateway.yaml", text: GATEWAY_YAML },
    { path: "gateway.schema.json", text: json(configSchema) },
    { path: `schemas/${EXAMPLE_TYPE}/1.json`, text: json(ORDER_SCHEMA) },
    {
      path: `${examples}/order.json`,
      text: json(
        example(
          "order-1",
          { orderId: 1, total: 9.5, currency: "EUR" },
          { valid: true, targets: ["console"] },
        ),
      ),
    },
    {
      path: `${examples}/missing-currency.json`,
      text: json(example("order-2", { orderId: 2, total: 9.5 }, { valid: false })),
    },
    { path: "wrangler.toml", text: WRANGLER_TOML(name) },
    { path: "README.md", text: README(name) },
    { path: ".gitignore", text: "node_modules/\n.ce-gateway/\n.wrangler/\n" },
  ];
}
