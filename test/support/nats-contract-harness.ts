/**
 * The NATS target's contract harness against a real nats-server: a user who
 * may publish under contract.> only, a subscriber that decodes what arrives,
 * refusals (a stream that does not capture the subject, a denied subject) and
 * an outage. The adapters under test come from `adapters`: made in process
 * on Node, or inside workerd.
 */
import type { NatsConnection } from "@nats-io/nats-core";
import { connect } from "@nats-io/transport-node";
import type { NatsOptions } from "../../adapters/nats/options.js";
import type { Adapter } from "../../src/adapter/adapter.js";
import { decodeNatsMessage } from "../../src/bindings/nats/decode.js";
import { type ContractSubject, collect, ignoringAddress, type ReceivedEvent } from "../adapters/contract.js";
import { freePort } from "./cli-process.js";
import { startNatsServer } from "./nats-server.js";

/** Makes the adapters under test; disposed after the suite. */
export interface NatsAdapterMaker {
  make(options: NatsOptions): Promise<Adapter>;
  dispose(): Promise<void>;
}

export function natsContractSubject(
  name: string,
  extra: Partial<NatsOptions>,
  adapters: () => Promise<NatsAdapterMaker>,
  streamSetup?: (nc: NatsConnection) => Promise<void>,
): ContractSubject {
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
      const maker = await adapters();
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
      const adapter = await maker.make(base);
      await expectConnected(adapter);
      return {
        adapter,
        addressFor: (runId: string, test: string) => `contract.${runId}.${test}`,
        received: (prefix: string, count: number) => collect(() => received, prefix, count),
        unreachable: async () => maker.make({ ...base, url: `nats://127.0.0.1:${await freePort()}` }),
        refusing: async () => {
          // JetStream: a stream that is not the one capturing the subject; core: a subject the user may not publish to.
          const refusing = extra.jetstream
            ? await maker.make({ ...base, jetstream: { stream: "NOT_THE_STREAM" } })
            : ignoringAddress(await maker.make({ ...base, subject: "denied.subject" }));
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
          await maker.dispose();
          await server.dispose();
        },
      };
    },
  };
}

export async function expectConnected(adapter: { ready(): Promise<boolean> }): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await adapter.ready())) {
    if (Date.now() > deadline) throw new Error("the adapter did not connect");
    await new Promise((r) => setTimeout(r, 20));
  }
}
