/**
 * An identity provider for a test file: one RS256 signing key and a JWKS
 * server publishing it, started before the file's tests and closed after.
 */
import { afterAll, beforeAll } from "vitest";
import { type JwksServer, type SigningKey, signingKey, startJwksServer } from "./jwks-server.js";

export function identityProviderForFile(kid: string) {
  let key: SigningKey | undefined;
  let jwks: JwksServer | undefined;
  beforeAll(async () => {
    key = await signingKey(kid, "RS256");
    jwks = await startJwksServer([key]);
  });
  afterAll(() => jwks?.close());
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the identity provider is not started yet");
    return value;
  };
  return { key: () => started(key), jwksUrl: () => started(jwks).url };
}
