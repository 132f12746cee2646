/**
 * A real `ce-gateway serve` with the admin listener and its console, for the
 * console's HTTP and browser tests: route `orders` sends com.example.order.*
 * events to stdout and to an HTTP receiver that refuses (400) until told to
 * accept, with the memory target `dlq` as its dead letter; route `audit`
 * takes sources under /audit by a CESQL filter; a schema registry folder
 * holds two versions of com.example.order.created.
 */
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort, type RunningCli, startCli } from "./cli-process.js";

export const CONSOLE_TOKEN = "console-admin-token-5f1e2d3c4b5a6978";
export const ORDER_TYPE = "com.example.order.created";

const schema = (version: number, extra: Record<string, unknown> = {}) => ({
  $schema: "http://json-schema.org/draft-07/schema#",
  $id: `urn:console-test:${ORDER_TYPE}:${version}`,
  type: "object",
  required: ["orderId"],
  properties: { orderId: { type: "integer" }, ...extra },
  examples: [{ orderId: 7 }],
});

export interface ConsoleGateway {
  readonly cli: RunningCli;
  readonly url: string;
  readonly adminUrl: string;
  /** From now on the receiver takes events (a re-drive then delivers). */
  accept(): void;
  /** Posts one structured event to the gateway; resolves with the status. */
  post(event: { id: string; type?: string; source?: string; data?: unknown }): Promise<number>;
  stop(): Promise<void>;
}

export async function startConsoleGateway(): Promise<ConsoleGateway> {
  let accepting = false;
  const receiver: Server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(accepting ? 200 : 400).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-console-"));
  mkdirSync(join(dir, "schemas", ORDER_TYPE, "examples"), { recursive: true });
  writeFileSync(
    join(dir, "schemas", ORDER_TYPE, "examples", "small-order.json"),
    JSON.stringify({
      event: { specversion: "1.0", id: "ex-1", source: "/shop", type: ORDER_TYPE, data: { orderId: 3 } },
    }),
  );
  writeFileSync(join(dir, "schemas", ORDER_TYPE, "1.json"), JSON.stringify(schema(1)));
  writeFileSync(
    join(dir, "schemas", ORDER_TYPE, "2.json"),
    JSON.stringify(schema(2, { note: { type: "string" } })),
  );
  const adminPort = await freePort();
  const sha256 = createHash("sha256").update(CONSOLE_TOKEN).digest("hex");
  writeFileSync(
    join(dir, "gateway.yaml"),
    `version: 1
admin:
  port: ${adminPort}
  tokens: [{ id: console-test, sha256: "${sha256}" }]
targets:
  out: { type: stdout }
  shop: { type: http, url: "${receiverUrl}/in", timeoutMs: 2000 }
  dlq: { type: memory }
routes:
  - name: orders
    filters: [{ prefix: { type: "com.example.order." } }]
    to: [out, shop]
    deadLetter: dlq
  - name: audit
    filters: [{ sql: "source LIKE '/audit%'" }]
    to: [out]
unmatched: accept
schemas: { dir: schemas, mode: warn }
`,
  );
  const cli = await startCli(["serve", "--config", join(dir, "gateway.yaml"), "--port", "0"]);
  const url = cli.url;
  return {
    cli,
    url,
    adminUrl: `http://127.0.0.1:${adminPort}`,
    accept() {
      accepting = true;
    },
    async post(event) {
      const response = await fetch(`${url}/events`, {
        method: "POST",
        headers: { "content-type": "application/cloudevents+json" },
        body: JSON.stringify({
          specversion: "1.0",
          id: event.id,
          type: event.type ?? ORDER_TYPE,
          source: event.source ?? "/shop",
          datacontenttype: "application/json",
          data: event.data ?? { orderId: 1 },
        }),
      });
      await response.arrayBuffer();
      return response.status;
    },
    async stop() {
      await cli.stop();
      await new Promise((resolve) => receiver.close(resolve));
    },
  };
}
