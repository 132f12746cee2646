/**
 * Inputs meant to break the codec: none may produce a 500, a crash, invalid
 * output or an unbounded response.
 */
import { describe, expect, it } from "vitest";
import { MAX_LISTED_FAILURES } from "../../src/errors/problem-response.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import {
  BATCH,
  binaryHeaders,
  problemOf,
  STRUCTURED,
  structuredEvent,
  testGateway,
  text,
} from "../support/gateway.js";

describe("hostile and unusual input", () => {
  it("answers an event with 130,000 bad members with 400 and a bounded list", async () => {
    const gw = testGateway();
    const members = Array.from({ length: 130_000 }, () => '"a":0').join(",");
    const body = `{"specversion":"1.0","id":"1","source":"/s","type":"t",${members}}`;
    const response = await gw.post({ headers: STRUCTURED, body });
    expect(response.status).toBe(400);
    const problem = (await problemOf(response)) as Awaited<ReturnType<typeof problemOf>> & {
      errorsOmitted?: number;
    };
    expect(problem.errors).toHaveLength(MAX_LISTED_FAILURES);
    expect(problem.errorsOmitted).toBeGreaterThan(100_000);
  });

  it("answers a batch over server.maxBatchEvents with 413, naming the limit and its value", async () => {
    const gw = testGateway();
    const body = `[${Array.from({ length: 170_000 }, () => "{}").join(",")}]`;
    const response = await gw.post({ headers: BATCH, body });
    expect(response.status).toBe(413);
    const problem = await problemOf(response);
    expect(problem.code).toBe("too-many-events");
    expect(problem.detail).toContain("server.maxBatchEvents");
    expect(problem.detail).toContain("1000");
    expect(problem.errors).toEqual([expect.objectContaining({ index: 1000, pointer: "/1000" })]);
  });

  it("counts batch events while scanning: the 413 comes before the JSON error past the limit", async () => {
    const gw = testGateway({ server: { maxBatchEvents: 2 } });
    const three = `[${JSON.stringify(structuredEvent())},{},{}, not json`;
    expect((await gw.post({ headers: BATCH, body: three })).status).toBe(413);
    const two = JSON.stringify([structuredEvent({ id: "a" }), structuredEvent({ id: "b" })]);
    expect((await gw.post({ headers: BATCH, body: two })).status).toBe(202);
    expect(gw.received()).toHaveLength(2);
  });

  it("stops checking a batch once 100 failures are listed, and says so", async () => {
    const gw = testGateway({ server: { maxBatchEvents: 1_000_000 } });
    const body = `[${Array.from({ length: 200_000 }, () => "1").join(",")}]`;
    const response = await gw.post({ headers: BATCH, body });
    expect(response.status).toBe(400);
    const problem = (await problemOf(response)) as Awaited<ReturnType<typeof problemOf>> & {
      errorsOmitted?: number;
      errorsIncomplete?: boolean;
    };
    expect(problem.code).toBe("invalid-event");
    expect(problem.errors).toHaveLength(MAX_LISTED_FAILURES);
    expect(problem.errors?.at(-1)).toMatchObject({ index: 99, code: "not-an-object" });
    expect(problem.errorsOmitted).toBeUndefined();
    expect(problem.errorsIncomplete).toBe(true);
    expect(problem.detail).toBe(
      "At least 100 of 200000 event(s) are not valid CloudEvents 1.0; checking stopped after 100 failures, 199900 event(s) were not checked",
    );
  });

  it("keeps a byte order mark out of JSON data, so the JSON format stays valid", async () => {
    const gw = testGateway();
    const body = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('{"a":1.0}')]);
    const response = await gw.post({ headers: binaryHeaders({ "content-type": "application/json" }), body });
    expect(response.status).toBe(202);
    const [event] = gw.received();
    expect(text(event?.data?.bytes)).toBe('{"a":1.0}');
    expect(JSON.parse(text(toJsonFormat(event!))!).data).toEqual({ a: 1 });
  });

  it("refuses text data holding a lone surrogate instead of altering it", async () => {
    const gw = testGateway();
    const body = JSON.stringify(structuredEvent({ datacontenttype: "text/plain" })).replace(
      /}$/,
      ',"data":"\\ud800"}',
    );
    const response = await gw.post({ headers: STRUCTURED, body });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).errors?.[0]).toMatchObject({ pointer: "/data", code: "invalid-data" });
  });

  it("accepts a media type whose quoted parameter holds a semicolon", async () => {
    const gw = testGateway();
    const response = await gw.post({
      headers: binaryHeaders({ "content-type": 'text/plain; foo="a;b"' }),
      body: "x",
    });
    expect(response.status).toBe(202);
    expect(gw.received()[0]?.attributes.datacontenttype).toBe('text/plain; foo="a;b"');
  });

  it("reports a header that does not decode once, without a spurious missing-attribute", async () => {
    const gw = testGateway();
    const response = await gw.post({ headers: binaryHeaders({ "ce-id": "%FF" }) });
    const problem = await problemOf(response);
    expect(problem.errors?.map((e) => e.code)).toEqual(["invalid-utf8"]);
  });

  it("treats an empty Content-Type as none and accepts charset=utf8", async () => {
    const gw = testGateway();
    expect((await gw.post({ headers: binaryHeaders({ "content-type": "" }) })).status).toBe(202);
    expect(gw.received()[0]?.attributes.datacontenttype).toBeUndefined();
    const structured = await gw.post({
      headers: { "content-type": "application/cloudevents+json; charset=utf8" },
      body: JSON.stringify(structuredEvent()),
    });
    expect(structured.status).toBe(202);
  });
});
