/** The authenticators the `auth` section configures, in the order they are tried. */
import { apiKeyAuthenticator } from "./api-keys/api-key-authenticator.js";
import type { AuthConfig } from "./auth-config.js";
import type { Authenticator } from "./authenticator.js";
import { jwtAuthenticator } from "./jwt/jwt-authenticator.js";

export function configuredAuthenticators(config: AuthConfig | undefined): Authenticator[] {
  if (config === undefined) return [];
  const authenticators: Authenticator[] = [];
  if (config.apiKeys !== undefined) authenticators.push(apiKeyAuthenticator(config.apiKeys));
  // After the API keys: a bearer that is a key is never parsed as a JWT.
  if (config.jwt !== undefined) authenticators.push(jwtAuthenticator(config.jwt));
  return authenticators;
}
