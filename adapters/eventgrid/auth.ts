/**
 * How a request to Event Grid proves who sends it. Topics and domains take
 * `aeg-sas-key`, `aeg-sas-token` or an Entra ID bearer token; namespaces take
 * `SharedAccessKey <key>` or a bearer token.
 */
import { type PublishOutcome, terminal } from "../../src/adapter/adapter.js";
import { DEFAULT_SAS_TTL_SECONDS, type EventGridOptions } from "./options.js";
import { sasTokens } from "./sas-token.js";

export type EventGridAuth =
  | { readonly kind: "key"; readonly key: string }
  | { readonly kind: "sas"; readonly token: () => Promise<string> }
  | { readonly kind: "bearer"; readonly token: () => Promise<string> };

/** Key and SAS auth from the options; Entra ID is left to the caller, which knows its runtime. */
export function keyOrSasAuth(options: EventGridOptions): EventGridAuth | undefined {
  if (options.key !== undefined) return { kind: "key", key: options.key };
  const sas = options.sasToken;
  if (typeof sas === "string") return { kind: "sas", token: () => Promise.resolve(sas) };
  if (sas !== undefined)
    return {
      kind: "sas",
      token: sasTokens(options.endpoint, sas.key, sas.ttlSeconds ?? DEFAULT_SAS_TTL_SECONDS),
    };
  return undefined;
}

export async function authHeaders(auth: EventGridAuth, namespace: boolean): Promise<Record<string, string>> {
  switch (auth.kind) {
    case "key":
      return namespace ? { authorization: `SharedAccessKey ${auth.key}` } : { "aeg-sas-key": auth.key };
    case "sas":
      return { "aeg-sas-token": await auth.token() };
    case "bearer":
      return { authorization: `Bearer ${await auth.token()}` };
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

/** OAuth2 error codes that mean the client or its request is wrong, not that the authority is down. */
const CLIENT_ERRORS = new Set([
  "invalid_client",
  "unauthorized_client",
  "invalid_request",
  "invalid_grant",
  "invalid_scope",
]);

/**
 * A sign-in failure as a terminal outcome when the credentials were refused:
 * ours, or `@azure/identity`'s (an AuthenticationError with a 4xx, or MSAL's
 * ServerError with an OAuth2 client error inside AuthenticationRequiredError).
 * Anything else (the authority down, a timeout) is left to the caller.
 */
export function refusedCredentials(error: unknown): PublishOutcome | undefined {
  if (error instanceof CredentialsRefused) return terminal(error.message, error.status);
  const failure = error as { name?: string; statusCode?: number; message?: string; cause?: unknown };
  const cause = failure.cause as { name?: string; errorCode?: string; status?: number } | undefined;
  const status =
    failure.name === "AuthenticationError"
      ? failure.statusCode
      : cause?.name === "ServerError" && CLIENT_ERRORS.has(cause.errorCode ?? "")
        ? (cause.status ?? 400)
        : undefined;
  if (status === undefined || status < 400 || status >= 500) return undefined;
  return terminal(
    `Microsoft Entra ID refused the client credentials (${status}): ${failure.message ?? ""}`,
    status,
  );
}
