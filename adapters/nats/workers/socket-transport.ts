/**
 * A NATS client transport over workerd's TCP sockets (`cloudflare:sockets`).
 * The socket opens in "starttls" mode: plain TCP, upgraded with startTls()
 * after the server's INFO when the server requires TLS (or offers it and the
 * options do not refuse it), as the NATS protocol negotiates it. Bytes read
 * are queued and handed to the client through the async iterator it reads.
 *
 * workerd ties a socket to the request (or Durable Object) that opened it:
 * a connection built on this transport must stay inside one Durable Object.
 *
 * TLS limits of workerd: the server's certificate is verified against the
 * runtime's trusted CAs for the host name the socket was opened with (there
 * is no per-connection CA and no client certificate), and a failed handshake
 * shows only on the first read, after connect() returned: the client then
 * waits for its connect timeout, and the cause is the close error set here.
 */
import { connect, type Socket } from "cloudflare:sockets";
import {
  type ConnectionOptions,
  checkOptions,
  DataBuffer,
  type Deferred,
  deferred,
  errors,
  extractProtocolMessage,
  INFO,
  type Server,
  type ServerInfo,
  type Transport,
} from "@nats-io/nats-core/internal";

type Reader = ReadableStreamDefaultReader<Uint8Array>;
type Writer = WritableStreamDefaultWriter<Uint8Array>;

const asConnectionError = (error: unknown): Error =>
  error instanceof errors.ConnectionError
    ? error
    : new errors.ConnectionError(error instanceof Error ? error.message : String(error), { cause: error });

export class SocketTransport implements Transport {
  readonly lang = "nats.js";
  readonly version = "workerd-sockets";
  closeError?: Error;
  #socket: Socket | undefined;
  #reader: Reader | undefined;
  #writer: Writer | undefined;
  #yields: Uint8Array[] = [];
  #signal: Deferred<void> = deferred();
  readonly #closedNotification: Deferred<undefined | Error> = deferred();
  #connected = false;
  #done = false;
  #encrypted = false;

  async connect(server: Server, options: ConnectionOptions): Promise<void> {
    try {
      this.#socket = connect(
        { hostname: server.hostname, port: server.port },
        { secureTransport: "starttls" },
      );
      await this.#socket.opened;
      this.#reader = this.#socket.readable.getReader();
      this.#writer = this.#socket.writable.getWriter();
      const info = await this.#peekInfo(this.#reader);
      checkOptions(info, options);
      const wanted = info.tls_available === true && options.tls !== null;
      if (info.tls_required === true || wanted) await this.#startTls();
      if (this.#done) throw new errors.ConnectionError("the connection was discarded while connecting");
      this.#connected = true;
      void this.#readLoop(this.#reader);
    } catch (error) {
      this.#socket?.close().catch(() => {});
      throw asConnectionError(error);
    }
  }

  /** Reads until the server's INFO line; the bytes stay queued for the client, which parses INFO itself. */
  async #peekInfo(reader: Reader): Promise<ServerInfo> {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new errors.ConnectionError("the server closed the connection before its INFO");
      this.#yields.push(value);
      const line = extractProtocolMessage(DataBuffer.concat(...this.#yields));
      if (line === "") continue;
      const match = INFO.exec(line);
      if (match === null) throw new errors.ConnectionError("unexpected response from server");
      return JSON.parse(match[1] as string) as ServerInfo;
    }
  }

  async #startTls(): Promise<void> {
    const plain = this.#socket as Socket;
    // startTls() needs the plain socket's streams unlocked; it verifies the host name connect() was given.
    this.#reader?.releaseLock();
    this.#writer?.releaseLock();
    const secure = plain.startTls();
    this.#socket = secure;
    await secure.opened;
    this.#reader = secure.readable.getReader();
    this.#writer = secure.writable.getWriter();
    this.#encrypted = true;
  }

  async #readLoop(reader: Reader): Promise<void> {
    let received = 0;
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        if (value.length === 0) continue;
        received += value.length;
        this.#yields.push(value);
        this.#signal.resolve();
      }
      const handshakeFailed = this.#encrypted && received === 0;
      await this.#closed(
        handshakeFailed
          ? new errors.ConnectionError(
              "the TLS handshake failed: is the server's certificate valid for its host name and issued by a CA the Workers runtime trusts?",
            )
          : undefined,
        false,
      );
    } catch (error) {
      await this.#closed(asConnectionError(error), false);
    }
  }

  get isClosed(): boolean {
    return this.#done;
  }

  isEncrypted(): boolean {
    return this.#encrypted;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<Uint8Array> {
    return this.#iterate();
  }

  async *#iterate(): AsyncIterableIterator<Uint8Array> {
    for (;;) {
      if (this.#yields.length === 0) {
        if (this.#done) return;
        await this.#signal;
      }
      const batch = this.#yields;
      this.#yields = [];
      yield* batch;
      if (this.#done && this.#yields.length === 0) return;
      if (this.#yields.length === 0) this.#signal = deferred();
    }
  }

  send(frame: Uint8Array): void {
    if (this.#done || this.#writer === undefined) return;
    // A failed write is noticed by the client as a closed read or a missed PONG.
    this.#writer.write(frame).catch(() => {});
  }

  close(error?: Error): Promise<void> {
    return this.#closed(error, false);
  }

  disconnect(): void {
    void this.#closed(undefined, true);
  }

  closed(): Promise<undefined | Error> {
    return this.#closedNotification;
  }

  discard(): void {
    this.#done = true;
    this.#socket?.close().catch(() => {});
  }

  async #closed(error: Error | undefined, flush: boolean): Promise<void> {
    if (!this.#connected) return;
    if (this.#done) {
      this.#socket?.close().catch(() => {});
      return;
    }
    this.closeError = error;
    this.#done = true;
    if (flush && error === undefined) await this.#writer?.ready.catch(() => {});
    await this.#socket?.close().catch(() => {});
    this.#signal.resolve();
    this.#closedNotification.resolve(error);
  }
}
