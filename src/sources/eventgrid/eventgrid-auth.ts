/**
 * How an Event Grid subscription proves a delivery is its own, as Event Grid
 * offers it for webhooks: a secret in the endpoint URL's query (`?code=...`,
 * kept in the subscription and sent on every request, the validation
 * handshake included), and/or an Entra ID token Event Grid obtains for the
 * subscription's app (`Authorization: Bearer`), which must also have been
 * issued to Event Grid's own app. Every check that is configured must pass.
 */
import { BearerTokenVerifier } from "../cloud/bearer-token.js";
import { credentialRefused } from "../cloud/credential-refused.js";
import { SharedSecrets } from "../cloud/shared-secrets.js";
import { OptionProblems } from "../option-problems.js";
import type { SourceRequest } from "../source.js";

export interface EventGridAuthConfig {
  readonly querySecret?: { readonly name?: string; readonly values: readonly string[] };
  readonly entraId?: {
    readonly tenantId: string;
    readonly audience: string | readonly string[];
    readonly issuer?: string | readonly string[];
    readonly jwksUrl?: string;
    /** The app the token must be issued to (`appid` in v1 tokens, `azp` in v2); default Event Grid's. */
    readonly senderAppId?: string;
  };
  readonly allowUnauthenticated?: boolean;
}

export const DEFAULT_QUERY_NAME = "code";
/** Event Grid's own application in Entra ID: the client its tokens for a webhook are issued to. */
export const EVENT_GRID_APP_ID = "4962773b-9cdb-44cf-a8bf-237846a00ab7";

/** Entra ID's issuers for a tenant: v2.0 tokens, and v1 tokens (the default for an app that asks for none). */
export const entraIssuers = (tenant: string) => [
  `https://login.microsoftonline.com/${tenant}/v2.0`,
  `https://sts.windows.net/${tenant}/`,
];
export const entraJwksUrl = (tenant: string) =>
  `https://login.microsoftonline.com/${tenant}/discovery/v2.0/keys`;

export class EventGridAuth {
  readonly #query: { readonly name: string; readonly secrets: SharedSecrets } | undefined;
  readonly #token: BearerTokenVerifier | undefined;
  readonly #senderAppId: string;

  constructor(config: EventGridAuthConfig) {
    const problems = new OptionProblems();
    const { querySecret, entraId } = config;
    const checked = querySecret !== undefined || entraId !== undefined;
    if (!checked && config.allowUnauthenticated !== true)
      problems.add(
        ["querySecret"],
        "querySecret or entraId is required to prove Event Grid sent a delivery (or set allowUnauthenticated: true to accept deliveries from anyone who can reach the path)",
      );
    if (checked && config.allowUnauthenticated === true)
      problems.add(["allowUnauthenticated"], "cannot be true while querySecret or entraId is set");
    this.#query =
      querySecret === undefined
        ? undefined
        : { name: querySecret.name ?? DEFAULT_QUERY_NAME, secrets: new SharedSecrets(querySecret.values) };
    this.#senderAppId = entraId?.senderAppId ?? EVENT_GRID_APP_ID;
    this.#token =
      entraId === undefined
        ? undefined
        : problems.attempt(
            () =>
              new BearerTokenVerifier(
                {
                  jwksUrl: entraId.jwksUrl ?? entraJwksUrl(entraId.tenantId),
                  issuer: entraId.issuer ?? entraIssuers(entraId.tenantId),
                  audience: entraId.audience,
                },
                ["entraId"],
              ),
          );
    problems.throwIfAny("The eventgrid source's authentication does not compile");
  }

  get proves(): boolean {
    return this.#query !== undefined || this.#token !== undefined;
  }

  /** Throws 401 unless every configured check passes. */
  async verify(request: SourceRequest): Promise<void> {
    if (this.#query !== undefined) {
      const { name, secrets } = this.#query;
      const given = request.query[name];
      if (given === undefined) throw credentialRefused(`eventgrid: the request has no ?${name}= secret`);
      if (typeof given !== "string")
        throw credentialRefused(`eventgrid: ?${name}= is given ${given.length} times`);
      if (!(await secrets.matches(given)))
        throw credentialRefused(`eventgrid: ?${name}= matches none of the ${secrets.count} secrets`);
    }
    if (this.#token !== undefined) {
      const checked = await this.#token.check(request.headers);
      if (!checked.valid) throw credentialRefused(`eventgrid: Entra ID token: ${checked.refusal}`);
      // Any app in the tenant may get a token for this audience (unless the app requires assignment):
      // the token must have been issued to the sender, as the email is checked for Pub/Sub.
      const client = checked.claims.appid ?? checked.claims.azp;
      if (client !== this.#senderAppId)
        throw credentialRefused(
          `eventgrid: Entra ID token: issued to the app ${JSON.stringify(client ?? null)}, not ${this.#senderAppId}`,
        );
    }
  }
}
