/**
 * Real pushes: Google's Pub/Sub emulator pushes messages through push
 * subscriptions (wrapped, and unwrapped with `noWrapper.writeMetadata`) into
 * `ce-gateway serve` and into the Worker wrangler builds (in workerd), each
 * delivering what it made to an HTTP receiver. Every topic has one push
 * subscription per runtime, so each message published reaches both.
 *
 * The emulator sends no OIDC token (it accepts `pushConfig.oidcToken` but
 * signs nothing), so its pushes pass through a small proxy standing in for
 * Google's push service: it adds the token Google would sign for the
 * subscription's service account, signed here by a local RSA key whose JWKS
 * the gateway is configured with. One subscription pushes to an
 * `allowUnauthenticated` path directly, with no proxy at all.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
} from "../support/jwks-server.js";
import {
  type PubsubEmulator,
  pubsubEmulatorMissing,
  startPubsubEmulator,
} from "../support/pubsub-emulator.js";
import { runBuiltWorker, wranglerBuild } from "../support/wrangler-build.js";

const PROJECT = "emulated-shop";
const SA = "pusher@emulated-shop.iam.gserviceaccount.com";
const AUDIENCE = "https://gateway.example.com/push";

const CONFIG = `version: 1
targets:
  hook: { type: http, url: "\${env:HOOK_URL}/pushed", mode: structured }
routes:
  - name: all
    to: [hook]
ingest:
  sources:
    - path: /push/wrapped
      type: pubsub-push
      topic: projects/${PROJECT}/topics/wrapped
      oidc: { audience: "${AUDIENCE}", serviceAccount: "${SA}", jwksUrl: "\${env:JWKS_URL}" }
    - path: /push/unwrapped
      type: pubsub-push
      topic: projects/${PROJECT}/topics/unwrapped
      oidc: { audience: "${AUDIENCE}", serviceAccount: "${SA}", jwksUrl: "\${env:JWKS_URL}" }
    - path: /push/open
      type: pubsub-push
      topic: projects/${PROJECT}/topics/open
      allowUnauthenticated: true
`;

const RUNTIMES = ["node", "workers"] as const;
type Runtime = (typeof RUNTIMES)[number];

let emulator: PubsubEmulator;
let gateway: RunningCli;
let worker: Miniflare;
const gatewayUrl = {} as Record<Runtime, string>;
let receiver: HttpReceiver;
let jwks: JwksServer;
let google: SigningKey;
let proxy: Server;
let proxyUrl: string;

/**
 * Forwards a push to `/<runtime>/<path>` to that runtime's gateway, with the
 * OIDC token Google's push service would add.
 */
async function startTokenProxy(): Promise<Server> {
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = new Headers();
    for (const [name, value] of Object.entries(request.headers))
      if (value !== undefined && !["host", "connection", "content-length"].includes(name))
        headers.set(name, String(value));
    const token = await signToken(google, {
      iss: "https://accounts.google.com",
      aud: AUDIENCE,
      sub: "108833462915410712345",
      email: SA,
      email_verified: true,
    });
    headers.set("authorization", `Bearer ${token}`);
    const [, runtime, ...rest] = (request.url ?? "").split("/");
    const answer = await fetch(`${gatewayUrl[runtime as Runtime]}/${rest.join("/")}`, {
      method: "POST",
      headers,
      body: Buffer.concat(chunks),
    });
    response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "text/plain" });
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return server;
}

async function rest(path: string, method: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${emulator.restUrl}/v1/projects/${PROJECT}/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator ${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** The topic, and one push subscription to it per runtime, at `endpoint(runtime)`. */
async function pushSubscriptions(
  topic: string,
  endpoint: (runtime: Runtime) => string,
  pushConfig: Record<string, unknown> = {},
  ordering = false,
) {
  await rest(`topics/${topic}`, "PUT");
  for (const runtime of RUNTIMES)
    await rest(`subscriptions/${topic}-push-${runtime}`, "PUT", {
      topic: `projects/${PROJECT}/topics/${topic}`,
      pushConfig: { pushEndpoint: endpoint(runtime), ...pushConfig },
      enableMessageOrdering: ordering,
    });
}

async function publish(
  topic: string,
  message: { data?: string; attributes?: Record<string, string>; orderingKey?: string },
) {
  const payload = {
    ...message,
    ...(message.data === undefined ? {} : { data: Buffer.from(message.data).toString("base64") }),
  };
  const { messageIds } = (await rest(`topics/${topic}:publish`, "POST", { messages: [payload] })) as {
    messageIds: string[];
  };
  return messageIds[0] as string;
}

/** The event each runtime delivered whose `key` is `value`, waiting for the pushes to arrive. */
async function deliveredByEach(
  key: string,
  value: string,
): Promise<Record<Runtime, Record<string, unknown>>> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = RUNTIMES.map((runtime) =>
      receiver.requests
        .filter((r) => r.path === `/${runtime}/pushed`)
        .map((r) => JSON.parse(new TextDecoder().decode(r.body)) as Record<string, unknown>)
        .find((event) => event[key] === value),
    );
    const [node, workers] = found;
    if (node !== undefined && workers !== undefined) return { node, workers };
    if (Date.now() > deadline)
      throw new Error(
        `no event with ${key} ${value} from ${RUNTIMES.filter((_, i) => found[i] === undefined).join(", ")}; node log: ${gateway.stderr().slice(-2000)}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

if (pubsubEmulatorMissing !== undefined)
  console.warn(`skipping the Pub/Sub push tests: ${pubsubEmulatorMissing}`);

const suiteName = `pubsub-push: pushes from Google's emulator${pubsubEmulatorMissing === undefined ? "" : ` (skipped: ${pubsubEmulatorMissing})`}`;

describe.skipIf(pubsubEmulatorMissing !== undefined)(suiteName, () => {
  beforeAll(async () => {
    google = await signingKey("google-1", "RS256");
    [emulator, receiver, jwks] = await Promise.all([
      startPubsubEmulator(),
      startHttpReceiver(),
      startJwksServer([google]),
    ]);
    const dir = mkdtempSync(join(tmpdir(), "ce-gateway-push-"));
    const configPath = join(dir, "gateway.yaml");
    writeFileSync(configPath, CONFIG);
    const settings = (runtime: Runtime) => ({ HOOK_URL: `${receiver.url}/${runtime}`, JWKS_URL: jwks.url });
    const [served, build] = await Promise.all([
      startCli(["serve", "--config", configPath, "--port", "0"], settings("node")),
      wranglerBuild({ gatewayConfig: configPath }),
    ]);
    gateway = served;
    worker = await runBuiltWorker(build.outdir, { bindings: settings("workers") });
    gatewayUrl.node = gateway.url;
    gatewayUrl.workers = (await worker.ready).origin;
    proxy = await startTokenProxy();
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    const oidcToken = { serviceAccountEmail: SA, audience: AUDIENCE };
    await pushSubscriptions(
      "wrapped",
      (runtime) => `${proxyUrl}/${runtime}/push/wrapped`,
      { oidcToken },
      true,
    );
    await pushSubscriptions("unwrapped", (runtime) => `${proxyUrl}/${runtime}/push/unwrapped`, {
      oidcToken,
      noWrapper: { writeMetadata: true },
    });
    await pushSubscriptions("open", (runtime) => `${gatewayUrl[runtime]}/push/open`);
  }, 180_000);

  afterAll(async () => {
    await Promise.all([
      emulator?.stop(),
      gateway?.stop(),
      worker?.dispose(),
      receiver?.close(),
      jwks?.close(),
      new Promise((resolve) => (proxy ? proxy.close(resolve) : resolve(undefined))),
    ]);
  });

  it("wrapped: a plain message becomes messagePublished, its attributes in the data", async () => {
    const id = await publish("wrapped", {
      data: '{"orderId": 1001}',
      attributes: { region: "eu" },
      orderingKey: "customer-7",
    });
    for (const [runtime, event] of Object.entries(await deliveredByEach("id", id))) {
      expect(event, runtime).toMatchObject({
        type: "google.cloud.pubsub.topic.v1.messagePublished",
        source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/wrapped`,
        datacontenttype: "application/json",
      });
      expect(event.data, runtime).toMatchObject({
        message: {
          data: Buffer.from('{"orderId": 1001}').toString("base64"),
          attributes: { region: "eu" },
          messageId: id,
          publishTime: event.time,
        },
        subscription: `projects/${PROJECT}/subscriptions/wrapped-push-${runtime}`,
      });
      // The emulator leaves orderingKey out of a wrapped push even with ordering on (Google's push
      // service sends it); the envelope tests in pubsub-push-source.test.ts cover it being kept.
      expect((event.data as { message: object }).message).not.toHaveProperty("orderingKey");
    }
  });

  it("wrapped: a message with ce-* attributes becomes that CloudEvent", async () => {
    await publish("wrapped", {
      data: '{"total": 12.50}',
      attributes: {
        "ce-specversion": "1.0",
        "ce-id": "order-2002",
        "ce-type": "com.example.order.created",
        "ce-source": "/shop",
        "content-type": "application/json",
      },
    });
    for (const [runtime, event] of Object.entries(await deliveredByEach("id", "order-2002")))
      expect(event, runtime).toMatchObject({
        type: "com.example.order.created",
        source: "/shop",
        data: { total: 12.5 },
      });
  });

  it("unwrapped: the body is the data, the metadata comes from x-goog-pubsub-* headers", async () => {
    const id = await publish("unwrapped", {
      data: '{"status": "Hello there"}',
      attributes: { region: "eu" },
      orderingKey: "customer-7",
    });
    for (const [runtime, event] of Object.entries(await deliveredByEach("id", id))) {
      expect(event, runtime).toMatchObject({
        type: "google.cloud.pubsub.topic.v1.messagePublished",
        source: `//pubsub.googleapis.com/projects/${PROJECT}/topics/unwrapped`,
      });
      // Unwrapped, attributes arrive as headers among the request's own, so they are not in the data.
      expect(event.data, runtime).toEqual({
        message: {
          data: Buffer.from('{"status": "Hello there"}').toString("base64"),
          messageId: id,
          publishTime: event.time,
          orderingKey: "customer-7",
        },
        subscription: `projects/${PROJECT}/subscriptions/unwrapped-push-${runtime}`,
      });
    }
  });

  it("unwrapped: ce-* attributes, written as headers, make that CloudEvent", async () => {
    await publish("unwrapped", {
      data: '{"total": 7}',
      attributes: {
        "ce-specversion": "1.0",
        "ce-id": "order-3003",
        "ce-type": "com.example.order.paid",
        "ce-source": "/shop",
        "ce-tenant": "acme",
        "content-type": "application/json",
      },
    });
    for (const [runtime, event] of Object.entries(await deliveredByEach("id", "order-3003")))
      expect(event, runtime).toMatchObject({
        type: "com.example.order.paid",
        tenant: "acme",
        data: { total: 7 },
      });
  });

  it("a path with allowUnauthenticated takes the emulator's push as it comes", async () => {
    const id = await publish("open", { data: "plain text" });
    for (const [runtime, event] of Object.entries(await deliveredByEach("id", id)))
      expect(event.source, runtime).toBe(`//pubsub.googleapis.com/projects/${PROJECT}/topics/open`);
  });
});
