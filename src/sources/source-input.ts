/** What a source's mapping expressions read from the request besides the body: headers and query, as plain objects. */
import type { HeaderReader } from "../bindings/http/header-reader.js";

export function headerObject(headers: HeaderReader): Record<string, string> {
  const object: Record<string, string> = Object.create(null);
  headers.forEach((value, name) => {
    object[name.toLowerCase()] = value;
  });
  return object;
}

/** Query parameters by name; a name given more than once keeps every value, in order. */
export function queryObject(search: string): Record<string, string | string[]> {
  const object: Record<string, string | string[]> = Object.create(null);
  for (const [name, value] of new URLSearchParams(search)) {
    const held = object[name];
    if (held === undefined) object[name] = value;
    else if (Array.isArray(held)) held.push(value);
    else object[name] = [held, value];
  }
  return object;
}
