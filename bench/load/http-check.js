/**
 * One-off HTTP requests from the harness: waiting for /healthz and a probe
 * request before the load starts. `agent: false` closes each connection, so
 * no idle socket of the harness stays open on the server under test.
 */
import { request } from "node:http";
import { createServer } from "node:net";

/** A port that was free a moment ago (the server under test binds it next). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
}

/**
 * @param {string} url
 * @param {{ method?: string, headers?: Record<string, string>, body?: string }} [init]
 * @returns {Promise<{ status: number, body: string }>}
 */
export function send(url, init = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: init.method ?? "GET", headers: init.headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.setTimeout(10_000, () => req.destroy(new Error(`no answer from ${url} in 10 s`)));
    req.once("error", reject);
    req.end(init.body);
  });
}

/**
 * Polls `<base>/healthz` until it answers 200; fails early when the process exits.
 * @param {string} base
 * @param {{ child: import("node:child_process").ChildProcess, output: { text: string } }} handle
 */
export async function waitHealthy(base, handle, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (handle.child.exitCode !== null || handle.child.signalCode !== null)
      throw new Error(`the server exited before it was healthy:\n${handle.output.text.slice(-2000)}`);
    try {
      if ((await send(`${base}/healthz`)).status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`no 200 from ${base}/healthz in ${timeoutMs} ms:\n${handle.output.text.slice(-2000)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
