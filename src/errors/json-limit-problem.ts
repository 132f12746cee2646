/**
 * A body refused by a JSON limit: 400 malformed-body, its one failure naming
 * the limit (`json-too-deep`, `json-string-too-long`) and pointing at the
 * value that broke it.
 */
import { type JsonLimitError, MAX_JSON_DEPTH } from "../codec/json-limits.js";
import { jsonPointerAt } from "../codec/json-pointer-at.js";
import { type GatewayError, malformedBody } from "./errors.js";

const SETTING = {
  "json-too-deep": "server.maxJsonDepth",
  "json-string-too-long": "server.maxJsonStringBytes",
};

/** `bytes` are those the scanner read; `prefix` is the pointer of where they sit (`/data` for binary-mode data). */
export function jsonLimitProblem(error: JsonLimitError, bytes: Uint8Array, prefix = ""): GatewayError {
  const pointer = `${prefix}${jsonPointerAt(bytes, error.offset)}`;
  const setting =
    error.code === "json-too-deep" && error.limit === MAX_JSON_DEPTH
      ? `the most JSON nesting the gateway reads (${MAX_JSON_DEPTH})`
      : `${SETTING[error.code]} (${error.limit})`;
  const detail =
    error.code === "json-too-deep"
      ? `The value at "${pointer}" is nested deeper than ${setting}`
      : `The string at "${pointer}" is longer than ${setting} bytes`;
  return malformedBody(`${error.message}: ${detail}`, [{ pointer, code: error.code, detail }]);
}
