/**
 * What the decode stage hands the rest of the pipeline: raw events, or an
 * answer given without routing anything (a webhook sender's ping).
 */
import type { RequestContext } from "../context/request-context.js";
import type { RawEvents } from "../event/raw-event.js";
import type { GatewayReply } from "../respond/reply.js";
import type { IngressRequest } from "./ingress-request.js";

export type Decoded =
  | {
      readonly kind: "events";
      /** How the events came (`binary`, `structured`, `batch`, `source:github`), for the logs. */
      readonly label: string;
      /** Whether the request carried a list of events (failures are then reported per index). */
      readonly batch: boolean;
      readonly events: RawEvents;
    }
  | { readonly kind: "reply"; readonly reply: GatewayReply };

export type RequestDecoder = (request: IngressRequest, ctx: RequestContext) => Promise<Decoded>;
