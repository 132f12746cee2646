/**
 * A target that leaks: it refuses every request with 400 and echoes the
 * request's URL and headers in the body, as a careless upstream might. The
 * gateway quotes a refusal's body in its logs and problems, so whatever
 * secret the gateway sent the target (a key header, a `?code=`) comes back
 * in free text, which only redaction by value can catch.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface EchoReceiver {
  readonly url: string;
  /** How many requests it refused. */
  count(): number;
  close(): Promise<void>;
}

export async function startEchoReceiver(): Promise<EchoReceiver> {
  let count = 0;
  const server = createServer((request, response) => {
    count++;
    request.resume();
    const echo = `refused ${request.url} with ${JSON.stringify(request.headers)}`;
    response.writeHead(400, { "content-type": "text/plain" }).end(echo);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => count,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
