/**
 * The 401 for a cloud delivery whose credential (a bearer token, a shared
 * secret, Basic credentials) does not hold. As with signatures, the answer is
 * the same whatever went wrong, so it tells a prober nothing; `reason`, which
 * names the check that failed, goes to the log.
 */
import { GatewayError } from "../../errors/errors.js";

export function credentialRefused(reason: string): GatewayError {
  return new GatewayError("source-unauthenticated", "The request's credentials could not be verified", {
    logDetail: reason,
  });
}
