/**
 * What the decode stage hands the rest of the pipeline: raw events, or an
 * answer given without routing anything (a webhook sender's ping).
 */
import type { RequestContext } from "../context/request-context.js";
import type { RawEvents } from "../event/raw-event.js";
import type { GatewayReply } from "../respond/reply.js";
import type { PathParams } from "../sources/source-path.js";
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

/** `pathParams`: the `{name}` parts of a source's templated path, as this request filled them in. */
export type RequestDecoder = (
  request: IngressRequest,
  ctx: RequestContext,
  pathParams: PathParams,
) => Promise<Decoded>;
