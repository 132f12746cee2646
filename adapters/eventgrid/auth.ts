/**
 * How a request to Event Grid proves who sends it. Topics and domains take
 * `aeg-sas-key`, `aeg-sas-token` or an Entra ID bearer token; namespaces take
 * `SharedAccessKey <key>` or a bearer token.
 */
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
