/**
 * The Event Grid target against a local Event Grid (HTTPS with a certificate
 * made for the test, or plain HTTP with allowInsecure): topics with an access
 * key, namespaces with SharedAccessKey, and Microsoft Entra ID tokens; the
 * fetch-only path (what Workers run) and the SDK path. Sign-in and publishing
 * details are in eventgrid-auth.test.ts and eventgrid-publish.test.ts.
 */
import type { EventGridOptions } from "../../adapters/eventgrid/index.js";
import { createNodeEventGridAdapter } from "../../adapters/eventgrid/node/target.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { freePort } from "../support/cli-process.js";
import { received } from "../support/eventgrid-fixtures.js";
import {
  type FakeEventGrid,
  type FakeEventGridOptions,
  startFakeEventGrid,
} from "../support/fake-eventgrid.js";
import { collect, describeAdapterContract } from "./contract.js";

function eventGridSubject(
  name: string,
  fakeOptions: FakeEventGridOptions,
  adapterOptions: (fake: FakeEventGrid) => EventGridOptions,
) {
  return {
    name,
    async setup() {
      const fake = await startFakeEventGrid(fakeOptions);
      const runtime = { ...portableRuntime(), fetch: fake.fetch };
      const options = adapterOptions(fake);
      const adapter = createNodeEventGridAdapter(options, runtime);
      return {
        adapter,
        received: (prefix: string, count: number) => collect(() => received(fake), prefix, count),
        unreachable: async () =>
          createNodeEventGridAdapter(
            {
              ...options,
              endpoint: `http://127.0.0.1:${await freePort()}/api/events`,
              allowInsecure: true,
              timeoutMs: 1_000,
            },
            runtime,
          ),
        refusing: async () =>
          createNodeEventGridAdapter(
            { ...options, key: "wrong-key", sasToken: undefined, entra: undefined },
            runtime,
          ),
        keepsAttributeTypes: true,
        async teardown() {
          const viaSdk = fake.requests.filter((r) =>
            /azsdk-js-eventgrid/.test(r.headers["user-agent"] ?? ""),
          );
          await fake.close();
          // The SDK path must have carried the SDK-shaped round trips (topics only; namespaces are REST).
          const sdkExpected = options.api !== "rest" && options.namespaceTopic === undefined;
          if (sdkExpected !== viaSdk.length > 0)
            throw new Error(`${name}: ${viaSdk.length} requests went through @azure/eventgrid`);
        },
      };
    },
  };
}

const sasKey = Buffer.from("a topic access key, 32 bytes long").toString("base64");
const entra = (f: FakeEventGrid) => ({
  tenantId: "t1",
  clientId: "c1",
  clientSecret: "s3cret",
  authorityHost: f.url,
  disableInstanceDiscovery: true,
});

// The fetch-only path (what Workers run).
describeAdapterContract(
  eventGridSubject("Event Grid REST: topic over HTTPS, aeg-sas-key", { tls: true, key: "k1" }, (f) => ({
    api: "rest",
    endpoint: `${f.url}/api/events`,
    key: "k1",
  })),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid REST: namespace over HTTPS, SharedAccessKey",
    { tls: true, key: "k2", namespaceTopic: "orders" },
    (f) => ({ api: "rest", endpoint: f.url, namespaceTopic: "orders", key: "k2" }),
  ),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid REST: topic over plain HTTP, Entra ID by fetch",
    { entraSecret: "s3cret", key: "unused" },
    (f) => ({ api: "rest", endpoint: `${f.url}/api/events`, allowInsecure: true, entra: entra(f) }),
  ),
);

// The Node path: @azure/eventgrid where faithful, @azure/identity for Entra ID.
describeAdapterContract(
  eventGridSubject(
    "Event Grid SDK: topic over plain HTTP (allowInsecureConnection), generated aeg-sas-token",
    { sasKey, key: "unused" },
    (f) => ({ endpoint: `${f.url}/api/events`, allowInsecure: true, sasToken: { key: sasKey } }),
  ),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid SDK: topic over HTTPS, Entra ID by @azure/identity",
    { tls: true, entraSecret: "s3cret", key: "unused" },
    (f) => ({ endpoint: `${f.url}/api/events`, entra: entra(f) }),
  ),
);
describeAdapterContract(
  eventGridSubject(
    "Event Grid SDK: namespace over HTTPS, Entra ID by @azure/identity",
    { tls: true, entraSecret: "s3cret", key: "unused", namespaceTopic: "orders" },
    (f) => ({ endpoint: f.url, namespaceTopic: "orders", entra: entra(f) }),
  ),
);
