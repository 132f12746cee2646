/**
 * What a console viewer asked to see of the live tail: events whose type and
 * source start with what was typed, and that a CESQL expression (compiled by
 * the same compiler as a route's `sql` filter) accepts. Deliveries and dead
 * letters follow the events they belong to; refused requests carry no event,
 * so they show only when nothing is filtered.
 */
import { compileCesql } from "../filter/cesql/index.js";
import type { TailItem } from "./live-tail.js";

export interface TailFilterInput {
  readonly type?: string | undefined;
  readonly source?: string | undefined;
  readonly sql?: string | undefined;
}

/** Events shown are remembered, up to this many, so their delivery results follow them. */
const MAX_REMEMBERED = 2_000;

export type TailFilter = (item: TailItem) => boolean;

/** Compiles the viewer's filter; throws CesqlParseError when the expression does not parse. */
export function compileTailFilter(input: TailFilterInput): TailFilter {
  const type = input.type?.trim() ?? "";
  const source = input.source?.trim() ?? "";
  const sql = input.sql?.trim() ?? "";
  const expression = sql === "" ? undefined : compileCesql(sql);
  if (type === "" && source === "" && expression === undefined) return () => true;
  const shown = new Set<string>();
  return ({ message, event }) => {
    switch (message.kind) {
      case "event": {
        if (event === undefined) return false;
        const { attributes } = event;
        const passes =
          attributes.type.startsWith(type) &&
          attributes.source.startsWith(source) &&
          (expression === undefined || expression.matches(event));
        if (passes) {
          shown.add(`${message.requestId}/${message.index}`);
          if (shown.size > MAX_REMEMBERED) shown.delete(shown.values().next().value as string);
        }
        return passes;
      }
      case "delivery":
      case "dead-letter":
        return shown.has(`${message.requestId}/${message.index}`);
      case "rejected":
        return false;
    }
  };
}
