/**
 * The REST twin of the fake (node:http) over the same state:
 *   POST /v1/projects/{p}/topics/{t}:publish  {"messages":[{data,attributes,orderingKey}]} -> {"messageIds":[...]}
 *   GET  /v1/projects/{p}/topics/{t}          -> {"name": ...}  (GetTopic)
 *   PUT  /v1/projects/{p}/topics/{t}          -> {"name": ...}  (CreateTopic)
 *   POST /token                               fake OAuth2 token endpoint (when configured)
 * Errors use Google's JSON body `{"error":{"code","message","status"}}` with the
 * matching HTTP status. With `expectToken`, `/v1/` calls need an accepted
 * `Authorization: Bearer` token (else 401 UNAUTHENTICATED). Like Google's JSON
 * mapping, unknown fields are rejected and snake_case field names are accepted.
 */
import { createServer, type IncomingMessage as HttpRequest, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { IncomingMessage } from "./limits.js";
import { parseTopicName } from "./names.js";
import type { FakePubsubState } from "./state.js";
import { Code, codeName, httpStatus, PubsubError } from "./status.js";
import type { TokenResponse } from "./token-endpoint.js";

export interface RestRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
}

export interface RestFakeOptions {
  readonly expectToken?: ((token: string) => boolean) | undefined;
  readonly tokenEndpoint?: ((form: URLSearchParams) => Promise<TokenResponse>) | undefined;
}

export interface RestFake {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  requests(): RestRequest[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const TOPIC_PATH = /^\/v1\/(projects\/[^/]+\/topics\/[^/:]+)(:publish)?$/;
const BASE64 = /^[A-Za-z0-9+/\-_]*={0,2}$/;
const MESSAGE_FIELDS = new Set([
  "data",
  "attributes",
  "orderingKey",
  "ordering_key",
  "messageId",
  "message_id",
  "publishTime",
  "publish_time",
]);

const UNAUTHENTICATED_MESSAGE =
  "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.";

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { "content-type": "application/json; charset=UTF-8", ...headers });
  res.end(JSON.stringify(body));
}

function sendError(res: ServerResponse, error: unknown, headers: Record<string, string> = {}) {
  const code = error instanceof PubsubError ? error.code : Code.INTERNAL;
  const message = error instanceof Error ? error.message : String(error);
  send(
    res,
    httpStatus(code),
    { error: { code: httpStatus(code), message, status: codeName(code) } },
    headers,
  );
}

function invalid(message: string): PubsubError {
  return new PubsubError(Code.INVALID_ARGUMENT, message);
}

async function readBody(req: HttpRequest): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw invalid("Request payload size exceeds the limit: 10485760 bytes.");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  if (text.trim() === "") return {};
  try {
    return JSON.parse(text);
  } catch {
    throw invalid("Invalid JSON payload received. Unexpected token.");
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Decodes a PublishRequest body as Google's JSON mapping would. */
export function decodePublishBody(body: unknown): IncomingMessage[] {
  if (!isObject(body)) throw invalid("Invalid JSON payload received. Expected an object.");
  for (const key of Object.keys(body)) {
    if (key !== "messages") {
      throw invalid(`Invalid JSON payload received. Unknown name "${key}": Cannot find field.`);
    }
  }
  const messages = body.messages ?? [];
  if (!Array.isArray(messages))
    throw invalid(`Invalid value at 'messages' (type.googleapis.com/google.pubsub.v1.PubsubMessage)`);
  return messages.map((m: unknown, i): IncomingMessage => {
    const at = `messages[${i}]`;
    if (!isObject(m))
      throw invalid(`Invalid value at '${at}' (type.googleapis.com/google.pubsub.v1.PubsubMessage)`);
    for (const key of Object.keys(m)) {
      if (!MESSAGE_FIELDS.has(key)) {
        throw invalid(`Invalid JSON payload received. Unknown name "${key}" at '${at}': Cannot find field.`);
      }
    }
    const data = m.data ?? "";
    if (typeof data !== "string" || !BASE64.test(data)) {
      throw invalid(
        `Invalid value at '${at}.data' (TYPE_BYTES), Base64 decoding failed for "${String(data)}"`,
      );
    }
    const attributes = m.attributes ?? {};
    if (!isObject(attributes))
      throw invalid(
        `Invalid value at '${at}.attributes' (type.googleapis.com/google.pubsub.v1.PubsubMessage.AttributesEntry)`,
      );
    for (const [key, value] of Object.entries(attributes)) {
      if (typeof value !== "string") {
        throw invalid(`Invalid value at '${at}.attributes[${key}]' (TYPE_STRING), ${JSON.stringify(value)}`);
      }
    }
    const orderingKey = m.orderingKey ?? m.ordering_key ?? "";
    if (typeof orderingKey !== "string") throw invalid(`Invalid value at '${at}.ordering_key' (TYPE_STRING)`);
    return {
      data: new Uint8Array(Buffer.from(data, "base64")),
      attributes: attributes as Record<string, string>,
      orderingKey,
    };
  });
}

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1];
}

export async function startRestFake(
  state: FakePubsubState,
  options: RestFakeOptions = {},
): Promise<RestFake> {
  const log: RestRequest[] = [];

  async function route(req: HttpRequest, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    const path = decodeURIComponent(new URL(req.url ?? "/", "http://fake").pathname);
    log.push({
      method,
      path,
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
    });
    const text = await readBody(req);

    if (path === "/token" && method === "POST" && options.tokenEndpoint) {
      const result = await options.tokenEndpoint(new URLSearchParams(text));
      return send(res, result.status, result.body);
    }
    const match = TOPIC_PATH.exec(path);
    const topic = match?.[1];
    if (!match || topic === undefined) {
      throw new PubsubError(Code.NOT_FOUND, `The requested URL ${path} was not found on this server.`);
    }
    if (options.expectToken) {
      const token = bearer(req.headers.authorization);
      if (token === undefined || !options.expectToken(token)) {
        return sendError(res, new PubsubError(Code.UNAUTHENTICATED, UNAUTHENTICATED_MESSAGE), {
          "www-authenticate": 'Bearer realm="https://accounts.google.com/"',
        });
      }
    }
    if (match[2] === ":publish" && method === "POST") {
      const messages = decodePublishBody(parseJson(text));
      return send(res, 200, { messageIds: state.publish("rest", topic, messages) });
    }
    if (!match[2] && method === "GET") {
      parseTopicName(topic);
      return send(res, 200, { name: state.getTopic(topic) });
    }
    if (!match[2] && method === "PUT") {
      parseTopicName(topic);
      return send(res, 200, { name: state.createTopic(topic) });
    }
    throw new PubsubError(Code.UNIMPLEMENTED, `Method ${method} ${path} is not implemented by the fake.`);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => sendError(res, error));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => [...log],
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
