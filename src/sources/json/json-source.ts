/**
 * `type: json`: plain JSON from a system that knows nothing of CloudEvents.
 * One object is one event; a list is one event per element. Attributes come
 * from the `event:` mapping; `data` is the object (or element) byte for byte.
 */
import type { FieldFailure } from "../../errors/errors.js";
import type { RawEvent } from "../../event/raw-event.js";
import { ExpressionBudget } from "../../expression/expression-budget.js";
import { compileEventMapping, type EventMapping } from "../event-mapping.js";
import { mapEvent, refuseUnmappable, runMappings } from "../map-event.js";
import { parseJsonBody } from "../parse-json-body.js";
import type { Source, SourceConfig, SourceOutcome, SourceRequest, SourceType } from "../source.js";
import { headerObject } from "../source-input.js";
import { eventMappingSchema } from "../source-schemas.js";

export interface JsonSourceConfig extends SourceConfig {
  readonly event: Readonly<Record<string, string>>;
}

class JsonSource implements Source {
  readonly type = "json";
  readonly path: string;
  readonly maxBodyBytes: number | undefined;
  readonly verifiesSender = false;
  readonly #mapping: EventMapping;

  constructor(config: JsonSourceConfig) {
    this.path = config.path;
    this.maxBodyBytes = config.maxBodyBytes;
    this.#mapping = compileEventMapping(config.event, ["event"]);
  }

  async decode(request: SourceRequest): Promise<SourceOutcome> {
    const body = parseJsonBody(request.body, request.maxEvents, request.jsonLimits);
    const headers = headerObject(request.headers);
    const budget = new ExpressionBudget();
    const failures: FieldFailure[] = [];
    const events = await runMappings(budget, async () => {
      const made: RawEvent[] = [];
      for (const [index, item] of body.items.entries()) {
        const at = { index, pointerPrefix: body.list ? `/${index}` : "" };
        if (item.kind !== "object") {
          failures.push({
            ...at,
            pointer: at.pointerPrefix,
            code: "not-an-object",
            detail: `Each event must be a JSON object, not ${item.kind === "array" ? "an array" : `a ${item.kind}`}`,
          });
          continue;
        }
        const event = await mapEvent({
          mapping: this.#mapping,
          input: { body: item.value, headers, query: request.query },
          budget,
          at,
          data: item.bytes,
          idFallback: { path: this.path, bytes: item.bytes, index: body.list ? index : undefined },
        });
        failures.push(...event.failures);
        made.push(event);
      }
      return made;
    });
    refuseUnmappable(failures);
    return { kind: "events", batch: body.list, events };
  }
}

export const jsonSourceType: SourceType = {
  type: "json",
  description: "Plain JSON (one object, or a list of them), mapped to CloudEvents by JSONata expressions",
  optionsSchema: {
    type: "object",
    required: ["event"],
    properties: { event: eventMappingSchema({ required: ["type", "source"] }) },
  },
  create: (config) => new JsonSource(config as JsonSourceConfig),
};
