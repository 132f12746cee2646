/**
 * A source: a decoder for what a system that does not speak CloudEvents
 * sends (a GitHub webhook, a signed webhook, plain JSON). It takes the raw
 * request, checks who sent it, and turns it into raw events that the rest of
 * the pipeline (normalize, validate, route, deliver) handles exactly like a
 * native CloudEvent. Every source runs on Node and Workers alike: WebCrypto
 * for crypto, JSONata for mappings.
 */
import type { JsonSchema } from "../adapter/adapter.js";
import type { HeaderReader } from "../bindings/http/header-reader.js";
import type { JsonLimits } from "../codec/json-limits.js";
import type { RawEvent } from "../event/raw-event.js";
import type { CorsConfig } from "../http/cors/cors-config.js";
import type { AcceptedBody } from "../respond/accepted-response.js";
import type { PathParams } from "./source-path.js";

/** One request to a source's path, its body read within the source's limit. */
export interface SourceRequest {
  /** The source's configured path (`/hooks/github`), or its template (`/v1/projects/{project}/topics/{topic}:publish`). */
  readonly path: string;
  /** The values of the template's `{name}` parts in this request's path; empty for a literal path. */
  readonly pathParams: PathParams;
  readonly headers: HeaderReader;
  /** Query parameters; a name given more than once keeps every value. */
  readonly query: Readonly<Record<string, string | readonly string[]>>;
  /** The body exactly as received: signatures are checked over these bytes. */
  readonly body: Uint8Array;
  /** A list with more events is refused with 413 (server.maxBatchEvents). */
  readonly maxEvents: number;
  /** A JSON body nested deeper or with longer strings is refused with 400 before it is parsed. */
  readonly jsonLimits: JsonLimits;
  /** When the request arrived (ms since the epoch), for signed timestamps' tolerance. */
  readonly receivedAt: number;
}

export type SourceOutcome =
  /** Events to send down the pipeline; `batch` when the request carried a list of them. */
  | { readonly kind: "events"; readonly batch: boolean; readonly events: readonly RawEvent[] }
  /** Answered without routing anything (GitHub's `ping`). */
  | { readonly kind: "reply"; readonly status: number; readonly body: Readonly<Record<string, unknown>> };

/**
 * The success answer of a source that stands in for an API whose clients
 * expect that API's answer (Event Grid's empty 200, Pub/Sub's message ids),
 * not the gateway's 202. Only the answer once every event was delivered (or
 * accepted into the outbox) is the source's: refusals and delivery failures
 * stay application/problem+json.
 */
export interface SourceAcceptedReply {
  readonly status: number;
  /** The body as sent; "" for none (then no content-type either). */
  readonly body: string;
  readonly contentType?: string;
}

export interface Source {
  readonly type: string;
  readonly path: string;
  /** The body limit for this source's requests; absent: server.maxBodyBytes. */
  readonly maxBodyBytes: number | undefined;
  /**
   * Whether the source proves the sender itself (a signature checked with
   * configured secrets): then that is the request's authentication, and
   * `auth` credentials are not asked for on its path.
   */
  readonly verifiesSender: boolean;
  /**
   * Whether OPTIONS on its path answers the CloudEvents webhook handshake, as
   * on /events: a sender that validates an endpoint that way (Event Grid with
   * the CloudEvents schema) can then deliver to the source's path.
   */
  readonly answersWebhookHandshake?: boolean;
  /**
   * Decodes one request. Throws a GatewayError: 401 (`source-unauthenticated`)
   * when the sender is not proven, 400 naming the field when the request
   * cannot become a valid event.
   */
  decode(request: SourceRequest): Promise<SourceOutcome>;
  /** Shapes the success answer from the gateway's (events in request order); absent: the gateway's 202. */
  acceptedReply?(accepted: AcceptedBody): SourceAcceptedReply;
}

/** The options every source takes, whatever its type. */
export interface SourceConfig {
  readonly path: string;
  readonly type: string;
  readonly maxBodyBytes?: number;
  /** CORS on this path in place of the top-level `cors`; false: none. */
  readonly cors?: CorsConfig | false;
  /** async: 202 once in the outbox; default async when delivery.outbox is set, else sync. */
  readonly ack?: "sync" | "async";
  readonly [option: string]: unknown;
}

/** A problem with a source's options found while compiling it, at a path under the source. */
export class SourceOptionError extends Error {
  constructor(
    readonly path: readonly (string | number)[],
    message: string,
    /** What caused it (an ExpressionError carries the position in the expression). */
    readonly detail?: { readonly line?: number; readonly column?: number },
  ) {
    super(message);
    this.name = "SourceOptionError";
  }
}

export interface SourceType {
  readonly type: string;
  /** One line for `config schema` and the README. */
  readonly description: string;
  /** JSON Schema of the options besides `path`, `type` and `maxBodyBytes`. */
  readonly optionsSchema: JsonSchema;
  /**
   * Compiles a source (expressions, keys) from options that passed the schema.
   * Throws SourceOptionError, or an AggregateError of them, for what the schema
   * cannot check (an expression that does not compile).
   */
  create(config: SourceConfig): Source;
}

export type SourceCatalog = Readonly<Record<string, SourceType>>;

export function sourceTypeOf(catalog: SourceCatalog, type: string): SourceType | undefined {
  return Object.hasOwn(catalog, type) ? catalog[type] : undefined;
}
