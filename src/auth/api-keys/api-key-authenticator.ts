/**
 * API keys: the config holds each key's SHA-256, never the key. A bearer
 * token is hashed once and compared with every stored hash in constant time
 * (hashed-secrets.ts). Keys are recognized by their hash only: any bearer
 * that matches no key is left to the next scheme (a JWT), and refused when
 * none takes it.
 */
import type { ApiKeyConfig } from "../auth-config.js";
import type { Authenticator, Credential } from "../authenticator.js";
import { compileGrants, type Grants } from "../grants.js";
import { HashedSecrets } from "../hashed-secrets.js";

interface KnownKey {
  readonly id: string;
  readonly grants: Grants;
}

export function apiKeyAuthenticator(keys: readonly ApiKeyConfig[]): Authenticator {
  const stored = new HashedSecrets<KnownKey>(
    keys.map((key) => ({ sha256: key.sha256, value: { id: key.id, grants: compileGrants(key.grants) } })),
  );
  return {
    scheme: "api-key",
    async check({ bearer }): Promise<Credential> {
      if (bearer === undefined) return { kind: "absent" };
      const found = await stored.match(bearer);
      if (found === undefined) return { kind: "absent" };
      return { kind: "valid", principal: { id: found.id, kind: "api-key", grants: found.grants } };
    },
  };
}
