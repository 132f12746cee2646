/**
 * A local HTTP server that receives CloudEvents and records them, decoding
 * each request with a decoder the test chooses (the gateway's own, or the
 * `cloudevents` SDK's). Paths starting with /refuse answer 400, /busy 503
 * with Retry-After.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Uint8Array;
}

export interface HttpReceiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

async function bodyOf(request: IncomingMessage): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export async function startHttpReceiver(): Promise<HttpReceiver> {
  const requests: ReceivedRequest[] = [];
  const server: Server = createServer(async (request, response) => {
    const body = await bodyOf(request);
    const path = request.url ?? "/";
    const headers = Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)]));
    if (path.startsWith("/refuse")) {
      response.writeHead(400, { "content-type": "text/plain" }).end("refused by the receiver");
      return;
    }
    if (path.startsWith("/busy")) {
      response.writeHead(503, { "retry-after": "7" }).end();
      return;
    }
    requests.push({ path, headers, body });
    response.writeHead(204).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
