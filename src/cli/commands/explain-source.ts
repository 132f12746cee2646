/**
 * `routes explain --source PATH --body FILE [--header K:V ...] [--query Q]`:
 * a raw request to a configured source, as the gateway would receive it,
 * turned into the CloudEvents it becomes (signature checked, mapping
 * evaluated), each explained against the routes.
 */
import { readFileSync } from "node:fs";
import type { GatewayConfig } from "../../config/gateway-config.js";
import {
  DEFAULT_DELIVERY_TIMEOUT_MS,
  DEFAULT_MAX_BATCH_EVENTS,
  DEFAULT_MAX_BODY_BYTES,
} from "../../config/gateway-config.js";
import { jsonLimitsOf } from "../../config/json-limits-config.js";
import { createRequestContext, systemClock } from "../../context/request-context.js";
import { sourceDecoder } from "../../decode/decode-source.js";
import type { IngressRequest } from "../../decode/ingress-request.js";
import { isGatewayError, payloadTooLarge } from "../../errors/errors.js";
import { toProblemBody } from "../../errors/problem-response.js";
import type { CloudEvent } from "../../event/cloud-event.js";
import { toJsonFormat } from "../../event/json-format.js";
import { normalizeEvents } from "../../normalize/normalize-event.js";
import { explainRouting, formatExplanation, type RoutingExplanation } from "../../route/explain.js";
import type { RoutingTable } from "../../route/routing-table.js";
import { builtInSources } from "../../sources/catalog.js";
import { compileSources, sourceLookup } from "../../sources/compile-sources.js";
import { CliExit } from "../config-file.js";

export interface SourceRequestArgs {
  readonly path: string;
  readonly bodyFile: string;
  readonly headers: readonly string[];
  readonly query: string | undefined;
}

/** `Name: value` (or `Name:value`) to a header pair; exits 2 on anything else. */
function headerPair(text: string): [string, string] {
  const colon = text.indexOf(":");
  if (colon <= 0) throw new CliExit(2, `--header takes NAME:VALUE, not ${JSON.stringify(text)}`);
  return [text.slice(0, colon).trim(), text.slice(colon + 1).trim()];
}

type SourceExplanation =
  | { readonly source: string; readonly reply: { readonly status: number; readonly body: unknown } }
  | {
      readonly source: string;
      readonly events: readonly { readonly event: unknown; readonly routing: RoutingExplanation }[];
    };

export async function explainSourceRequest(
  config: GatewayConfig,
  routing: RoutingTable,
  args: SourceRequestArgs,
  json: boolean,
): Promise<string> {
  const sources = compileSources(config.ingest?.sources, builtInSources);
  const found = sourceLookup(sources)(args.path);
  const source = found === undefined ? undefined : sources.get(found.template);
  if (found === undefined || source === undefined) {
    const known = [...sources.keys()];
    throw new CliExit(
      1,
      `no source has the path ${args.path} (configured: ${known.length > 0 ? known.join(", ") : "none"})`,
    );
  }
  let body: Uint8Array;
  try {
    body = new Uint8Array(readFileSync(args.bodyFile));
  } catch (error) {
    throw new CliExit(1, `cannot read ${args.bodyFile}: ${(error as Error).message}`);
  }
  const request: IngressRequest = {
    headers: new Headers(args.headers.map(headerPair)),
    readBody: async (max) => {
      if (body.byteLength > max) throw payloadTooLarge(max);
      return body;
    },
    signal: undefined,
    url: `http://gateway${args.path}${args.query === undefined ? "" : `?${args.query.replace(/^\?/, "")}`}`,
  };
  const decode = sourceDecoder(source, {
    maxBodyBytes: config.server?.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
    maxBatchEvents: config.server?.maxBatchEvents ?? DEFAULT_MAX_BATCH_EVENTS,
    jsonLimits: jsonLimitsOf(config),
  });
  const ctx = createRequestContext(request, {
    clock: systemClock,
    timeoutMs: DEFAULT_DELIVERY_TIMEOUT_MS,
    newId: () => "explain",
  });

  let explanation: SourceExplanation;
  try {
    const decoded = await decode(request, ctx, found.params);
    if (decoded.kind === "reply") {
      explanation = {
        source: source.type,
        reply: { status: decoded.reply.status, body: JSON.parse(decoded.reply.body) },
      };
    } else {
      const events: CloudEvent[] = normalizeEvents(decoded.events);
      explanation = {
        source: source.type,
        events: await Promise.all(
          events.map(async (event) => ({
            event: JSON.parse(new TextDecoder().decode(toJsonFormat(event))),
            routing: await explainRouting(event, routing),
          })),
        ),
      };
    }
  } catch (error) {
    if (!isGatewayError(error)) throw error;
    // The operator's own terminal: the reason a signature failed is shown, unlike in the 401.
    const problem = {
      ...toProblemBody(error),
      ...(error.logDetail === undefined ? {} : { reason: error.logDetail }),
    };
    throw new CliExit(1, JSON.stringify(problem, null, 2));
  }
  if (json) return JSON.stringify(explanation, null, 2);
  if ("reply" in explanation) {
    return `${args.path} (${explanation.source}) answers ${explanation.reply.status} without routing anything: ${JSON.stringify(explanation.reply.body)}`;
  }
  const blocks = explanation.events.map(
    ({ event, routing: explained }, i) =>
      `${explanation.events.length > 1 ? `[${i}] ` : ""}CloudEvent:\n${JSON.stringify(event, null, 2)}\n${formatExplanation(explained)}`,
  );
  return [`${args.path} (${explanation.source}) makes ${explanation.events.length} event(s)`, ...blocks].join(
    "\n\n",
  );
}
