/**
 * The options of an `hmac` source, its JSON Schema, and how they resolve
 * (a preset's filled in, the user's taking their place) into one signature
 * scheme whose parts agree: a timestamp comes from one place, is signed, and
 * is the only reason for a tolerance.
 */
import type { JsonSchema } from "../../adapter/adapter.js";
import { compileEventMapping, type EventMapping } from "../event-mapping.js";
import { OptionProblems } from "../option-problems.js";
import type { HmacHash } from "../signature/hmac-secrets.js";
import type { SignatureEncoding } from "../signature/signature-values.js";
import { DEFAULT_TOLERANCE_SECONDS, toleranceSchema } from "../signature/signed-timestamp.js";
import type { SourceConfig } from "../source.js";
import { eventMappingSchema, secretsSchema } from "../source-schemas.js";
import { HMAC_PRESET_NAMES, HMAC_PRESETS, type HmacPresetName } from "./hmac-presets.js";
import type { SignatureHeader } from "./signature-header.js";
import { compileSignedTemplate, type SignedTemplate } from "./signed-template.js";

export interface HmacOptions {
  readonly preset?: HmacPresetName;
  /** Plain strings; the key is their UTF-8 bytes. */
  readonly secrets: readonly string[];
  readonly header?: string;
  readonly algorithm?: HmacHash;
  readonly encoding?: SignatureEncoding;
  readonly prefix?: string;
  readonly parts?: { readonly signature: string; readonly timestamp?: string };
  readonly timestampHeader?: string;
  readonly toleranceSeconds?: number;
  readonly signed?: string;
  readonly event?: Readonly<Record<string, string>>;
}

export type HmacSourceConfig = SourceConfig & HmacOptions;

/** Where the signed timestamp is, and how far from the arrival time it may be. */
export interface SignedTimestamp {
  readonly from:
    | { readonly kind: "header"; readonly name: string }
    | { readonly kind: "part"; readonly key: string };
  readonly toleranceSeconds: number;
}

export interface HmacScheme {
  readonly header: SignatureHeader;
  readonly algorithm: HmacHash;
  readonly encoding: SignatureEncoding;
  readonly timestamp: SignedTimestamp | undefined;
  readonly signed: SignedTemplate;
  readonly secrets: readonly Uint8Array[];
  readonly mapping: EventMapping;
}

const HEADER_NAME = { type: "string", pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" } as const;
const PART_KEY = { type: "string", pattern: "^[^,=\\s]+$" } as const;

export const hmacOptionsSchema: JsonSchema = {
  type: "object",
  required: ["secrets"],
  properties: {
    preset: {
      enum: HMAC_PRESET_NAMES,
      description:
        "A provider's scheme and event mapping (see the README); options set here take the place of its.",
    },
    secrets: {
      ...secretsSchema,
      description:
        "Signing secrets, used as their UTF-8 bytes (Stripe's whole whsec_... text, Shopify's client secret); a request signed with any of them passes. Use ${env:NAME}.",
    },
    header: { ...HEADER_NAME, description: "The header carrying the signature; required without a preset." },
    algorithm: { enum: ["SHA-256", "SHA-1", "SHA-512"], default: "SHA-256" },
    encoding: { enum: ["hex", "base64"], default: "hex", description: "How the signature is written." },
    prefix: {
      type: "string",
      minLength: 1,
      description:
        "Text before each signature in the header (sha256=); a signature without it does not count.",
    },
    parts: {
      type: "object",
      additionalProperties: false,
      required: ["signature"],
      description:
        "The header is comma-separated key=value parts (Stripe: t=...,v1=...): the key of the signatures and of the timestamp.",
      properties: { signature: PART_KEY, timestamp: PART_KEY },
    },
    timestampHeader: {
      ...HEADER_NAME,
      description: "A header carrying the signed timestamp (epoch seconds).",
    },
    toleranceSeconds: toleranceSchema,
    signed: {
      type: "string",
      minLength: 1,
      description:
        "What was signed: {body} (the raw body) and {timestamp} around literal text; default {body}, or {timestamp}.{body} with a timestamp.",
    },
    event: eventMappingSchema(),
  },
};

/** The preset's options under the user's: an option the user sets wins, attribute by attribute under `event`. */
function withPreset(config: HmacSourceConfig): HmacOptions {
  if (config.preset === undefined) return config;
  const preset: Omit<HmacOptions, "secrets"> = HMAC_PRESETS[config.preset];
  const set = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
  return { ...preset, ...set, event: { ...preset.event, ...config.event } } as HmacOptions;
}

function signatureHeader(options: HmacOptions, problems: OptionProblems): SignatureHeader | undefined {
  if (options.header === undefined) {
    problems.add(
      ["header"],
      `missing: the header that carries the signature (or a preset: ${HMAC_PRESET_NAMES.join(", ")})`,
    );
    return undefined;
  }
  const name = options.header.toLowerCase();
  if (options.parts === undefined) return { kind: "plain", name, prefix: options.prefix ?? "" };
  if (options.prefix !== undefined)
    problems.add(
      ["prefix"],
      "a prefix applies to a header of signatures only; with parts, parts.signature names them",
    );
  if (options.parts.timestamp === options.parts.signature)
    problems.add(["parts", "timestamp"], "the timestamp and the signatures need different keys");
  return {
    kind: "parts",
    name,
    signatureKey: options.parts.signature,
    timestampKey: options.parts.timestamp,
  };
}

function signedTimestamp(options: HmacOptions, problems: OptionProblems): SignedTimestamp | undefined {
  const part = options.parts?.timestamp;
  const header = options.timestampHeader;
  const toleranceSeconds = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (part !== undefined && header !== undefined)
    problems.add(
      ["timestampHeader"],
      "the timestamp is already a part of the signature header (parts.timestamp)",
    );
  if (part !== undefined) return { from: { kind: "part", key: part }, toleranceSeconds };
  if (header !== undefined) return { from: { kind: "header", name: header.toLowerCase() }, toleranceSeconds };
  if (options.toleranceSeconds !== undefined)
    problems.add(
      ["toleranceSeconds"],
      "there is no timestamp to check: set timestampHeader or parts.timestamp",
    );
  return undefined;
}

function requireAttributes(event: Readonly<Record<string, string>>, problems: OptionProblems): void {
  for (const name of ["type", "source"])
    if (event[name] === undefined)
      problems.add(["event"], `missing required key "${name}" (no preset maps it)`);
}

/** Resolves and checks the options; throws an AggregateError of SourceOptionError listing every problem. */
export function compileHmacScheme(config: HmacSourceConfig): HmacScheme {
  const options = withPreset(config);
  const problems = new OptionProblems();
  const header = signatureHeader(options, problems);
  const timestamp = signedTimestamp(options, problems);
  const signedText = options.signed ?? (timestamp === undefined ? "{body}" : "{timestamp}.{body}");
  const signed = problems.attempt(() =>
    compileSignedTemplate(signedText, timestamp !== undefined, ["signed"]),
  );
  const event = options.event ?? {};
  requireAttributes(event, problems);
  const mapping = problems.attempt(() => compileEventMapping(event, ["event"]));
  problems.throwIfAny("The hmac source does not compile");
  const encoder = new TextEncoder();
  return {
    header: header as SignatureHeader,
    algorithm: options.algorithm ?? "SHA-256",
    encoding: options.encoding ?? "hex",
    timestamp,
    signed: signed as SignedTemplate,
    secrets: options.secrets.map((secret) => encoder.encode(secret)),
    mapping: mapping as EventMapping,
  };
}
