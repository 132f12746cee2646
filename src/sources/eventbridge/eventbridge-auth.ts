/**
 * How an EventBridge API destination proves a delivery is its own: its
 * connection sends one kind of credential, which the source checks:
 *
 * - `basic`: `Authorization: Basic` with the connection's username and password;
 * - `apiKey`: a header of the connection's name carrying its value;
 * - `oauth`: the connection gets an access token by client credentials from
 *   an authorization server and sends it as `Authorization: Bearer`; the
 *   gateway never sees the client secret, so it checks the token as a JWT
 *   signed by that server (issuer, audience, expiry, keys at its JWKS URL).
 *
 * Secrets are compared as SHA-256 digests in constant time.
 */
import { BearerTokenVerifier } from "../cloud/bearer-token.js";
import { credentialRefused } from "../cloud/credential-refused.js";
import { SharedSecrets } from "../cloud/shared-secrets.js";
import { OptionProblems } from "../option-problems.js";
import type { SourceRequest } from "../source.js";

export interface EventBridgeAuthConfig {
  readonly basic?: { readonly username: string; readonly password: string };
  readonly apiKey?: { readonly header: string; readonly values: readonly string[] };
  readonly oauth?: {
    readonly issuer: string | readonly string[];
    readonly audience: string | readonly string[];
    readonly jwksUrl: string;
    /** Claims the token must carry with these values (the connection's client id, a scope). */
    readonly requiredClaims?: Readonly<Record<string, string | number | boolean>>;
  };
  readonly allowUnauthenticated?: boolean;
}

const KINDS = ["basic", "apiKey", "oauth"] as const;
const BASIC = /^Basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i;

type Check = (request: SourceRequest) => Promise<string | undefined>;

function basicCheck(basic: NonNullable<EventBridgeAuthConfig["basic"]>): Check {
  const credentials = new SharedSecrets([`${basic.username}:${basic.password}`]);
  return async (request) => {
    const header = request.headers.get("authorization");
    const encoded = header === null ? undefined : BASIC.exec(header)?.[1];
    if (encoded === undefined) return "the request has no Authorization: Basic credentials";
    let decoded: string;
    try {
      decoded = new TextDecoder("utf-8", { fatal: true }).decode(
        Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0)),
      );
    } catch {
      return "the Basic credentials are not base64 of UTF-8 text";
    }
    return (await credentials.matches(decoded)) ? undefined : "the Basic username and password do not match";
  };
}

function apiKeyCheck(apiKey: NonNullable<EventBridgeAuthConfig["apiKey"]>): Check {
  const keys = new SharedSecrets(apiKey.values);
  const name = apiKey.header.toLowerCase();
  return async (request) => {
    const given = request.headers.get(name);
    if (given === null) return `the request has no ${apiKey.header} header`;
    return (await keys.matches(given))
      ? undefined
      : `${apiKey.header} matches none of the ${keys.count} keys`;
  };
}

export class EventBridgeAuth {
  readonly #check: Check | undefined;

  constructor(config: EventBridgeAuthConfig) {
    const problems = new OptionProblems();
    const given = KINDS.filter((kind) => config[kind] !== undefined);
    if (given.length === 0 && config.allowUnauthenticated !== true)
      problems.add(
        ["basic"],
        "basic, apiKey or oauth is required, as the API destination's connection authorizes (or set allowUnauthenticated: true to accept deliveries from anyone who can reach the path)",
      );
    if (given.length > 1)
      problems.add(
        [given[1] as string],
        `a connection sends one kind of credential: choose one of ${given.join(" and ")}`,
      );
    if (given.length > 0 && config.allowUnauthenticated === true)
      problems.add(["allowUnauthenticated"], `cannot be true while ${given[0]} is set`);
    const { basic, apiKey, oauth } = config;
    this.#check =
      basic !== undefined
        ? basicCheck(basic)
        : apiKey !== undefined
          ? apiKeyCheck(apiKey)
          : oauth !== undefined
            ? problems.attempt(() => {
                const token = new BearerTokenVerifier(oauth, ["oauth"]);
                return (request: SourceRequest) => token.refusal(request.headers);
              })
            : undefined;
    problems.throwIfAny("The eventbridge source's authentication does not compile");
  }

  get proves(): boolean {
    return this.#check !== undefined;
  }

  async verify(request: SourceRequest): Promise<void> {
    const refusal = await this.#check?.(request);
    if (refusal !== undefined) throw credentialRefused(`eventbridge: ${refusal}`);
  }
}
