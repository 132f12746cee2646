/**
 * Dead letters taken and replayed: an HTTP target refuses (400) and its
 * route's dead letter, a JetStream nats target, takes each event with why
 * and when as `deadletter*` extensions; the producer is told 202 with the
 * event listed as dead-lettered. Once the receiver accepts, the dead letters
 * are replayed, some through `ce-gateway deadletter replay`, the rest through
 * the admin listener: the receiver gets each event once, without the
 * extensions, and the stream is left empty.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { freePort, runCli } from "../support/cli-process.js";
import {
  ACCEPT,
  type ControllableReceiver,
  REFUSE,
  startControllableReceiver,
} from "../support/controllable-receiver.js";
import { deadLetterConfig } from "../support/dead-letter-config.js";
import { endAfterEach, type FaultGateway, startGateway } from "../support/fault-gateway.js";
import { createStream, readStream } from "../support/jetstream-stream.js";
import { postEvent, reportCounts } from "../support/load-driver.js";
import { type NatsServer, startNatsServer } from "../support/nats-server.js";

const STREAM = "DEADLETTERS";
const ADMIN_TOKEN = "fault-test-admin-token-0123456789";
const EVENTS = 6;
/** Replayed by the CLI; the rest by the admin listener. */
const BY_CLI = 2;

let nats: NatsServer | undefined;
let gateway: FaultGateway | undefined;
let receiver: ControllableReceiver | undefined;
endAfterEach(() => [gateway, nats, receiver]);

const config = (receiverUrl: string, natsUrl: string, adminPort: number) =>
  deadLetterConfig({
    receiverUrl,
    natsUrl,
    stream: STREAM,
    dlqTimeoutMs: 2000,
    before: `admin:
  port: ${adminPort}
  tokens:
    - { id: fault-tests, sha256: ${createHash("sha256").update(ADMIN_TOKEN).digest("hex")} }`,
  });

interface ReplayReport {
  readonly listed: number;
  readonly delivered: number;
  readonly deadLetteredAgain: number;
  readonly kept: number;
}

const eventFor = (i: number) => ({ id: `refused-${i}`, source: "/faults/replay", type: "com.example.order" });
const header = (value: string | undefined) => (value === undefined ? undefined : decodeURIComponent(value));

describe("dead letters in a JetStream stream", () => {
  it("hold what a target refused, with why, and are replayed once it accepts", async () => {
    nats = await startNatsServer();
    await createStream(nats.url, STREAM, ["deadletters.>"]);
    receiver = await startControllableReceiver(REFUSE);
    const adminPort = await freePort();
    gateway = await startGateway(config(receiver.url, nats.url, adminPort));

    const before = Date.now();
    const sent = [];
    for (let i = 0; i < EVENTS; i++) sent.push(await postEvent(gateway.url, eventFor(i)));
    for (const answer of sent) {
      expect(answer.status, answer.body).toBe(202);
      expect(JSON.parse(answer.body)).toMatchObject({
        accepted: 1,
        events: [
          {
            id: answer.id,
            deadLettered: [{ target: "receiver", deadLetter: "dlq", reason: expect.stringContaining("400") }],
          },
        ],
      });
    }
    expect(receiver.accepted()).toEqual([]);

    const letters = await readStream(nats.url, STREAM);
    expect(letters.map((m) => m.headers["ce-id"])).toEqual(sent.map((s) => s.id));
    for (const letter of letters) {
      const h = letter.headers;
      expect(h["ce-deadlettertarget"]).toBe("receiver");
      expect(h["ce-deadletterattempts"]).toBe("1");
      expect(h["ce-deadletterstatus"]).toBe("400");
      expect(header(h["ce-deadlettererror"])).toContain("refused by the receiver");
      for (const name of ["ce-deadletterfirsttime", "ce-deadletterlasttime"]) {
        const time = Date.parse(header(h[name]) ?? "");
        expect(time, name).toBeGreaterThanOrEqual(before - 1_000);
        expect(time, name).toBeLessThanOrEqual(Date.now());
      }
    }

    receiver.behave(ACCEPT);
    const cli = runCli([
      "deadletter",
      "replay",
      "--config",
      gateway.configFile,
      "--from",
      "dlq",
      "--limit",
      String(BY_CLI),
      "--json",
    ]);
    const cliExit = await cli.exited;
    expect(cliExit, cli.output().stderr).toBe(0);
    const byCli = JSON.parse(cli.output().stdout) as ReplayReport;
    expect(byCli).toMatchObject({ listed: BY_CLI, delivered: BY_CLI, deadLetteredAgain: 0, kept: 0 });
    expect(receiver.accepted().map((r) => r.id)).toEqual(sent.slice(0, BY_CLI).map((s) => s.id));
    expect(await readStream(nats.url, STREAM)).toHaveLength(EVENTS - BY_CLI);

    const replay = () =>
      fetch(`http://127.0.0.1:${adminPort}/deadletters/dlq/replay`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
    const answer = await replay();
    expect(answer.status).toBe(200);
    const byAdmin = (await answer.json()) as ReplayReport;
    expect(byAdmin).toMatchObject({
      listed: EVENTS - BY_CLI,
      delivered: EVENTS - BY_CLI,
      deadLetteredAgain: 0,
      kept: 0,
    });
    const again = (await (await replay()).json()) as ReplayReport;

    const remaining = await readStream(nats.url, STREAM);
    const got = receiver.accepted();
    const deliveredIds = new Set(got.map((r) => r.id));
    reportCounts("dead-letter-replay", {
      sent: sent.length,
      accepted: sent.filter((s) => s.status === 202).length,
      deadLettered: letters.length,
      replayedByCli: byCli.delivered,
      replayedByAdmin: byAdmin.delivered,
      delivered: deliveredIds.size,
      duplicates: got.length - deliveredIds.size,
      lost: sent.filter((s) => s.status === 202 && !deliveredIds.has(s.id)).length,
      remainingInStream: remaining.length,
      listedByThirdReplay: again.listed,
    });

    expect(got.map((r) => r.id)).toEqual(sent.map((s) => s.id));
    for (const request of got) {
      expect(Object.keys(request.headers).filter((name) => name.startsWith("ce-deadletter"))).toEqual([]);
      expect(request.source).toBe("/faults/replay");
    }
    expect(remaining).toEqual([]);
    expect(again).toMatchObject({ listed: 0, delivered: 0, kept: 0 });
  }, 40_000);
});
