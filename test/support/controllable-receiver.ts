/**
 * A local HTTP receiver whose behaviour a test changes while it runs: accept
 * (204), refuse (400), fail (503), or answer after a delay. It records every
 * request it answered and with what, so a test can count what a target
 * actually took (a 2xx) apart from what it only saw.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface Answer {
  readonly status: number;
  /** Wait this long before answering (a slow target). */
  readonly delayMs?: number;
  readonly headers?: Record<string, string>;
  readonly body?: string;
}

export const ACCEPT: Answer = { status: 204 };
export const REFUSE: Answer = { status: 400, body: "refused by the receiver" };
export const UNAVAILABLE: Answer = { status: 503, body: "receiver unavailable" };

export interface ReceivedEvent {
  readonly path: string;
  /** ce-* headers (binary mode), lower-case names. */
  readonly headers: Record<string, string>;
  readonly id: string | undefined;
  readonly source: string | undefined;
  readonly answeredWith: number;
}

export interface ControllableReceiver {
  readonly url: string;
  /** What the next requests are answered; may depend on the request. */
  behave(answer: Answer | ((request: ReceivedEvent) => Answer)): void;
  /** Every request answered, in the order answered. */
  readonly requests: readonly ReceivedEvent[];
  /** Requests answered with a 2xx: what the target took. */
  accepted(): ReceivedEvent[];
  close(): Promise<void>;
}

async function drain(request: IncomingMessage): Promise<void> {
  for await (const _ of request) {
    // The body is not needed; reading it lets the connection be reused.
  }
}

export async function startControllableReceiver(initial: Answer = ACCEPT): Promise<ControllableReceiver> {
  let behaviour: (request: ReceivedEvent) => Answer = () => initial;
  const requests: ReceivedEvent[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    await drain(request);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers))
      if (name.startsWith("ce-") && value !== undefined) headers[name] = String(value);
    const seen = {
      path: request.url ?? "/",
      headers,
      id: headers["ce-id"],
      source: headers["ce-source"] === undefined ? undefined : decodeURIComponent(headers["ce-source"]),
      answeredWith: 0,
    };
    const answer = behaviour(seen);
    const reply = () => {
      requests.push({ ...seen, answeredWith: answer.status });
      if (response.destroyed) return;
      response.writeHead(answer.status, answer.headers).end(answer.body);
    };
    if (answer.delayMs === undefined || answer.delayMs <= 0) reply();
    else {
      const timer = setTimeout(() => {
        timers.delete(timer);
        reply();
      }, answer.delayMs);
      timers.add(timer);
    }
  };

  const server: Server = createServer((request, response) => {
    void handle(request, response);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    behave(answer) {
      behaviour = typeof answer === "function" ? answer : () => answer;
    },
    requests,
    accepted: () => requests.filter((r) => r.answeredWith >= 200 && r.answeredWith < 300),
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
