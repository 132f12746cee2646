/**
 * The NATS target on Workers: publishes from workerd requests go through the
 * NatsConnectionObject Durable Object, which holds the connection (TCP over
 * `cloudflare:sockets`) to a real nats-server across requests.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import type { Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NatsOptions } from "../../adapters/nats/options.js";
import type { PublishOutcome } from "../../src/adapter/adapter.js";
import { describeAdapterContract } from "../adapters/contract.js";
import { natsContractSubject } from "../support/nats-contract-harness.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";
import { callWorker, natsInWorkerd, startNatsWorker } from "../support/workerd-nats.js";

const inWorkerd = async () => {
  const worker: Miniflare = await startNatsWorker();
  return {
    make: (options: Parameters<typeof natsInWorkerd>[1]) => natsInWorkerd(worker, options),
    dispose: () => worker.dispose(),
  };
};

describeAdapterContract(
  natsContractSubject("nats core through the Durable Object, binary mode", { mode: "binary" }, inWorkerd),
);
describeAdapterContract(
  natsContractSubject(
    "nats JetStream through the Durable Object",
    { jetstream: { stream: "CONTRACT" } },
    inWorkerd,
    async (nc) => {
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: "CONTRACT", subjects: ["contract.>"] });
    },
  ),
);

const event = (id: string) =>
  JSON.stringify({ specversion: "1.0", id, source: "/workers/test", type: "dev.ce-gateway.workers" });

interface Published {
  readonly outcomes: PublishOutcome[];
}

const publish = (worker: Miniflare, path: string, options: NatsOptions, ids: string[], budgetMs = 5_000) =>
  callWorker<Published>(worker, path, {
    options,
    budgetMs,
    messages: ids.map((id) => ({ event: event(id) })),
  });

const sequenceOf = (outcome: PublishOutcome | undefined) =>
  outcome?.status === "acked" ? Number(outcome.receipt.sequence) : Number.NaN;

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? Number.NaN;

describe("the NATS Durable Object in workerd", () => {
  let server: NatsServer;
  let worker: Miniflare;
  let options: NatsOptions;

  beforeAll(async () => {
    server = await startNatsServer();
    const nc = await connect({ servers: server.url });
    await (await jetstreamManager(nc)).streams.add({ name: "EVENTS", subjects: ["events.>"] });
    await nc.close();
    worker = await startNatsWorker();
    options = {
      url: server.url,
      subject: "events.in",
      jetstream: { stream: "EVENTS" },
      reconnectWaitMs: 100,
    };
  }, 60_000);

  afterAll(async () => {
    await worker?.dispose();
    await server?.dispose();
  });

  it("acks a JetStream publish with its stream and sequence, and a repeat of the same source and id as a duplicate", async () => {
    const [first] = (await publish(worker, "/publish", options, ["dedup-1"])).outcomes;
    expect(first).toMatchObject({ status: "acked", receipt: { stream: "EVENTS", duplicate: false } });
    const sequence = sequenceOf(first);
    expect(sequence).toBeGreaterThan(0);
    const [again] = (await publish(worker, "/publish", options, ["dedup-1"])).outcomes;
    expect(again).toMatchObject({
      status: "acked",
      receipt: { stream: "EVENTS", sequence, duplicate: true },
    });
  });

  it("serves many concurrent requests through the one connection the object holds", async () => {
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => publish(worker, "/publish", options, [`concurrent-${i}`])),
    );
    const outcomes = answers.flatMap((a) => a.outcomes);
    for (const outcome of outcomes)
      expect(outcome, JSON.stringify(outcome)).toMatchObject({ status: "acked" });
    const sequences = outcomes.map(sequenceOf);
    expect(new Set(sequences).size).toBe(40);
    const connz = (await (await fetch(`${server.monitorUrl}/connz`)).json()) as {
      connections: { name?: string }[];
    };
    expect(connz.connections.filter((c) => c.name === "ce-gateway")).toHaveLength(1);
  });

  it("gives retriable at once while the server is down, and acks again once it is back", async () => {
    await server.stop();
    try {
      await expect
        .poll(async () => (await callWorker<{ ready: boolean }>(worker, "/ready", { options })).ready, {
          timeout: 10_000,
        })
        .toBe(false);
      const started = performance.now();
      const [outcome] = (await publish(worker, "/publish", options, ["while-down"], 5_000)).outcomes;
      expect(outcome?.status).toBe("retriable");
      expect(performance.now() - started).toBeLessThan(1_000);
    } finally {
      await server.restart();
    }
    await expect
      .poll(async () => (await publish(worker, "/publish", options, ["after-restart"])).outcomes[0]?.status, {
        timeout: 15_000,
        interval: 200,
      })
      .toBe("acked");
  });

  it("answers retriable within the attempt's budget when the server stops answering", async () => {
    await server.pause();
    try {
      const started = performance.now();
      const [outcome] = (await publish(worker, "/publish", options, ["paused"], 800)).outcomes;
      expect(outcome?.status).toBe("retriable");
      expect(performance.now() - started).toBeLessThan(800 + 700);
    } finally {
      server.resume();
    }
  });

  it("refuses options that name files, naming the option", async () => {
    for (const [option, extra] of [
      ["creds", { creds: "/secrets/gateway.creds" }],
      ["tls", { tls: { ca: "/secrets/ca.pem" } }],
    ] as const) {
      const response = await worker.dispatchFetch("http://worker/publish", {
        method: "POST",
        body: JSON.stringify({ options: { ...options, ...extra }, messages: [] }),
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { refused: string }).refused).toContain(`option \`${option}\``);
    }
  });

  it("measures a publish through the object against a connection per request", async () => {
    const run = async (path: string, label: string, concurrency = 10, count = 200) => {
      const latencies: number[] = [];
      let next = 0;
      const lane = async () => {
        while (next < count) {
          const i = next++;
          const started = performance.now();
          if (path === "/describe") await callWorker(worker, path, { options });
          else {
            const [outcome] = (await publish(worker, path, options, [`${label}-${i}`])).outcomes;
            expect(outcome?.status).toBe("acked");
          }
          latencies.push(performance.now() - started);
        }
      };
      await Promise.all(Array.from({ length: concurrency }, lane));
      const sorted = latencies.sort((a, b) => a - b);
      return `median ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(sorted, 95).toFixed(1)} ms`;
    };
    // A request that publishes nothing: what dispatchFetch and the Worker cost by themselves.
    const baseline = await run("/describe", "baseline");
    const viaObject = await run("/publish", "via-object");
    const perRequest = await run("/publish-per-request", "per-request");
    console.log(
      `JetStream publish from outside workerd, 200 at concurrency 10: through the Durable Object ${viaObject}; ` +
        `connection per request ${perRequest}; a request that publishes nothing ${baseline}`,
    );
    const baselineAlone = await run("/describe", "baseline-alone", 1, 50);
    const viaObjectAlone = await run("/publish", "via-object-alone", 1, 50);
    const perRequestAlone = await run("/publish-per-request", "per-request-alone", 1, 50);
    console.log(
      `The same, 50 one at a time: through the Durable Object ${viaObjectAlone}; ` +
        `connection per request ${perRequestAlone}; a request that publishes nothing ${baselineAlone}`,
    );
  }, 120_000);
});

/** A CA and a certificate for 127.0.0.1 signed by it, made with openssl; undefined when openssl is missing. */
function testCertificates(): { dir: string; ca: string; cert: string; key: string } | undefined {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-tls-"));
  const run = (args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  try {
    run(
      ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem"].concat([
        "-days",
        "1",
        "-subj",
        "/CN=ce-gateway test CA",
      ]),
    );
    run(
      ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr"].concat([
        "-subj",
        "/CN=127.0.0.1",
      ]),
    );
    writeFileSync(join(dir, "san.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
    run(
      ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial"].concat([
        "-out",
        "server.pem",
        "-days",
        "1",
        "-extfile",
        "san.cnf",
      ]),
    );
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
  return { dir, ca: join(dir, "ca.pem"), cert: join(dir, "server.pem"), key: join(dir, "server.key") };
}

const certificates = testCertificates();

describe.skipIf(certificates === undefined)(
  "NATS over TLS from workerd (openssl makes the certificates)",
  () => {
    let server: NatsServer;
    const tls = certificates as NonNullable<typeof certificates>;

    beforeAll(async () => {
      server = await startNatsServer({
        extraConfig: `tls { cert_file: "${tls.cert}", key_file: "${tls.key}" }`,
      });
    }, 60_000);

    afterAll(async () => {
      await server?.dispose();
      rmSync(tls.dir, { recursive: true, force: true });
    });

    it("upgrades to TLS after the server's INFO when the server requires it, and publishes", async () => {
      const worker = await startNatsWorker([readFileSync(tls.ca, "utf8")]);
      const subscriber = await connect({ servers: server.url, tls: { caFile: tls.ca } });
      try {
        const received: string[] = [];
        subscriber.subscribe("secure.>", {
          callback: (_error, msg) => {
            received.push(msg.subject);
          },
        });
        await subscriber.flush();
        const options: NatsOptions = { url: server.url, subject: "secure.events" };
        const [outcome] = (await publish(worker, "/publish", options, ["over-tls"])).outcomes;
        expect(outcome).toMatchObject({ status: "acked" });
        await expect.poll(() => received).toEqual(["secure.events"]);
        const connz = (await (await fetch(`${server.monitorUrl}/connz`)).json()) as {
          connections: { name?: string; tls_version?: string }[];
        };
        const gateway = connz.connections.find((c) => c.name === "ce-gateway");
        expect(gateway?.tls_version).toMatch(/^1\.[23]$/);
      } finally {
        await subscriber.close();
        await worker.dispose();
      }
    });

    it("does not connect to a server whose certificate it cannot verify", async () => {
      const worker = await startNatsWorker();
      try {
        const options: NatsOptions = { url: server.url, subject: "secure.events", timeoutMs: 4_000 };
        const [outcome] = (await publish(worker, "/publish", options, ["untrusted"])).outcomes;
        expect(outcome).toMatchObject({ status: "retriable" });
        console.log(`untrusted certificate: ${(outcome as { reason: string }).reason}`);
      } finally {
        await worker.dispose();
      }
    });
  },
);
