/** The authenticators the `auth` section configures, in the order they are tried. */
import { apiKeyAuthenticator } from "./api-keys/api-key-authenticator.js";
import type { AuthConfig } from "./auth-config.js";
import type { Authenticator } from "./authenticator.js";

export function configuredAuthenticators(config: AuthConfig | undefined): Authenticator[] {
  if (config === undefined) return [];
  const authenticators: Authenticator[] = [];
  if (config.apiKeys !== undefined) authenticators.push(apiKeyAuthenticator(config.apiKeys));
  return authenticators;
}
