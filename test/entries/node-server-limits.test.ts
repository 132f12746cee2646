/**
 * The Node server's own limits, on a real `ce-gateway serve` spoken to over
 * raw sockets: header count and size (431), a body that trickles (408), the
 * connection and in-flight limits (503 overloaded at once, never a queue),
 * each answered with problem+json; and plain keep-alive still works.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { type AddressInfo, connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type RunningCli, startCli } from "../support/cli-process.js";

const running: RunningCli[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  await Promise.all(running.splice(0).map((cli) => cli.stop("SIGKILL")));
});

async function serve(yaml: string): Promise<{ host: string; port: number }> {
  const file = join(mkdtempSync(join(tmpdir(), "ce-gateway-limits-")), "gateway.yaml");
  writeFileSync(file, yaml);
  const cli = await startCli(["serve", "--config", file, "--port", "0"]);
  running.push(cli);
  const url = new URL(cli.url);
  return { host: url.hostname, port: Number(url.port) };
}

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * Parses the first complete HTTP response in `text` (a Content-Length or a
 * chunked body): the response and how many characters it took, or undefined
 * while it is incomplete. The tests' bodies are ASCII, so characters are bytes.
 */
function parseResponse(text: string): { response: RawResponse; length: number } | undefined {
  const end = text.indexOf("\r\n\r\n");
  if (end === -1) return undefined;
  const [statusLine, ...lines] = text.slice(0, end).split("\r\n");
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const status = Number(statusLine?.split(" ")[1]);
  let pos = end + 4;
  if (headers["transfer-encoding"] === "chunked") {
    let body = "";
    for (;;) {
      const lineEnd = text.indexOf("\r\n", pos);
      if (lineEnd === -1) return undefined;
      const size = Number.parseInt(text.slice(pos, lineEnd), 16);
      if (text.length < lineEnd + 2 + size + 2) return undefined;
      body += text.slice(lineEnd + 2, lineEnd + 2 + size);
      pos = lineEnd + 2 + size + 2;
      if (size === 0) return { response: { status, headers, body }, length: pos };
    }
  }
  const length = Number(headers["content-length"] ?? 0);
  if (text.length < pos + length) return undefined;
  return { response: { status, headers, body: text.slice(pos, pos + length) }, length: pos + length };
}

/** A raw connection that reads one response at a time and reports when the server closes it. */
class RawClient {
  #received = "";
  readonly closed: Promise<void>;
  readonly socket: Socket;
  #waiters: (() => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.#received += chunk.toString("utf8");
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) => socket.on("close", () => resolve()));
    cleanups.push(() => socket.destroy());
  }

  static open(target: { host: string; port: number }): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(target.port, target.host, () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  /** The next response; fails if the connection closes first. */
  async response(): Promise<RawResponse> {
    for (;;) {
      const parsed = parseResponse(this.#received);
      if (parsed !== undefined) {
        this.#received = this.#received.slice(parsed.length);
        return parsed.response;
      }
      if (this.socket.destroyed || this.socket.readableEnded) {
        throw new Error(`the connection closed before a response: ${JSON.stringify(this.#received)}`);
      }
      await new Promise<void>((resolve) => {
        this.#waiters.push(resolve);
        this.socket.once("close", resolve);
      });
    }
  }
}

const problemOf = (response: RawResponse) => {
  expect(response.headers["content-type"]).toBe("application/problem+json");
  return JSON.parse(response.body) as { code: string; status: number; detail: string };
};

const EVENT = '{"specversion":"1.0","id":"e1","source":"/s","type":"t"}';
const postEvent = (extraHeaders = "", body = EVENT) =>
  `POST /events HTTP/1.1\r\nHost: gateway\r\ncontent-type: application/cloudevents+json\r\n${extraHeaders}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
const headerLines = (count: number) =>
  Array.from({ length: count }, (_, i) => `x-filler-${i}: ${i}\r\n`).join("");

describe("headers, body timeout and keep-alive", () => {
  const CONFIG =
    "version: 1\nserver: { bodyTimeoutMs: 1000 }\ntargets: { out: { type: stdout } }\nroutes: [{ name: all, to: [out] }]\n";

  it("answers 431 headers-too-large to 101 header fields, and serves 100", async () => {
    const gateway = await serve(CONFIG);
    // Host, content-type and content-length are three of them.
    const atLimit = await RawClient.open(gateway);
    atLimit.socket.write(postEvent(headerLines(97)));
    expect((await atLimit.response()).status).toBe(202);

    const over = await RawClient.open(gateway);
    over.socket.write(postEvent(headerLines(98)));
    const response = await over.response();
    expect(response.status).toBe(431);
    expect(problemOf(response)).toMatchObject({ code: "headers-too-large", status: 431 });
    expect(problemOf(response).detail).toContain("server.maxHeaderCount");
    expect(response.headers.connection).toBe("close");
    await over.closed;
  });

  it("answers 431 problem+json to a 20 KiB header and closes the connection", async () => {
    const gateway = await serve(CONFIG);
    const client = await RawClient.open(gateway);
    client.socket.write(postEvent(`x-big: ${"a".repeat(20 * 1024)}\r\n`));
    const response = await client.response();
    expect(response.status).toBe(431);
    expect(problemOf(response)).toMatchObject({ code: "headers-too-large", status: 431 });
    expect(response.headers.connection).toBe("close");
    await client.closed;
  });

  it("answers 408 request-timeout to a body that trickles past bodyTimeoutMs, with Connection: close", async () => {
    const gateway = await serve(CONFIG);
    const client = await RawClient.open(gateway);
    client.socket.write(
      "POST /events HTTP/1.1\r\nHost: gateway\r\ncontent-type: application/cloudevents+json\r\ncontent-length: 1000\r\n\r\n{",
    );
    // One byte at a time, never the whole body, until the gateway gives up.
    const trickle = setInterval(() => {
      if (!client.socket.destroyed) client.socket.write(" ");
    }, 100);
    cleanups.push(() => clearInterval(trickle));
    const response = await client.response();
    clearInterval(trickle);
    expect(response.status).toBe(408);
    expect(problemOf(response)).toMatchObject({ code: "request-timeout", status: 408 });
    expect(response.headers.connection).toBe("close");
    await client.closed;
  });

  it("keeps a connection alive across requests, and still answers 400 to malformed HTTP", async () => {
    const gateway = await serve(CONFIG);
    const client = await RawClient.open(gateway);
    for (let i = 0; i < 3; i++) {
      client.socket.write(postEvent());
      const response = await client.response();
      expect(response.status).toBe(202);
      expect(response.headers.connection).toBe("keep-alive");
    }
    client.socket.write("GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n");
    expect((await client.response()).status).toBe(200);
    expect(client.socket.destroyed).toBe(false);

    const malformed = await RawClient.open(gateway);
    malformed.socket.write("NOT HTTP AT ALL\r\n\r\n");
    expect((await malformed.response()).status).toBe(400);
    await malformed.closed;
  });
});

/** An HTTP receiver that holds every request until released. */
async function heldReceiver() {
  const held: ServerResponse[] = [];
  let abandoned = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => held.push(response));
    response.on("close", () => {
      if (!response.writableFinished) abandoned++;
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    held: () => held.length,
    /** Requests whose sender closed the connection before they were answered. */
    abandoned: () => abandoned,
    release: () => {
      for (const response of held.splice(0)) response.writeHead(204).end();
    },
  };
}

describe("in-flight requests and connections", () => {
  it("answers 503 overloaded with Retry-After at once when maxInFlight requests are held at a slow target", async () => {
    const receiver = await heldReceiver();
    const gateway = await serve(
      `version: 1\nserver: { maxInFlight: 2 }\ntargets: { slow: { type: http, url: "${receiver.url}/in" } }\nroutes: [{ name: all, to: [slow] }]\n`,
    );
    const first = await RawClient.open(gateway);
    const second = await RawClient.open(gateway);
    first.socket.write(postEvent());
    second.socket.write(postEvent());
    await expect.poll(() => receiver.held(), { timeout: 10_000 }).toBe(2);

    const third = await RawClient.open(gateway);
    third.socket.write(postEvent());
    // Answered while the other two are still held: it did not wait for them.
    const refused = await third.response();
    expect(receiver.held()).toBe(2);
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(problemOf(refused)).toMatchObject({ code: "overloaded", status: 503 });
    expect(problemOf(refused).detail).toContain("server.maxInFlight");

    receiver.release();
    expect((await first.response()).status).toBe(202);
    expect((await second.response()).status).toBe(202);
    // Its body was left unread, so that connection ends; a new one has room again.
    await third.closed;
    const fourth = await RawClient.open(gateway);
    fourth.socket.write(postEvent());
    await expect.poll(() => receiver.held(), { timeout: 10_000 }).toBe(1);
    receiver.release();
    expect((await fourth.response()).status).toBe(202);
  });

  it("gives back the in-flight slots of pipelined requests whose client closed the connection, and abandons them", async () => {
    const receiver = await heldReceiver();
    const gateway = await serve(
      `version: 1\nserver: { maxInFlight: 4 }\ntargets: { slow: { type: http, url: "${receiver.url}/in" } }\nroutes: [{ name: all, to: [slow] }]\n`,
    );
    // 20 requests pipelined in one write: four take every slot and are held at the target (the
    // other 16 are refused); the responses of three of them wait behind the first one's.
    const attacker = await RawClient.open(gateway);
    attacker.socket.write(postEvent().repeat(20));
    await expect.poll(() => receiver.held(), { timeout: 10_000 }).toBe(4);
    // The client leaves; the queued responses never get the socket.
    attacker.socket.destroy();
    // Their deliveries are abandoned, not only the first one's.
    await expect.poll(() => receiver.abandoned(), { timeout: 10_000 }).toBe(4);
    receiver.release();

    // All four slots are free again: four requests at once are all admitted and answered 202.
    const clients = await Promise.all(Array.from({ length: 4 }, () => RawClient.open(gateway)));
    for (const client of clients) client.socket.write(postEvent());
    await expect.poll(() => receiver.held(), { timeout: 10_000 }).toBe(4);
    receiver.release();
    for (const client of clients) expect((await client.response()).status).toBe(202);
  });

  it("answers 503 overloaded to a connection beyond maxConnections and closes it, then takes new ones again", async () => {
    const gateway = await serve(
      "version: 1\nserver: { maxConnections: 2 }\ntargets: { out: { type: stdout } }\nroutes: [{ name: all, to: [out] }]\n",
    );
    const open: RawClient[] = [];
    for (let i = 0; i < 2; i++) {
      const client = await RawClient.open(gateway);
      client.socket.write(postEvent());
      expect((await client.response()).status).toBe(202);
      open.push(client);
    }
    const extra = await RawClient.open(gateway);
    extra.socket.write(postEvent());
    const refused = await extra.response();
    expect(refused.status).toBe(503);
    expect(refused.headers["retry-after"]).toBe("1");
    expect(refused.headers.connection).toBe("close");
    expect(problemOf(refused)).toMatchObject({ code: "overloaded" });
    expect(problemOf(refused).detail).toContain("server.maxConnections");
    await extra.closed;
    // The kept connections still work.
    open[0]?.socket.write(postEvent());
    expect((await open[0]?.response())?.status).toBe(202);

    open[1]?.socket.destroy();
    await expect
      .poll(
        async () => {
          const again = await RawClient.open(gateway);
          again.socket.write(postEvent());
          const status = (await again.response()).status;
          again.socket.destroy();
          return status;
        },
        { timeout: 10_000 },
      )
      .toBe(202);
  });
});
