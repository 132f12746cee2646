/**
 * The NATS target against a real nats-server: core NATS in binary and
 * structured mode, and JetStream.
 */
import { jetstreamManager } from "@nats-io/jetstream";
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import { createNatsAdapter } from "../../adapters/nats/index.js";
import { decodeNatsMessage } from "../../adapters/nats/message.js";
import type { NatsOptions } from "../../adapters/nats/options.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { freePort } from "../support/cli-process.js";
import { startNatsServer } from "../support/nats-server.js";
import { collect, describeAdapterContract, ignoringAddress, type ReceivedEvent } from "./contract.js";

function natsSubject(
  name: string,
  extra: Partial<NatsOptions>,
  streamSetup?: (nc: NatsConnection) => Promise<void>,
) {
  return {
    name,
    async setup() {
      // The gateway's user may publish under contract.> only: anything else is refused by the server.
      const server = await startNatsServer({
        extraConfig: `authorization { users: [
          { user: gateway, password: secret, permissions: { publish: { allow: ["contract.>", "$JS.API.>"] } } },
          { user: tester, password: secret }
        ] }`,
      });
      const subscriber = await connect({
        servers: server.url,
        user: "tester",
        pass: "secret",
        maxReconnectAttempts: -1,
        reconnectTimeWait: 100,
      });
      await streamSetup?.(subscriber);
      const received: ReceivedEvent[] = [];
      const subscription = subscriber.subscribe("contract.>", {
        callback: (error, msg) => {
          if (error) return;
          const headers = msg.headers ? [...msg.headers] : [];
          received.push({ event: decodeNatsMessage(headers, msg.data), address: msg.subject });
        },
      });
      await subscriber.flush();
      const base: NatsOptions = {
        url: server.url,
        subject: "contract.{type}",
        user: "gateway",
        pass: "secret",
        reconnectWaitMs: 100,
        timeoutMs: 3_000,
        ...extra,
      };
      const adapter = createNatsAdapter(base, portableRuntime());
      await expectConnected(adapter);
      return {
        adapter,
        addressFor: (runId: string, test: string) => `contract.${runId}.${test}`,
        received: (prefix: string, count: number) => collect(() => received, prefix, count),
        unreachable: async () =>
          createNatsAdapter({ ...base, url: `nats://127.0.0.1:${await freePort()}` }, portableRuntime()),
        refusing: async () => {
          // JetStream: a stream that is not the one capturing the subject; core: a subject the user may not publish to.
          const refusing = extra.jetstream
            ? createNatsAdapter({ ...base, jetstream: { stream: "NOT_THE_STREAM" } }, portableRuntime())
            : ignoringAddress(createNatsAdapter({ ...base, subject: "denied.subject" }, portableRuntime()));
          await expectConnected(refusing);
          return refusing;
        },
        keepsAttributeTypes: extra.mode === "structured",
        writesBinaryMode: extra.mode !== "structured",
        outage: { stop: () => server.stop(), start: () => server.restart() },
        async teardown() {
          subscription.unsubscribe();
          await subscriber.close();
          await adapter.close();
          await server.dispose();
        },
      };
    },
  };
}

async function expectConnected(adapter: { ready(): Promise<boolean> }) {
  const deadline = Date.now() + 10_000;
  while (!(await adapter.ready())) {
    if (Date.now() > deadline) throw new Error("the adapter did not connect");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describeAdapterContract(natsSubject("nats core, binary mode", { mode: "binary" }));
// Raw values (for subscribers on sdk-go) round-trip too: the binding's decoder keeps a % that starts no escape.
describeAdapterContract(
  natsSubject("nats core, binary mode, raw header values", { mode: "binary", headerEncoding: "raw" }),
);
describeAdapterContract(natsSubject("nats core, structured mode", { mode: "structured" }));
describeAdapterContract(
  natsSubject("nats JetStream", { jetstream: { stream: "CONTRACT" } }, async (nc) => {
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: "CONTRACT", subjects: ["contract.>"] });
  }),
);
