/**
 * A local fake Google Cloud Pub/Sub for tests: one shared state served over
 * real gRPC (`google.pubsub.v1.Publisher`, for `@google-cloud/pubsub`) and
 * over REST (for the fetch client), with a fake OAuth2 token endpoint.
 *
 *   const fake = await startFakePubsub({ topics: ["events"] });
 *   new PubSub({ projectId: "p", apiEndpoint: fake.grpcHost, emulatorMode: true });
 *   fetch(`${fake.restUrl}/v1/projects/p/topics/events:publish`, ...);
 *   fake.messages("events"); fake.failNext("UNAVAILABLE", 2); await fake.close();
 *
 * Topic arguments of the helpers take a full name or a bare id (in `projectId`).
 */
import { startGrpcFake } from "./grpc-server.js";
import { type RestRequest, startRestFake } from "./rest-server.js";
import { FakePubsubState, type PublishAttempt, type RecordedMessage } from "./state.js";
import { Code, type CodeName } from "./status.js";
import { createTokenEndpoint, GOOGLE_TOKEN_URL, PUBSUB_SCOPES } from "./token-endpoint.js";

export { LIMITS } from "./limits.js";
export { Code, type CodeName } from "./status.js";
export type { PublishAttempt, RecordedMessage, RestRequest };

export interface FakePubsubOptions {
  /** Project for bare topic ids in the helpers (default `"p"`). */
  projectId?: string;
  /** Topics to create at start. */
  topics?: string[];
  /**
   * REST only: the bearer token check for `/v1/` calls. `"issued"` accepts
   * unexpired tokens from this fake's `/token`. Unset: no auth required.
   */
  expectToken?: ((token: string) => boolean) | "issued";
  /** SPKI PEM public key of the service account; enables `POST /token`. */
  tokenPublicKey?: string;
  /** Accepted JWT `aud` (default: Google's token URL and this fake's `/token` URL). */
  tokenAudience?: string | string[];
  /** Accepted scopes (default: pubsub and cloud-platform). */
  tokenScopes?: string[];
  /** Expected JWT `iss` (the key's `client_email`); unchecked when unset. */
  tokenIssuer?: string;
  /** `expires_in` of issued tokens in seconds (default 3600). */
  tokenExpiresIn?: number;
}

export type StatusLike = number | CodeName;

export interface FakePubsub {
  /** `127.0.0.1:<port>` of the gRPC server (use as `apiEndpoint`). */
  readonly grpcHost: string;
  /** Same as `grpcHost`. */
  readonly host: string;
  /** `http://127.0.0.1:<port>` of the REST twin. */
  readonly restUrl: string;
  /** `${restUrl}/token` (when `tokenPublicKey` is set). */
  readonly tokenUrl: string;
  readonly state: FakePubsubState;
  topics(): string[];
  messages(topic: string): RecordedMessage[];
  allMessages(): RecordedMessage[];
  createTopic(name: string): string;
  failNext(code: StatusLike, count?: number, message?: string): void;
  failOrderingKey(key: string, code: StatusLike, message?: string): void;
  attempts(): PublishAttempt[];
  restRequests(): RestRequest[];
  tokensIssued(): number;
  setTokenExpiresIn(seconds: number): void;
  revokeTokens(): void;
  /** Clears messages, attempts and injected failures; keeps topics. */
  reset(): void;
  close(): Promise<void>;
}

const toCode = (code: StatusLike): number => (typeof code === "number" ? code : Code[code]);

export async function startFakePubsub(options: FakePubsubOptions = {}): Promise<FakePubsub> {
  const state = new FakePubsubState(options.projectId ?? "p");
  for (const topic of options.topics ?? []) state.createTopic(topic);
  let expiresIn = options.tokenExpiresIn ?? 3600;
  const expect = options.expectToken;
  const rest = await startRestFake(state, {
    expectToken: expect === "issued" ? (token) => state.isIssuedToken(token) : expect,
    // handleToken is created below, once the REST URL (an accepted audience) is known.
    tokenEndpoint: options.tokenPublicKey ? (form) => handleToken(form) : undefined,
  });
  const tokenUrl = `${rest.url}/token`;
  const audience = options.tokenAudience ?? [GOOGLE_TOKEN_URL, tokenUrl];
  const handleToken = createTokenEndpoint(
    {
      publicKey: options.tokenPublicKey ?? "",
      audience: typeof audience === "string" ? [audience] : audience,
      scopes: options.tokenScopes ?? PUBSUB_SCOPES,
      issuer: options.tokenIssuer,
      expiresIn: () => expiresIn,
    },
    state,
  );
  const grpc = await startGrpcFake(state).catch(async (error: unknown) => {
    await rest.close();
    throw error;
  });

  return {
    grpcHost: grpc.host,
    host: grpc.host,
    restUrl: rest.url,
    tokenUrl,
    state,
    topics: () => state.topics(),
    messages: (topic) => state.messages(topic),
    allMessages: () => state.allMessages(),
    createTopic: (name) => state.createTopic(name),
    failNext: (code, count, message) => state.failNext(toCode(code), count, message),
    failOrderingKey: (key, code, message) => state.failOrderingKey(key, toCode(code), message),
    attempts: () => state.attempts(),
    restRequests: () => rest.requests(),
    tokensIssued: () => state.tokensIssued(),
    setTokenExpiresIn: (seconds) => {
      expiresIn = seconds;
    },
    revokeTokens: () => state.revokeTokens(),
    reset: () => state.reset(),
    close: async () => {
      await Promise.all([grpc.close(), rest.close()]);
    },
  };
}
