/**
 * The admission stage, the pipeline's first: who is asking (authentication,
 * before the body is read) and whether they may post to this path. Grants on
 * the events themselves are checked after decoding (authorize-events.ts).
 */
import type { HeaderReader } from "../bindings/http/header-reader.js";
import { GatewayError } from "../errors/errors.js";
import { type AuthenticatedPrincipal, type Authenticator, bearerOf } from "./authenticator.js";
import { ALL_GRANTED } from "./grants.js";

export interface AdmissionRequest {
  readonly headers: HeaderReader;
  readonly url?: string;
}

/** Decides who a request is from; throws 401 (unauthenticated) or 403 (path not granted). */
export type Admission = (
  request: AdmissionRequest,
  path: string,
) => Promise<AuthenticatedPrincipal | undefined>;

/** A path whose source checks its own signature: the signature is the credential. */
export const SIGNED_SOURCE = (path: string): AuthenticatedPrincipal => ({
  id: `source:${path}`,
  kind: "signed-source",
  grants: ALL_GRANTED,
});

export function unauthenticated(reason: string): GatewayError {
  return new GatewayError("unauthenticated", "The request carries no valid credential", {
    logDetail: reason,
  });
}

/**
 * With no authenticators (no `auth` section), every request is admitted
 * anonymously. Otherwise a request needs one valid credential: the first
 * scheme that recognizes it decides; an invalid one is refused even if
 * another scheme might have accepted something else.
 */
export function createAdmission(
  authenticators: readonly Authenticator[],
  selfAuthenticatedPaths: ReadonlySet<string>,
): Admission | undefined {
  if (authenticators.length === 0) return undefined;
  return async (request, path) => {
    if (selfAuthenticatedPaths.has(path)) return SIGNED_SOURCE(path);
    const credentialRequest = { headers: request.headers, bearer: bearerOf(request.headers, request.url) };
    for (const authenticator of authenticators) {
      const credential = await authenticator.check(credentialRequest);
      if (credential.kind === "absent") continue;
      if (credential.kind === "invalid")
        throw unauthenticated(`${authenticator.scheme}: ${credential.reason}`);
      if (!credential.principal.grants.allowsPath(path)) {
        throw new GatewayError("forbidden", `This credential may not post to ${path}`, {
          failures: [
            { pointer: "", code: "path-not-granted", detail: `${path} is outside this credential's grant` },
          ],
        });
      }
      return credential.principal;
    }
    throw unauthenticated(
      credentialRequest.bearer === undefined
        ? "no credential in the request"
        : "no scheme recognizes the credential",
    );
  };
}
