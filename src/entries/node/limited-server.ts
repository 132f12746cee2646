/**
 * A node:http server that holds requests to the gateway's limits and answers
 * each breach with problem+json, before the request reaches the gateway:
 *
 * - headers over maxHeaderBytes: node:http's parser stops (HPE_HEADER_OVERFLOW)
 *   and `clientError` writes 431 to the socket;
 * - more than maxHeaderCount fields: counted here (node:http's own
 *   maxHeadersCount drops the extra fields silently), 431;
 * - headers and body not all in by bodyTimeoutMs: node:http's requestTimeout
 *   (ERR_HTTP_REQUEST_TIMEOUT), 408 with Connection: close;
 * - more than maxConnections open: counted here, 503 overloaded on the
 *   connection's request, then closed (node:http's maxConnections would
 *   close it without a word);
 * - more than maxInFlight requests being handled: 503 overloaded with
 *   Retry-After at once; nothing queues.
 *
 * Every other client error keeps node:http's own handling (see onClientError).
 */
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  STATUS_CODES,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import { GatewayError } from "../../errors/errors.js";
import { problemReply } from "../../errors/problem-response.js";
import { onConnectionClose } from "./connection-close.js";
import { writeReply } from "./events-listener.js";
import type { NodeServerLimits } from "./server-limits.js";

/** What an overloaded gateway asks clients to wait, in ms (Retry-After is whole seconds). */
const OVERLOADED_RETRY_AFTER_MS = 1000;
/** A refused connection that sends no request is closed after this long. */
const REFUSED_CONNECTION_IDLE_MS = 5000;

const noop = () => {};

const overloaded = (what: string) =>
  new GatewayError("overloaded", what, { retryAfterMs: OVERLOADED_RETRY_AFTER_MS });

/** A problem written straight to the socket, for errors node:http reports before there is a response object. */
function rawProblem(error: GatewayError): string {
  const reply = problemReply(error);
  const headers = {
    ...reply.headers,
    connection: "close",
    "content-length": String(Buffer.byteLength(reply.body)),
  };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? ""}\r\n${lines.join("")}\r\n${reply.body}`;
}

/** The in-flight response node:http keeps on the socket (undocumented but stable, and what its own default reads). */
type HttpSocket = Socket & { _httpMessage?: { headersSent?: boolean } | null };

function ownError(code: string | undefined, limits: NodeServerLimits): GatewayError | undefined {
  if (code === "HPE_HEADER_OVERFLOW") {
    return new GatewayError(
      "headers-too-large",
      `The request line and headers exceed ${limits.maxHeaderBytes} bytes (server.maxHeaderBytes)`,
    );
  }
  if (code === "ERR_HTTP_REQUEST_TIMEOUT") {
    return new GatewayError(
      "request-timeout",
      `The request's headers and body did not arrive within ${limits.bodyTimeoutMs} ms (server.bodyTimeoutMs)`,
    );
  }
  return undefined;
}

/**
 * With a `clientError` listener node:http does none of its own handling, so
 * for the errors this does not answer itself it does what node:http does by
 * default: a bare 400 (413 for oversized chunk extensions) when nothing of
 * a response has been written, then destroy the socket (a body cut short, a
 * reset, malformed HTTP).
 */
function onClientError(limits: NodeServerLimits, observer: LimitsObserver | undefined) {
  return (error: Error & { code?: string }, socket: HttpSocket) => {
    const inFlight = socket._httpMessage;
    const canAnswer =
      socket.writable && (inFlight === undefined || inFlight === null || !inFlight.headersSent);
    const own = ownError(error.code, limits);
    if (canAnswer) {
      if (own !== undefined) {
        observer?.refusedAtListener(own);
        socket.end(rawProblem(own));
        // Ended, not destroyed at once: the client may still be sending, and a reset could
        // discard the answer before it reads it.
        setTimeout(() => socket.destroy(), REFUSED_CONNECTION_IDLE_MS).unref();
        return;
      }
      socket.write(
        error.code === "HPE_CHUNK_EXTENSIONS_OVERFLOW"
          ? "HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n"
          : "HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n",
      );
    }
    socket.destroy(error);
  };
}

/** A certificate and its key (PEM): the server speaks https. */
export interface ServerTls {
  readonly cert: string | Buffer;
  readonly key: string | Buffer;
}

/** Hears what the limits do, for metrics: the requests refused here never reach the gateway's reports. */
export interface LimitsObserver {
  /** A request refused by a limit (431 headers-too-large, 408 request-timeout, 503 overloaded). */
  refusedAtListener(error: GatewayError): void;
  /** Called once: reads the requests being handled now (within maxInFlight). */
  watchRequestsInFlight(read: () => number): void;
}

export function createLimitedServer(
  listener: RequestListener,
  limits: NodeServerLimits,
  tls?: ServerTls,
  observer?: LimitsObserver,
): Server {
  const refused = new WeakSet<Socket>();
  const options = {
    maxHeaderSize: limits.maxHeaderBytes,
    requestTimeout: limits.bodyTimeoutMs,
    // node:http refuses a headers timeout longer than the request timeout.
    headersTimeout: Math.min(60_000, limits.bodyTimeoutMs),
    // How often node:http looks for requests past their timeout (default 30 s).
    connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(limits.bodyTimeoutMs / 4))),
  };
  const limited = limitedListener(listener, limits, refused, observer);
  // node:https's server is node:http's over TLS: the same options, events and limits.
  const server: Server =
    tls === undefined
      ? createServer(options, limited)
      : (createHttpsServer({ ...options, cert: tls.cert, key: tls.key }, limited) as unknown as Server);
  // One more than the limit, so that a request over it still shows one field too many.
  server.maxHeadersCount = limits.maxHeaderCount + 1;
  server.on("clientError", onClientError(limits, observer));
  let open = 0;
  // Over TLS, a request's socket is the TLS socket, which the server announces once the handshake is done.
  server.on(tls === undefined ? "connection" : "secureConnection", (socket: Socket) => {
    if (open >= limits.maxConnections) {
      refused.add(socket);
      socket.setTimeout(REFUSED_CONNECTION_IDLE_MS, () => socket.destroy());
      return;
    }
    open++;
    socket.once("close", () => {
      open--;
    });
  });
  return server;
}

function limitedListener(
  listener: RequestListener,
  limits: NodeServerLimits,
  refused: WeakSet<Socket>,
  observer: LimitsObserver | undefined,
): RequestListener {
  let inFlight = 0;
  observer?.watchRequestsInFlight(() => inFlight);
  return (request: IncomingMessage, response) => {
    const refuse = (error: GatewayError, close: boolean) => {
      observer?.refusedAtListener(error);
      const reply = problemReply(error);
      // writeReply closes the connection itself when the body was left unread.
      writeReply(
        request,
        response,
        close ? { ...reply, headers: { ...reply.headers, connection: "close" } } : reply,
      );
    };
    if (request.rawHeaders.length / 2 > limits.maxHeaderCount) {
      refuse(
        new GatewayError(
          "headers-too-large",
          `The request has more than ${limits.maxHeaderCount} header fields (server.maxHeaderCount)`,
        ),
        true,
      );
      return;
    }
    if (refused.has(request.socket)) {
      refuse(
        overloaded(`The gateway has ${limits.maxConnections} connections open (server.maxConnections)`),
        true,
      );
      return;
    }
    if (inFlight >= limits.maxInFlight) {
      refuse(
        overloaded(`The gateway is handling ${limits.maxInFlight} requests (server.maxInFlight)`),
        false,
      );
      return;
    }
    inFlight++;
    // Given back once, on whichever comes first: the response written (`finish`), the response
    // closed, or the connection closed (a pipelined response queued behind another never emits
    // either of its own when the client leaves).
    let held = true;
    let forget = noop;
    const giveBack = () => {
      if (!held) return;
      held = false;
      inFlight--;
      response.off("finish", giveBack);
      response.off("close", giveBack);
      forget();
    };
    response.on("finish", giveBack);
    response.on("close", giveBack);
    forget = onConnectionClose(request.socket, giveBack);
    listener(request, response);
  };
}
