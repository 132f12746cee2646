/**
 * The event of a signed webhook: the body is one JSON object (checked only
 * after the signature), which becomes one event whose data is the object byte
 * for byte. Attributes come from what the source read from the request
 * (`base`) and the `event:` mapping; without an id from either, the id is the
 * deterministic hash of the body.
 */
import { GatewayError } from "../errors/errors.js";
import { ExpressionBudget } from "../expression/expression-budget.js";
import type { EventMapping } from "./event-mapping.js";
import { mapEvent, refuseUnmappable, runMappings } from "./map-event.js";
import { parseJsonBody } from "./parse-json-body.js";
import type { SourceOutcome, SourceRequest } from "./source.js";
import { headerObject } from "./source-input.js";

const SINGLE = { index: 0, pointerPrefix: "" } as const;

export async function decodeJsonObjectEvent(
  request: SourceRequest,
  mapping: EventMapping,
  base: Readonly<Record<string, string>> = {},
): Promise<SourceOutcome> {
  // One object is expected: a list of any length is a 400 not-an-object, never a 413 for too many events.
  const body = parseJsonBody(request.body, Number.POSITIVE_INFINITY, request.jsonLimits);
  const item = body.list ? undefined : body.items[0];
  if (item?.kind !== "object") {
    const kind = item === undefined ? "an array" : `a ${item.kind}`;
    throw new GatewayError("unmappable-request", "The body must be one JSON object", {
      failures: [
        { ...SINGLE, pointer: "", code: "not-an-object", detail: `The body is ${kind}, not a JSON object` },
      ],
    });
  }
  const { value, bytes } = item;
  const budget = new ExpressionBudget();
  const event = await runMappings(budget, () =>
    mapEvent({
      mapping,
      input: { body: value, headers: headerObject(request.headers), query: request.query },
      budget,
      at: SINGLE,
      data: bytes,
      base,
      idFallback: { path: request.path, bytes, index: undefined },
    }),
  );
  refuseUnmappable(event.failures);
  return { kind: "events", batch: false, events: [event] };
}
