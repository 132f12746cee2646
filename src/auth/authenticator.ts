/**
 * Authentication at ingress: each configured scheme (API keys, JWT) is an
 * Authenticator that looks at the request's headers and URL, never its body,
 * so a request without a valid credential is refused before its body is read.
 */
import type { HeaderReader } from "../bindings/http/header-reader.js";
import type { Principal } from "../context/request-context.js";
import type { Grants } from "./grants.js";

/** Who is publishing, and what they may publish. */
export interface AuthenticatedPrincipal extends Principal {
  readonly grants: Grants;
}

export type Credential =
  /** The request carries a credential this scheme recognizes and it is valid. */
  | { readonly kind: "valid"; readonly principal: AuthenticatedPrincipal }
  /** The request carries a credential for this scheme and it is not valid (the reason is logged, never told). */
  | { readonly kind: "invalid"; readonly reason: string }
  /** Nothing in the request is for this scheme. */
  | { readonly kind: "absent" };

export interface CredentialRequest {
  readonly headers: HeaderReader;
  /** The bearer token from `Authorization: Bearer`, else the `access_token` query parameter (the webhook spec's two places). */
  readonly bearer: string | undefined;
}

export interface Authenticator {
  readonly scheme: string;
  check(request: CredentialRequest): Promise<Credential> | Credential;
}

/** The bearer token of a request: the Authorization header first, then `access_token` in the query. */
export function bearerOf(headers: HeaderReader, url: string | undefined): string | undefined {
  const header = headers.get("authorization");
  if (header !== null) {
    const match = /^Bearer[ \t]+([^\s]+)[ \t]*$/i.exec(header);
    if (match?.[1] !== undefined) return match[1];
  }
  if (url === undefined || !url.includes("access_token=")) return undefined;
  const query = url.indexOf("?");
  if (query === -1) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get("access_token") ?? undefined;
}
