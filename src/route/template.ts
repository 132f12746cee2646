/**
 * Address templates such as `events.{type}.{region}`: compiled once at load,
 * expanded per event from its attributes (`{type}`, `{source}`, `{subject}`,
 * `{id}`, any extension). `{{` and `}}` write literal braces.
 */
import { type CloudEvent, getAttribute } from "../event/cloud-event.js";

type Part = { readonly literal: string } | { readonly attribute: string };

export type Expansion =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly reason: string };

export interface Template {
  readonly source: string;
  readonly attributes: readonly string[];
  expand(event: CloudEvent): Expansion;
}

export class TemplateSyntaxError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
    this.name = "TemplateSyntaxError";
  }
}

function parse(source: string): Part[] {
  const parts: Part[] = [];
  let literal = "";
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if ((c === "{" || c === "}") && source[i + 1] === c) {
      literal += c;
      i++;
    } else if (c === "{") {
      const end = source.indexOf("}", i);
      if (end === -1) throw new TemplateSyntaxError(`unclosed "{" at position ${i + 1}`, i);
      const name = source.slice(i + 1, end);
      if (!/^[a-z0-9]+$/.test(name)) {
        throw new TemplateSyntaxError(
          `"{${name}}" at position ${i + 1} is not an attribute name (a-z, 0-9)`,
          i,
        );
      }
      if (literal !== "") parts.push({ literal });
      literal = "";
      parts.push({ attribute: name });
      i = end;
    } else if (c === "}") {
      throw new TemplateSyntaxError(`unmatched "}" at position ${i + 1} (write "}}" for a brace)`, i);
    } else {
      literal += c;
    }
  }
  if (literal !== "") parts.push({ literal });
  return parts;
}

export function compileTemplate(source: string): Template {
  const parts = parse(source);
  const attributes = parts.flatMap((p) => ("attribute" in p ? [p.attribute] : []));
  return {
    source,
    attributes,
    expand(event) {
      let value = "";
      for (const part of parts) {
        if ("literal" in part) {
          value += part.literal;
          continue;
        }
        const attribute = getAttribute(event, part.attribute);
        // A missing attribute never becomes an empty token: the event would go to a wrong place.
        if (attribute === undefined)
          return { ok: false, reason: `the event has no "${part.attribute}" attribute` };
        value += String(attribute);
      }
      return { ok: true, value };
    },
  };
}
