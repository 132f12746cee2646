/**
 * A local identity provider for JWT tests: signing keys made by jose, their
 * public halves served as a JWKS over node:http, tokens signed on demand. The
 * served set can be rotated and the server made to fail, and it counts the
 * fetches it answered.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type CryptoKey, exportJWK, generateKeyPair, type JWK, type JWTPayload, SignJWT } from "jose";

export interface SigningKey {
  readonly kid: string;
  readonly alg: string;
  readonly privateKey: CryptoKey;
  /** The public key as a JWK, with its kid and alg. */
  readonly jwk: JWK;
}

export async function signingKey(kid: string, alg = "ES256"): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: "sig" } };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A token signed by `key`: `exp` an hour from now unless the claims say otherwise (`exp: undefined` drops it). */
export function signToken(
  key: SigningKey,
  claims: JWTPayload,
  header: Record<string, unknown> = {},
): Promise<string> {
  const payload: JWTPayload = { iat: nowSeconds(), exp: nowSeconds() + 3600, ...claims };
  if ("exp" in claims && claims.exp === undefined) delete payload.exp;
  return new SignJWT(payload)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, ...header })
    .sign(key.privateKey);
}

export interface JwksServer {
  /** The JWKS URL. */
  readonly url: string;
  /** Serves these keys from now on. */
  serve(keys: readonly SigningKey[]): void;
  /** `true`: every fetch is answered 500 until set back. */
  failing(fail: boolean): void;
  /** Fetches answered so far (failed ones included). */
  fetches(): number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: readonly SigningKey[]): Promise<JwksServer> {
  let served = keys;
  let fail = false;
  let count = 0;
  const server: Server = createServer((_request, response) => {
    count++;
    if (fail) {
      response.writeHead(500, { "content-type": "text/plain" }).end("identity provider down");
      return;
    }
    response
      .writeHead(200, { "content-type": "application/jwk-set+json" })
      .end(JSON.stringify({ keys: served.map((key) => key.jwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    serve: (next) => {
      served = next;
    },
    failing: (next) => {
      fail = next;
    },
    fetches: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
