/**
 * The Node server's request listener. POST /events, and POST to a source's
 * path, go from node:http straight into the pipeline as plain data
 * (IncomingRequest -> bytes -> GatewayReply -> one write); everything else
 * goes through the Hono app via @hono/node-server.
 *
 * Why not Hono for /events too: @hono/node-server builds a web `Request`
 * with a body stream, and the route a `Response`, for every request. At 50
 * connections that was about a fifth of the gateway's CPU per event; this
 * path skips both, and writes the reply as one string so headers and body
 * leave in one socket write.
 */
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { getRequestListener } from "@hono/node-server";
import type { HeaderReader, IngressRequest } from "../../decode/ingress-request.js";
import { GatewayError, payloadTooLarge } from "../../errors/errors.js";
import { asGatewayError, problemReply } from "../../errors/problem-response.js";
import type { Gateway } from "../../http/create-gateway.js";
import type { GatewayReply } from "../../respond/reply.js";
import { onConnectionClose } from "./connection-close.js";

/** How long a body the gateway stopped reading (413) may keep arriving before the connection is closed. */
const UNREAD_BODY_GRACE_MS = 500;

const noop = () => {};

const isEventsPath = (url: string | undefined) => url === "/events" || url?.startsWith("/events?") === true;

/** node:http's header object (names already lowercase) read like `Headers`. */
class NodeHeaders implements HeaderReader {
  readonly #raw: IncomingHttpHeaders;
  constructor(raw: IncomingHttpHeaders) {
    this.#raw = raw;
  }
  get(name: string): string | null {
    const value = this.#raw[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(", ") : value;
  }
  /** In name order, as `Headers` iterates: binary-mode extensions come out the same on every runtime. */
  forEach(callback: (value: string, name: string) => void): void {
    for (const name of Object.keys(this.#raw).sort()) {
      const value = this.get(name);
      if (value !== null) callback(value, name);
    }
  }
}

function bodyIncomplete(cause?: unknown): GatewayError {
  return new GatewayError("body-incomplete", "The request body could not be read to its end", { cause });
}

/** The body's chunks, stopped at `maxBytes` (413) without buffering the rest. */
function readBody(request: IncomingMessage, maxBytes: number): Promise<Uint8Array> {
  const declared = request.headers["content-length"];
  if (declared !== undefined && Number(declared) > maxBytes) return Promise.reject(payloadTooLarge(maxBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const stop = () => {
      request.off("data", onData);
      request.off("end", onEnd);
      request.off("error", onError);
      request.off("close", onClose);
    };
    const onData = (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        stop();
        reject(payloadTooLarge(maxBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
      // A plain view of the same bytes (no copy): a Buffer's subarrays are Buffers, which
      // stringify and compare differently from the Uint8Array every other runtime gives.
      resolve(new Uint8Array(body.buffer, body.byteOffset, body.byteLength));
    };
    const onError = (error: Error) => {
      stop();
      reject(bodyIncomplete(error));
    };
    const onClose = () => {
      stop();
      reject(bodyIncomplete());
    };
    request.on("data", onData);
    request.on("end", onEnd);
    request.on("error", onError);
    request.on("close", onClose);
  });
}

/** A class, not an object literal: a literal with a getter took V8's slow object-creation path. */
class NodeIngress implements IngressRequest {
  readonly headers: NodeHeaders;
  readonly #request: IncomingMessage;
  readonly #response: ServerResponse;
  #controller: AbortController | undefined;

  constructor(request: IncomingMessage, response: ServerResponse) {
    this.headers = new NodeHeaders(request.headers);
    this.#request = request;
    this.#response = response;
  }

  /** Only the path and query matter to the pipeline (sources read the query). */
  get url(): string {
    return `http://gateway${this.#request.url ?? "/"}`;
  }

  readBody(maxBytes: number): Promise<Uint8Array> {
    return readBody(this.#request, maxBytes);
  }

  /**
   * Made on first use: most requests never wait on it (an AbortController and
   * a listener per request are not free at thousands of requests per second).
   */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const made = new AbortController();
      this.#controller = made;
      const response = this.#response;
      if (response.writableFinished) return made.signal;
      if (response.destroyed) {
        made.abort();
        return made.signal;
      }
      // The client is gone when the response closes unwritten, or when the connection closes
      // first: a pipelined response queued behind another never closes of its own.
      let forget = noop;
      const gone = () => {
        response.off("close", gone);
        forget();
        if (!response.writableFinished) made.abort();
      };
      response.on("close", gone);
      forget = onConnectionClose(this.#request.socket, gone);
    }
    return this.#controller.signal;
  }
}

export function writeReply(request: IncomingMessage, response: ServerResponse, reply: GatewayReply): void {
  if (response.destroyed || response.headersSent) return;
  const unread = !request.complete;
  // A body the gateway refused to read (413) is not drained on a kept-alive connection:
  // it may be endless. The client gets the reply, a short grace, then the connection ends.
  response.writeHead(reply.status, unread ? { ...reply.headers, connection: "close" } : reply.headers);
  response.end(reply.body);
  if (unread) {
    response.once("finish", () => {
      const timer = setTimeout(() => request.socket.destroy(), UNREAD_BODY_GRACE_MS);
      timer.unref();
      request.once("end", () => clearTimeout(timer));
      request.resume();
    });
  }
}

/** The request's path without its query, percent-escapes decoded as the Hono app decodes them. */
function pathOf(url: string): string {
  const query = url.indexOf("?");
  const path = query === -1 ? url : url.slice(0, query);
  if (!path.includes("%")) return path;
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}

/** The gateway's listener for node:http: the fast path for POST /events and sources' paths, the Hono app for the rest. */
export function gatewayListener(gateway: Gateway): RequestListener {
  const app = getRequestListener(gateway.fetch);
  return (request, response) => {
    if (request.method !== "POST") {
      void app(request, response);
      return;
    }
    let pending: Promise<GatewayReply> | undefined;
    if (isEventsPath(request.url)) pending = gateway.handleEvents(new NodeIngress(request, response));
    else pending = gateway.handleSource(pathOf(request.url ?? "/"), new NodeIngress(request, response));
    if (pending === undefined) {
      void app(request, response);
      return;
    }
    pending.then(
      (reply) => writeReply(request, response, reply),
      (thrown: unknown) => writeReply(request, response, problemReply(asGatewayError(thrown))),
    );
  };
}
