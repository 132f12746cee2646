/** The authenticators the `auth` section configures, in the order they are tried. */
import { ConfigError } from "../config/config-error.js";
import { formatPath } from "../config/config-path.js";
import { apiKeyAuthenticator } from "./api-keys/api-key-authenticator.js";
import type { AuthConfig } from "./auth-config.js";
import type { Authenticator } from "./authenticator.js";
import { jwtAuthenticator } from "./jwt/jwt-authenticator.js";
import { jwtConfigIssues } from "./jwt/jwt-config-check.js";

export function configuredAuthenticators(config: AuthConfig | undefined): Authenticator[] {
  if (config === undefined) return [];
  const authenticators: Authenticator[] = [];
  if (config.apiKeys !== undefined) authenticators.push(apiKeyAuthenticator(config.apiKeys));
  if (config.jwt !== undefined) {
    // Checked again here: on Workers a `${env:}` setting (the JWKS URL) is only known now.
    const issues = jwtConfigIssues(config.jwt);
    if (issues.length > 0) {
      throw new ConfigError(
        issues.map((issue) => ({ path: formatPath(["auth", "jwt", ...issue.path]), message: issue.message })),
      );
    }
    // After the API keys: a bearer that is a key is never parsed as a JWT.
    authenticators.push(jwtAuthenticator(config.jwt));
  }
  return authenticators;
}
