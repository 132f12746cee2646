/**
 * JSON nesting and string limits: checked while the body is scanned, before
 * anything parses it, for every way JSON comes in (structured, batch,
 * binary-mode data declared JSON, a source's body). A body of 100,000 `[`
 * gets a 400 naming the limit and where it was broken, never a 500.
 */
import { describe, expect, it } from "vitest";
import type { GatewayConfig } from "../../src/config/gateway-config.js";
import {
  BATCH,
  binaryHeaders,
  problemOf,
  STRUCTURED,
  structuredEvent,
  testGateway,
  text,
} from "../support/gateway.js";

const SOURCE: GatewayConfig = {
  ingest: {
    sources: [
      { path: "/hooks/plain", type: "json", event: { type: "'com.example.plain'", source: "'/legacy'" } },
    ],
  },
};

/** `data` nested `depth` arrays deep: `[[[...1...]]]`. */
const nestedArrays = (depth: number) => `${"[".repeat(depth)}1${"]".repeat(depth)}`;
const zeros = (count: number) => "/0".repeat(count);

const structured = (data: string) =>
  `{"specversion":"1.0","id":"e1","source":"/s","type":"t","datacontenttype":"application/json","data":${data}}`;

async function expectLimit(response: Response, code: string, pointer: string) {
  expect(response.status).toBe(400);
  const problem = await problemOf(response);
  expect(problem.code).toBe("malformed-body");
  expect(problem.errors).toEqual([expect.objectContaining({ code, pointer })]);
  return problem;
}

describe("server.maxJsonDepth (default 64)", () => {
  it("refuses 100,000 `[` as a structured body with 400 json-too-deep at the 65th level", async () => {
    const t = testGateway();
    const response = await t.post({ headers: STRUCTURED, body: "[".repeat(100_000) });
    const problem = await expectLimit(response, "json-too-deep", zeros(64));
    expect(problem.errors?.[0]?.detail).toContain("server.maxJsonDepth (64)");
  });

  it('refuses 100,000 `{"a":` with the pointer naming each member', async () => {
    const t = testGateway();
    const response = await t.post({ headers: STRUCTURED, body: '{"a":'.repeat(100_000) });
    await expectLimit(response, "json-too-deep", "/a".repeat(64));
  });

  it("refuses 100,000 `[` in a batch and in binary-mode JSON data", async () => {
    const t = testGateway();
    await expectLimit(
      await t.post({ headers: BATCH, body: "[".repeat(100_000) }),
      "json-too-deep",
      zeros(64),
    );
    const binary = await t.post({
      headers: binaryHeaders({ "content-type": "application/json" }),
      body: "[".repeat(100_000),
    });
    await expectLimit(binary, "json-too-deep", `/data${zeros(64)}`);
    expect(t.received()).toEqual([]);
  });

  it("accepts a body nested exactly at the limit and refuses one level more", async () => {
    const t = testGateway();
    // The event object is level 1, so its data may nest 63 deep.
    const atLimit = await t.post({ headers: STRUCTURED, body: structured(nestedArrays(63)) });
    expect(atLimit.status).toBe(202);
    const over = await t.post({ headers: STRUCTURED, body: structured(nestedArrays(64)) });
    await expectLimit(over, "json-too-deep", `/data${zeros(63)}`);
    // In binary mode the body is the data: 64 levels are accepted, 65 are not.
    const binary = binaryHeaders({ "content-type": "application/json" });
    expect((await t.post({ headers: binary, body: nestedArrays(64) })).status).toBe(202);
    await expectLimit(
      await t.post({ headers: binary, body: nestedArrays(65) }),
      "json-too-deep",
      `/data${zeros(64)}`,
    );
    expect(t.received()).toHaveLength(2);
    expect(text(t.received()[0]?.data?.bytes)).toBe(nestedArrays(63));
  });

  it("points into the batch at the event at fault", async () => {
    const t = testGateway();
    const body = `[${JSON.stringify(structuredEvent())},${structured(nestedArrays(70))}]`;
    await expectLimit(await t.post({ headers: BATCH, body }), "json-too-deep", `/1/data${zeros(62)}`);
  });

  it("is configurable up to 512, and deeper data is then accepted", async () => {
    const t = testGateway({ server: { maxJsonDepth: 512 } });
    expect((await t.post({ headers: STRUCTURED, body: structured(nestedArrays(500)) })).status).toBe(202);
    await expectLimit(
      await t.post({ headers: STRUCTURED, body: "[".repeat(100_000) }),
      "json-too-deep",
      zeros(512),
    );
  });

  it("leaves undeclared binary data that is not JSON alone: it is binary data", async () => {
    const t = testGateway();
    // Bytes, so that no Content-Type is added.
    const body = new TextEncoder().encode("[".repeat(100_000));
    const response = await t.post({ headers: binaryHeaders(), body });
    expect(response.status).toBe(202);
    expect(t.received()[0]?.data?.encoding).toBe("binary");
  });
});

describe("server.maxJsonStringBytes (default 1 MiB)", () => {
  const twoMiB = "x".repeat(2 * 1024 * 1024);

  it("refuses a 2 MiB string with 400 json-string-too-long pointing at it", async () => {
    const t = testGateway({ server: { maxBodyBytes: 4 * 1024 * 1024 } });
    const body = JSON.stringify(structuredEvent({ data: { note: twoMiB } }));
    const problem = await expectLimit(
      await t.post({ headers: STRUCTURED, body }),
      "json-string-too-long",
      "/data/note",
    );
    expect(problem.errors?.[0]?.detail).toContain("server.maxJsonStringBytes (1048576)");
    const binary = await t.post({
      headers: binaryHeaders({ "content-type": "application/json" }),
      body: JSON.stringify([1, twoMiB]),
    });
    await expectLimit(binary, "json-string-too-long", "/data/1");
    expect(t.received()).toEqual([]);
  });

  it("accepts a string exactly at the limit", async () => {
    const t = testGateway({ server: { maxJsonStringBytes: 16 } });
    const ok = await t.post({
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent({ data: "x".repeat(16) })),
    });
    expect(ok.status).toBe(202);
    const over = await t.post({
      headers: STRUCTURED,
      body: JSON.stringify(structuredEvent({ data: "x".repeat(17) })),
    });
    await expectLimit(over, "json-string-too-long", "/data");
  });

  it("counts member names too, and escapes as sent", async () => {
    const t = testGateway({ server: { maxJsonStringBytes: 16 } });
    const longName = JSON.stringify(structuredEvent({ data: { ["k".repeat(17)]: 1 } }));
    await expectLimit(await t.post({ headers: STRUCTURED, body: longName }), "json-string-too-long", "/data");
    // Six characters, but 18 bytes as sent: \u0041 is six bytes each.
    const escaped = structured('"\\u0041\\u0042\\u0043"');
    await expectLimit(await t.post({ headers: STRUCTURED, body: escaped }), "json-string-too-long", "/data");
  });
});

describe("JSON limits on a source's body", () => {
  const post = (t: ReturnType<typeof testGateway>, body: string) =>
    t.gateway.request("/hooks/plain", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });

  it('refuses 100,000 `[` and 100,000 `{"a":` before the mapping parses them', async () => {
    const t = testGateway(SOURCE);
    await expectLimit(await post(t, "[".repeat(100_000)), "json-too-deep", zeros(64));
    await expectLimit(await post(t, '{"a":'.repeat(100_000)), "json-too-deep", "/a".repeat(64));
    expect(t.received()).toEqual([]);
  });

  it("accepts a body nested exactly at the limit", async () => {
    const t = testGateway(SOURCE);
    const atLimit = `{"a":${nestedArrays(63)}}`;
    expect((await post(t, atLimit)).status).toBe(202);
    await expectLimit(await post(t, `{"a":${nestedArrays(64)}}`), "json-too-deep", `/a${zeros(63)}`);
  });

  it("refuses a 2 MiB string", async () => {
    const t = testGateway({ ...SOURCE, server: { maxBodyBytes: 4 * 1024 * 1024 } });
    const response = await post(t, JSON.stringify({ ok: true, blob: "y".repeat(2 * 1024 * 1024) }));
    await expectLimit(response, "json-string-too-long", "/blob");
  });
});
