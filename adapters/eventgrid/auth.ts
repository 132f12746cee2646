/**
 * How a request to Event Grid proves who sends it. Topics and domains take
 * `aeg-sas-key`, `aeg-sas-token` or an Entra ID bearer token; namespaces take
 * `SharedAccessKey <key>` or a bearer token.
 */
import { type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import type { TokenCacheOptions } from "../../src/adapter/token-cache.js";
import { untilAborted } from "../../src/adapter/until-aborted.js";
import { decodeBase64 } from "../../src/codec/base64.js";
import { DEFAULT_SAS_TTL_SECONDS, type EntraOptions, type EventGridOptions } from "./options.js";
import { sasTokens } from "./sas-token.js";

/**
 * A credential that is fetched or made (and cached) before a request. A
 * source may use `signal`; callers also stop waiting when it aborts
 * (untilAborted), since a cached request in flight is shared.
 */
export type TokenSource = (signal: AbortSignal) => Promise<string>;

export type EventGridAuth =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "sas"; readonly token: TokenSource }
  | { readonly kind: "bearer"; readonly token: TokenSource };

/** The endpoint as requests use it and signatures name it: without trailing slashes. */
export function endpointOf(options: EventGridOptions): string {
  return options.endpoint.replace(/\/+$/, "");
}

/** A plain-HTTP endpoint (any letter case), allowed only with allowInsecure. */
export const isPlainHttp = (endpoint: string) => /^http:\/\//i.test(endpoint);

/**
 * The target's credentials. Entra ID is made by the caller, which knows its
 * runtime (fetch, or @azure/identity on Node). Throws for a signing key that
 * is not base64 or for no credentials at all: config errors, found when the
 * target opens rather than on every send.
 */
export function authFor(
  options: EventGridOptions,
  entra: (entra: EntraOptions) => TokenSource,
  cache: TokenCacheOptions = {},
): EventGridAuth {
  if (options.entra !== undefined) return { kind: "bearer", token: entra(options.entra) };
  if (options.key !== undefined) return { kind: "key", key: options.key };
  const sas = options.sasToken;
  if (typeof sas === "string") return { kind: "sas", token: () => Promise.resolve(sas) };
  if (sas === undefined) throw new Error("The eventgrid target needs one of key, sasToken or entra");
  if (decodeBase64(sas.key) === undefined)
    throw new Error("sasToken.key is not base64: give the topic's access key as Azure shows it");
  const tokens = sasTokens(endpointOf(options), sas.key, sas.ttlSeconds ?? DEFAULT_SAS_TTL_SECONDS, cache);
  return { kind: "sas", token: tokens };
}

export async function authHeaders(
  auth: EventGridAuth,
  namespace: boolean,
  signal: AbortSignal,
): Promise<Record<string, string>> {
  switch (auth.kind) {
    case "key":
      return namespace ? { authorization: `SharedAccessKey ${auth.key}` } : { "aeg-sas-key": auth.key };
    case "sas":
      return { "aeg-sas-token": await untilAborted(auth.token(signal), signal) };
    case "bearer":
      return { authorization: `Bearer ${await untilAborted(auth.token(signal), signal)}` };
  }
}

/** Microsoft Entra ID turned the client credentials down: retrying will not help until the config changes. */
export class CredentialsRefused extends Error {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(`Microsoft Entra ID refused the client credentials (${status}): ${detail}`);
    this.name = "CredentialsRefused";
  }
}

/** The authority could not issue a token now (throttled, failing); `retryAfterMs` is its Retry-After. */
export class AuthorityUnavailable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message);
    this.name = "AuthorityUnavailable";
  }
}

/** OAuth2 error codes that mean the client or its request is wrong, not that the authority is busy or down. */
const CLIENT_ERRORS = new Set([
  "invalid_client",
  "unauthorized_client",
  "invalid_request",
  "invalid_grant",
  "invalid_scope",
]);

/**
 * Whether an authority's error answer refuses the credentials themselves: an
 * OAuth2 client error code, or 401/403 without one. 408, 429, 5xx and other
 * 400s only say "not now".
 */
export function isRefusal(status: number, errorCode: string | undefined): boolean {
  if (errorCode !== undefined && CLIENT_ERRORS.has(errorCode)) return status >= 400 && status < 500;
  return errorCode === undefined && (status === 401 || status === 403);
}

/**
 * A sign-in failure as a terminal outcome when the credentials were refused
 * (see isRefusal): ours, or `@azure/identity`'s (an AuthenticationError, or
 * MSAL's ServerError inside AuthenticationRequiredError); retriable after its Retry-After when the
 * authority answered that it cannot issue one now. Anything else (the
 * authority down or slow) is left to the caller to call retriable.
 */
export function signInFailure(error: unknown): PublishOutcome | undefined {
  if (error instanceof CredentialsRefused) return terminal(error.message, error.status);
  if (error instanceof AuthorityUnavailable) return retriable(error.message, error.retryAfterMs);
  const failure = error as {
    name?: string;
    statusCode?: number;
    errorResponse?: { error?: string };
    message?: string;
    cause?: unknown;
  };
  const cause = failure.cause as { name?: string; errorCode?: string; status?: number } | undefined;
  let status: number | undefined;
  let code: string | undefined;
  if (failure.name === "AuthenticationError") {
    status = failure.statusCode;
    // @azure/identity says "unknown_error" when the answer carried no OAuth2 error.
    code = failure.errorResponse?.error === "unknown_error" ? undefined : failure.errorResponse?.error;
  } else if (cause?.name === "ServerError") {
    status = cause.status ?? 400;
    code = cause.errorCode;
  }
  if (status === undefined || !isRefusal(status, code)) return undefined;
  return terminal(
    `Microsoft Entra ID refused the client credentials (${status}): ${failure.message ?? ""}`,
    status,
  );
}
