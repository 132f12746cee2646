/** The `eventgrid` target's options, as the config gives them. */
export interface EntraOptions {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The sign-in authority (sovereign clouds, or a local test server). */
  readonly authorityHost?: string;
  /** Skip the authority check against login.microsoftonline.com (private clouds, local servers). */
  readonly disableInstanceDiscovery?: boolean;
}

/** Generate `aeg-sas-token`s from an access key, each valid for `ttlSeconds`. */
export interface GeneratedSas {
  readonly key: string;
  readonly ttlSeconds?: number;
}

export interface EventGridOptions {
  readonly endpoint: string;
  readonly namespaceTopic?: string;
  /** `sdk` (Node): `@azure/eventgrid` and `@azure/identity`; `rest` (any runtime): fetch only. */
  readonly api?: "sdk" | "rest";
  readonly key?: string;
  /** A ready-made shared access signature, or a key to generate them from (topics and domains). */
  readonly sasToken?: string | GeneratedSas;
  readonly entra?: EntraOptions;
  readonly allowInsecure?: boolean;
  /** How long one attempt may take; the delivery layer applies it (see the descriptor). */
  readonly timeoutMs?: number;
}

export const DEFAULT_SAS_TTL_SECONDS = 3_600;
