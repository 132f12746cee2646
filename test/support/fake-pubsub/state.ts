/**
 * The state the gRPC server and its REST twin share: topics, the messages
 * accepted on each (in arrival order), message ids, injected failures, a log
 * of publish attempts, and the access tokens the fake token endpoint issued.
 * `publish` applies the service's rules in this order: injected `failNext`
 * failures, topic name, limits, unknown topic (NOT_FOUND), injected ordering
 * key failures; only then are messages recorded.
 */
import { checkPublishLimits, type IncomingMessage } from "./limits.js";
import { fullTopicName, parseTopicName } from "./names.js";
import { Code, defaultMessage, PubsubError } from "./status.js";

export interface RecordedMessage {
  /** Full name: `projects/{p}/topics/{t}`. */
  readonly topic: string;
  readonly data: Uint8Array;
  readonly attributes: Record<string, string>;
  /** `""` when none was set. */
  readonly orderingKey: string;
  readonly messageId: string;
  readonly publishTime: Date;
}

export type Transport = "grpc" | "rest";

/** One Publish call as the fake saw it; `code` is 0 (OK) or the gRPC status it failed with. */
export interface PublishAttempt {
  readonly transport: Transport;
  readonly topic: string;
  readonly messageCount: number;
  readonly orderingKeys: readonly string[];
  readonly code: number;
}

interface Failure {
  readonly code: number;
  readonly message: string;
}

export class FakePubsubState {
  readonly defaultProject: string;
  private readonly topicMessages = new Map<string, RecordedMessage[]>();
  private readonly pendingFailures: Failure[] = [];
  private readonly keyFailures = new Map<string, Failure>();
  private readonly attemptLog: PublishAttempt[] = [];
  private readonly tokens = new Map<string, number>();
  private lastId = 1_000_000_000_000;
  private tokenCount = 0;

  constructor(defaultProject = "p") {
    this.defaultProject = defaultProject;
  }

  /** Accepts a full name or a bare topic id (in the default project). */
  name(topic: string): string {
    return fullTopicName(topic, this.defaultProject);
  }

  createTopic(topic: string): string {
    const name = this.name(topic);
    const { topic: id } = parseTopicName(name);
    if (this.topicMessages.has(name)) {
      throw new PubsubError(Code.ALREADY_EXISTS, `Resource already exists in the project (resource=${id}).`);
    }
    this.topicMessages.set(name, []);
    return name;
  }

  getTopic(topic: string): string {
    const name = this.name(topic);
    const { topic: id } = parseTopicName(name);
    if (!this.topicMessages.has(name)) {
      throw new PubsubError(Code.NOT_FOUND, `Resource not found (resource=${id}).`);
    }
    return name;
  }

  topics(): string[] {
    return [...this.topicMessages.keys()];
  }

  /** Messages accepted on a topic, in arrival order (empty for an unknown topic). */
  messages(topic: string): RecordedMessage[] {
    return [...(this.topicMessages.get(this.name(topic)) ?? [])];
  }

  allMessages(): RecordedMessage[] {
    return [...this.topicMessages.values()].flat().sort((a, b) => Number(a.messageId) - Number(b.messageId));
  }

  /** The next `count` Publish calls (either transport) fail with `code`. */
  failNext(code: number, count = 1, message = defaultMessage(code)): void {
    for (let i = 0; i < count; i++) this.pendingFailures.push({ code, message });
  }

  /** The next valid Publish carrying a message with this ordering key fails once with `code`. */
  failOrderingKey(key: string, code: number, message = defaultMessage(code)): void {
    this.keyFailures.set(key, { code, message });
  }

  attempts(): PublishAttempt[] {
    return [...this.attemptLog];
  }

  /** Forgets messages, attempts and pending failures; keeps topics and tokens. */
  reset(): void {
    for (const name of this.topicMessages.keys()) this.topicMessages.set(name, []);
    this.pendingFailures.length = 0;
    this.keyFailures.clear();
    this.attemptLog.length = 0;
  }

  /** Publishes or throws a PubsubError; returns one increasing message id per message. */
  publish(transport: Transport, topic: string, messages: readonly IncomingMessage[]): string[] {
    const orderingKeys = [...new Set(messages.map((m) => m.orderingKey).filter((k) => k !== ""))];
    const log = (code: number) =>
      this.attemptLog.push({ transport, topic, messageCount: messages.length, orderingKeys, code });
    try {
      const ids = this.accept(topic, messages, orderingKeys);
      log(Code.OK);
      return ids;
    } catch (error) {
      log(error instanceof PubsubError ? error.code : Code.UNKNOWN);
      throw error;
    }
  }

  private accept(topic: string, messages: readonly IncomingMessage[], orderingKeys: string[]): string[] {
    const injected = this.pendingFailures.shift();
    if (injected) throw new PubsubError(injected.code, injected.message);
    parseTopicName(topic);
    checkPublishLimits(messages);
    const name = this.getTopic(topic);
    for (const key of orderingKeys) {
      const failure = this.keyFailures.get(key);
      if (failure) {
        this.keyFailures.delete(key);
        throw new PubsubError(failure.code, failure.message);
      }
    }
    const recorded = this.topicMessages.get(name) ?? [];
    const publishTime = new Date();
    return messages.map((m) => {
      const messageId = String(++this.lastId);
      recorded.push({
        topic: name,
        data: new Uint8Array(m.data),
        attributes: { ...m.attributes },
        orderingKey: m.orderingKey,
        messageId,
        publishTime,
      });
      return messageId;
    });
  }

  /** Records a newly issued access token valid for `expiresInSeconds`. */
  issueToken(expiresInSeconds: number): string {
    this.tokenCount++;
    const token = `ya29.fake-${this.tokenCount}-${crypto.randomUUID()}`;
    this.tokens.set(token, Date.now() + expiresInSeconds * 1000);
    return token;
  }

  /** True for a token this fake issued that has not expired. */
  isIssuedToken(token: string): boolean {
    const expiresAt = this.tokens.get(token);
    return expiresAt !== undefined && expiresAt > Date.now();
  }

  tokensIssued(): number {
    return this.tokenCount;
  }

  /** Makes every issued token invalid (as if revoked), to test refresh after a 401. */
  revokeTokens(): void {
    this.tokens.clear();
  }
}
