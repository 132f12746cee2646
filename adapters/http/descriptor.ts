/** The `http` target's options and addressing (loaded without the adapter). */
import type { TargetDescriptor } from "../../src/adapter/adapter.js";
import { timeoutOption } from "../../src/adapter/timeout-option.js";

/** An absolute http(s) URL, or why not. */
export function httpUrlViolation(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? undefined : "is not an http(s) URL";
  } catch {
    return "is not an absolute URL";
  }
}

/** How long one attempt may take when the options give no timeoutMs. */
const DEFAULT_TIMEOUT_MS = 10_000;

export const httpDescriptor: TargetDescriptor = {
  type: "http",
  optionsSchema: {
    type: "object",
    description: "Delivers CloudEvents to any HTTP endpoint per the CloudEvents HTTP binding (a webhook).",
    properties: {
      type: { const: "http" },
      url: {
        type: "string",
        minLength: 1,
        description: "Endpoint URL template, e.g. https://hooks.example/{type}.",
      },
      mode: { enum: ["binary", "structured", "batch"], default: "binary" },
      headerEncoding: {
        enum: ["percent", "raw"],
        default: "percent",
        description:
          "Binary mode: percent-encode ce-* values as the binding says, or send them raw (UTF-8 as is) for receivers on sdk-go or Knative, which never decode.",
      },
      headers: {
        type: "object",
        additionalProperties: { type: "string" },
        description: "Extra request headers, e.g. Authorization: Bearer ${env:TOKEN}.",
      },
      timeoutMs: timeoutOption(DEFAULT_TIMEOUT_MS),
    },
    required: ["type", "url"],
    additionalProperties: false,
  },
  addressing: { address: "url", checkAddress: httpUrlViolation },
  defaultTimeoutMs: DEFAULT_TIMEOUT_MS,
};
