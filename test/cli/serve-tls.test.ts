/**
 * `ce-gateway serve` over TLS (`server.tls`), so producers whose SDKs send
 * bearer tokens only over https reach it without a proxy: the official
 * Event Grid client, with an Entra ID token verified against a JWKS server,
 * publishes to the real process, and the events reach an HTTP receiver.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect as connectTls } from "node:tls";
import { EventGridPublisherClient } from "@azure/eventgrid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";
import { selfSignedCertificate } from "../support/fake-eventgrid.js";
import { type HttpReceiver, startHttpReceiver } from "../support/http-receiver.js";
import {
  type JwksServer,
  type SigningKey,
  signingKey,
  signToken,
  startJwksServer,
} from "../support/jwks-server.js";

const ISSUER = "https://login.microsoftonline.com/tenant-1/v2.0";
const AUDIENCE = "https://eventgrid.azure.net";

let receiver: HttpReceiver;
let jwks: JwksServer;
let key: SigningKey;
let cli: RunningCli;
let agent: Agent;
let tlsCert: string;
let configDir: string;

beforeAll(async () => {
  receiver = await startHttpReceiver();
  key = await signingKey("entra-1", "RS256");
  jwks = await startJwksServer([key]);
  const tls = selfSignedCertificate();
  tlsCert = tls.cert;
  agent = new Agent({ ca: tls.cert });
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-tls-"));
  configDir = dir;
  writeFileSync(join(dir, "cert.pem"), tls.cert);
  writeFileSync(join(dir, "key.pem"), tls.key);
  const config = join(dir, "gateway.yaml");
  writeFileSync(
    config,
    `version: 1
server:
  tls: { certFile: cert.pem, keyFile: key.pem }   # relative to the config's folder
targets:
  hook: { type: http, url: "${receiver.url}/tls", mode: structured }
routes:
  - { name: all, to: [hook] }
ingest:
  sources:
    - path: /api/events
      type: eventgrid-publish
      entra: { issuer: "${ISSUER}", audience: "${AUDIENCE}", jwksUrl: "${jwks.url}" }
`,
  );
  cli = await startCli(["serve", "--config", config, "--port", "0"]);
}, 60_000);

afterAll(async () => {
  await Promise.all([cli?.stop("SIGKILL"), receiver?.close(), jwks?.close()]);
});

describe("ce-gateway serve with server.tls", () => {
  it("listens on https, and says so", () => {
    expect(cli.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it("the Event Grid client sends with an Entra ID token over TLS; the event arrives", async () => {
    const credential = {
      getToken: async () => ({
        token: await signToken(key, { iss: ISSUER, aud: AUDIENCE, sub: "app-1" }),
        expiresOnTimestamp: Date.now() + 3_600_000,
      }),
    };
    const client = new EventGridPublisherClient(`${cli.url}/api/events`, "CloudEvent", credential, {
      agent,
      retryOptions: { maxRetries: 0 },
    });
    const before = receiver.requests.length;
    await client.send([{ type: "com.example.tls", source: "/tls", id: "tls-1", data: { over: "tls" } }]);
    const delivered = receiver.requests
      .slice(before)
      .map((r) => JSON.parse(new TextDecoder().decode(r.body)) as Record<string, unknown>);
    expect(delivered).toEqual([expect.objectContaining({ id: "tls-1", data: { over: "tls" } })]);
  });

  it("plain http to the https port gets no gateway answer", async () => {
    await expect(fetch(`${cli.url.replace("https:", "http:")}/healthz`)).rejects.toThrow();
  });

  it("server.maxConnections counts TLS connections: one past it is answered 503 overloaded", async () => {
    const config = join(configDir, "one-connection.yaml");
    writeFileSync(
      config,
      "version: 1\nserver: { maxConnections: 1, tls: { certFile: cert.pem, keyFile: key.pem } }\n",
    );
    const limited = await startCli(["serve", "--config", config, "--port", "0"]);
    try {
      const { port } = new URL(limited.url);
      /** The status line of a GET /healthz sent on a new TLS connection, which is kept open. */
      const open = () =>
        new Promise<{ status: string; close: () => void }>((resolve, reject) => {
          const socket = connectTls({ host: "127.0.0.1", port: Number(port), ca: tlsCert }, () => {
            socket.write("GET /healthz HTTP/1.1\r\nhost: gateway\r\n\r\n");
          });
          socket.once("data", (chunk) =>
            resolve({ status: chunk.toString().split("\r\n")[0] ?? "", close: () => socket.destroy() }),
          );
          socket.once("error", reject);
        });
      const first = await open();
      const second = await open();
      expect(first.status).toBe("HTTP/1.1 200 OK");
      expect(second.status).toBe("HTTP/1.1 503 Service Unavailable");
      first.close();
      second.close();
    } finally {
      await limited.stop("SIGKILL");
    }
  });
});
