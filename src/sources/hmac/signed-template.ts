/**
 * What an `hmac` source's sender signs, as a template: literal text around
 * `{body}` (the raw body bytes) and `{timestamp}` (the timestamp exactly as
 * sent). Stripe signs `{timestamp}.{body}`, Slack `v0:{timestamp}:{body}`,
 * most others `{body}`. The body must be signed exactly once, and a timestamp
 * that is checked must be signed too: one that is not could be changed by
 * anyone replaying the request.
 */
import { concatBytes } from "../signature/hmac-secrets.js";
import { SourceOptionError } from "../source.js";

type Segment =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "body" }
  | { readonly kind: "timestamp" };

export type SignedTemplate = readonly Segment[];

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** Throws SourceOptionError at `at` when the template signs too little or names an unknown part. */
export function compileSignedTemplate(
  text: string,
  hasTimestamp: boolean,
  at: readonly (string | number)[],
): SignedTemplate {
  const segments: Segment[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const name = match[1];
    if (name !== "body" && name !== "timestamp")
      throw new SourceOptionError(at, `unknown placeholder {${name}}: use {body} and {timestamp}`);
    if (match.index > last) segments.push({ kind: "text", text: text.slice(last, match.index) });
    segments.push({ kind: name });
    last = match.index + match[0].length;
  }
  if (last < text.length) segments.push({ kind: "text", text: text.slice(last) });

  const count = (kind: Segment["kind"]) => segments.filter((s) => s.kind === kind).length;
  if (count("body") !== 1) throw new SourceOptionError(at, "must contain {body} exactly once");
  if (hasTimestamp && count("timestamp") === 0)
    throw new SourceOptionError(
      at,
      "must contain {timestamp}: a timestamp that is not signed could be changed to replay the request",
    );
  if (!hasTimestamp && count("timestamp") > 0)
    throw new SourceOptionError(at, "{timestamp} needs a timestamp: set timestampHeader or parts.timestamp");
  return segments;
}

/** The bytes the sender signed. */
export function signedBytes(
  template: SignedTemplate,
  body: Uint8Array,
  timestamp: string | undefined,
): Uint8Array {
  const part = (segment: Segment): Uint8Array | string => {
    if (segment.kind === "body") return body;
    if (segment.kind === "timestamp") return timestamp ?? "";
    return segment.text;
  };
  return concatBytes(...template.map(part));
}
