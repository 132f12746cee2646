/**
 * The target types a Worker can run: adapters and transports that use only
 * fetch, Web APIs and workerd's sockets. Imported statically, so the bundle
 * holds exactly these. Options a Worker cannot run are refused when the
 * config loads (at build time): gRPC, the Azure SDKs, files.
 */
import { eventGridTargetWith } from "../../../adapters/eventgrid/index.js";
import { httpTarget } from "../../../adapters/http/index.js";
import { memoryTarget } from "../../../adapters/memory/index.js";
import type { NatsOptions } from "../../../adapters/nats/options.js";
import { workersRefusal } from "../../../adapters/nats/workers/refusal.js";
import { pubsubTargetWith } from "../../../adapters/pubsub/index.js";
import { stdoutTarget } from "../../../adapters/stdout/index.js";
import type { AdapterFactory } from "../../adapter/adapter.js";
import type { OptionRefusal, TargetCatalog, TargetType } from "../../adapter/catalog.js";
import { type NatsConnectionNamespace, natsTargetViaDurableObject } from "./nats-via-durable-object.js";

type Refuse = NonNullable<TargetType["refuse"]>;

const loaded = (factory: AdapterFactory<never>, refuse?: Refuse): TargetType => ({
  descriptor: factory,
  load: () => Promise.resolve(factory),
  ...(refuse && { refuse }),
});

/** `api` must be `rest`, said explicitly: the Node default (gRPC or the SDK) does not run here. */
const restOnly =
  (what: string): Refuse =>
  (options) =>
    options.api === "rest"
      ? []
      : [{ path: ["api"], message: `a Worker runs ${what} over REST only: set api: rest` }];

const pubsubRefusals: Refuse = (options) => {
  const refusals: OptionRefusal[] = [...restOnly("Pub/Sub")(options)];
  const credentials = options.credentials as { keyFile?: unknown } | undefined;
  if (credentials?.keyFile !== undefined)
    refusals.push({
      path: ["credentials", "keyFile"],
      message: "a Worker has no files: give the key as credentials.keyJson from a secret (${env:NAME})",
    });
  return refusals;
};

const natsRefusals: Refuse = (options) => {
  const reason = workersRefusal(options as unknown as NatsOptions);
  return reason === undefined ? [] : [{ path: [], message: reason }];
};

/**
 * The catalog, given the Worker's NATS Durable Object binding (absent at
 * build time, or in a Worker that binds none: then a NATS target fails to
 * open, saying so).
 */
export function workersTargets(nats?: NatsConnectionNamespace): TargetCatalog {
  const natsFactory = natsTargetViaDurableObject(nats);
  return {
    stdout: loaded(stdoutTarget),
    memory: loaded(memoryTarget),
    http: loaded(httpTarget),
    pubsub: loaded(pubsubTargetWith(), pubsubRefusals),
    eventgrid: loaded(eventGridTargetWith(), restOnly("Event Grid")),
    nats: loaded(natsFactory, natsRefusals),
  };
}
