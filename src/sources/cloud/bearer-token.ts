/**
 * A cloud's signed bearer token (Google's push OIDC token, an Entra ID token,
 * an OAuth access token issued to EventBridge) checked with the gateway's JWT
 * verifier (jose): the signature by the keys at `jwksUrl` (cached, refetched
 * for an unknown kid, 503 auth-unavailable while they cannot be fetched),
 * then issuer, audience, `exp` and any claims that must have exact values.
 */
import { jwtAuthenticator } from "../../auth/jwt/jwt-authenticator.js";
import { jwksUrlIssue } from "../../auth/jwt/jwt-config-check.js";
import type { HeaderReader } from "../../bindings/http/header-reader.js";
import { SourceOptionError } from "../source.js";

export interface BearerTokenOptions {
  readonly jwksUrl: string;
  readonly issuer: string | readonly string[];
  readonly audience: string | readonly string[];
  /** Claims the token must carry with exactly these values. */
  readonly requiredClaims?: Readonly<Record<string, string | number | boolean>>;
}

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

export class BearerTokenVerifier {
  readonly #check: ReturnType<typeof jwtAuthenticator>["check"];

  /** `at` is where the options sit under the source, for the error of an unusable jwksUrl. */
  constructor(options: BearerTokenOptions, at: readonly (string | number)[]) {
    const issue = jwksUrlIssue(options.jwksUrl);
    if (issue !== undefined) throw new SourceOptionError([...at, "jwksUrl"], issue);
    const authenticator = jwtAuthenticator({
      jwksUrl: options.jwksUrl,
      issuer: options.issuer,
      audience: options.audience,
      ...(options.requiredClaims === undefined ? {} : { requiredClaims: options.requiredClaims }),
    });
    this.#check = authenticator.check.bind(authenticator);
  }

  /**
   * Why the request's `Authorization: Bearer` token is refused, or undefined
   * when it holds. Throws 503 auth-unavailable when the keys cannot be fetched.
   */
  async refusal(headers: HeaderReader): Promise<string | undefined> {
    const checked = await this.check(headers);
    return checked.valid ? undefined : checked.refusal;
  }

  /** The token's claims when it holds, else why it is refused. Throws 503 auth-unavailable likewise. */
  async check(
    headers: HeaderReader,
  ): Promise<{ valid: true; claims: Readonly<Record<string, unknown>> } | { valid: false; refusal: string }> {
    const header = headers.get("authorization");
    const bearer = header === null ? undefined : BEARER.exec(header)?.[1];
    if (bearer === undefined)
      return { valid: false, refusal: "the request has no Authorization: Bearer token" };
    const credential = await this.#check({ headers, bearer });
    if (credential.kind === "valid") return { valid: true, claims: credential.principal.claims ?? {} };
    return {
      valid: false,
      refusal: credential.kind === "absent" ? "the bearer token is not a JWT" : credential.reason,
    };
  }
}

/** JSON Schema of `jwksUrl`, `issuer` and `audience`, with what each defaults to. */
export function tokenCheckProperties(defaults: {
  readonly jwksUrl?: string;
  readonly issuer?: string;
}): Record<string, unknown> {
  const oneOrMore = (what: string) => ({
    anyOf: [
      { type: "string", minLength: 1 },
      { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
    ],
    description: what,
  });
  return {
    jwksUrl: {
      type: "string",
      minLength: 1,
      description: `Where the signing keys are published (https; http only for loopback)${defaults.jwksUrl === undefined ? "" : `; default ${defaults.jwksUrl}`}.`,
    },
    issuer: oneOrMore(
      `The token's iss must be this (or one of these)${defaults.issuer === undefined ? "" : `; default ${defaults.issuer}`}.`,
    ),
    audience: oneOrMore("The token's aud must be this (or one of these)."),
  };
}
