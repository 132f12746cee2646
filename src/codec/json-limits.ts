/**
 * Limits on the shape of JSON bodies, checked by the scanner before anything
 * parses them: a body of 100,000 `[` is refused at the first bracket past the
 * depth limit, so it never reaches a recursive parser (JSON.parse, JSONata).
 */

export interface JsonLimits {
  /** Containers nested deeper than this are refused (server.maxJsonDepth). */
  readonly maxDepth: number;
  /** A string (member names included) longer than this, in bytes as sent, is refused (server.maxJsonStringBytes). */
  readonly maxStringBytes: number;
}

/** The most the depth limit may be set to: the scanner recurses once per level. */
export const MAX_JSON_DEPTH = 512;
export const DEFAULT_MAX_JSON_DEPTH = 64;
export const DEFAULT_MAX_JSON_STRING_BYTES = 1024 * 1024;

export const DEFAULT_JSON_LIMITS: JsonLimits = {
  maxDepth: DEFAULT_MAX_JSON_DEPTH,
  maxStringBytes: DEFAULT_MAX_JSON_STRING_BYTES,
};

/**
 * No limit beyond the hard depth cap: for JSON the gateway did not receive
 * over HTTP (broker messages, events a transform made), whose size is bounded elsewhere.
 */
export const UNLIMITED_JSON: JsonLimits = {
  maxDepth: MAX_JSON_DEPTH,
  maxStringBytes: Number.POSITIVE_INFINITY,
};

export type JsonLimitCode = "json-too-deep" | "json-string-too-long";

/** Thrown by the scanner at the first byte past a limit; `offset` is where the refused value starts. */
export class JsonLimitError extends Error {
  constructor(
    readonly code: JsonLimitCode,
    readonly limit: number,
    readonly offset: number,
  ) {
    super(
      code === "json-too-deep"
        ? `JSON nested deeper than ${limit} levels`
        : `A JSON string longer than ${limit} bytes`,
    );
    this.name = "JsonLimitError";
  }
}
