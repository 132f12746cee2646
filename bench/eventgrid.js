/**
 * Publishing to Event Grid: batches of 100 events to a local HTTP server
 * that reads each request and answers 200, beside two baselines in the same
 * run: a hand-written client (build the JSON array, one fetch) and
 * `@azure/eventgrid`'s client used directly. The gateway's target runs with
 * `api: rest` (fetch only) and `api: sdk` (the SDK, for events it sends
 * unchanged). Every case builds fresh events each iteration.
 */
import { createServer } from "node:http";
import { AzureKeyCredential, EventGridPublisherClient } from "@azure/eventgrid";
import { createNodeEventGridAdapter as createEventGridAdapter } from "../dist/adapters/eventgrid/node/target.js";
import { portableRuntime } from "../dist/src/adapter/default-runtime.js";
import { createCloudEvent, EventData } from "../dist/src/event/cloud-event.js";
import { compare } from "./harness.js";

const BATCH = 100;
let sequence = 0;
const encoder = new TextEncoder();
const dataOf = (n) => ({ order: n, total: 12.5, lines: [{ sku: "a-1", qty: 2 }], note: "bench" });

const attributesOf = (n) => ({
  specversion: "1.0",
  id: `e-${n}`,
  source: "/bench",
  type: "com.example.bench",
  time: "2026-11-30T12:00:00.123Z",
  datacontenttype: "application/json",
});

function plainEvents() {
  return Array.from({ length: BATCH }, () => {
    const n = sequence++;
    return { ...attributesOf(n), data: dataOf(n) };
  });
}

function gatewayMessages() {
  return Array.from({ length: BATCH }, () => {
    const n = sequence++;
    return {
      event: createCloudEvent({
        attributes: attributesOf(n),
        data: new EventData(encoder.encode(JSON.stringify(dataOf(n))), "json"),
      }),
    };
  });
}

export async function run() {
  let requests = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      requests++;
      response.writeHead(200).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const endpoint = `http://127.0.0.1:${server.address().port}/api/events`;
  const url = `${endpoint}?api-version=2018-01-01`;
  const sdk = new EventGridPublisherClient(endpoint, "CloudEvent", new AzureKeyCredential("k"), {
    allowInsecureConnection: true,
    retryOptions: { maxRetries: 0 },
  });
  const target = (api) =>
    createEventGridAdapter({ api, endpoint, key: "k", allowInsecure: true }, portableRuntime());
  const rest = target("rest");
  const viaSdk = target("sdk");
  const options = () => ({ signal: new AbortController().signal, deadline: Date.now() + 10_000 });
  const publish = (adapter) => async () => {
    const outcomes = await adapter.publish(gatewayMessages(), options());
    if (outcomes.some((o) => o.status !== "acked")) throw new Error(JSON.stringify(outcomes[0]));
  };
  try {
    await compare(
      `Event Grid: a batch of ${BATCH} events per request (time per batch vs hand-written fetch)`,
      {
        "hand-written fetch": async () => {
          const response = await fetch(url, {
            method: "POST",
            headers: {
              "content-type": "application/cloudevents-batch+json; charset=utf-8",
              "aeg-sas-key": "k",
            },
            body: JSON.stringify(plainEvents()),
          });
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`status ${response.status}`);
        },
        "@azure/eventgrid directly": async () => {
          await sdk.send(
            plainEvents().map(({ specversion, time, ...rest }) => ({ ...rest, time: new Date(time) })),
          );
        },
        "gateway target, api: rest": publish(rest),
        "gateway target, api: sdk": publish(viaSdk),
      },
    );
    console.log(`(${requests} requests served)`);
  } finally {
    await Promise.all([rest.close(), viaSdk.close()]);
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
