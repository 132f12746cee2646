import { describe, expect, it } from "vitest";
import { BATCH, problemOf, structuredEvent, testGateway } from "../support/gateway.js";

describe("POST /events in batched mode", () => {
  it("accepts every event of a batch in order with 202", async () => {
    const gw = testGateway();
    const batch = [
      structuredEvent({ id: "1" }),
      structuredEvent({ id: "2", data: [1.0] }),
      structuredEvent({ id: "3" }),
    ];
    const response = await gw.post({ headers: BATCH, body: JSON.stringify(batch) });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({
      accepted: 3,
      events: ["1", "2", "3"].map((id) => ({ id, source: "/test/source" })),
    });
    expect(gw.received().map((e) => e.attributes.id)).toEqual(["1", "2", "3"]);
  });

  it("accepts an empty batch", async () => {
    const gw = testGateway();
    const response = await gw.post({ headers: BATCH, body: "[]" });
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ accepted: 0, events: [] });
  });

  it("refuses the whole batch when one event is bad, listing each failure with index and pointer", async () => {
    const gw = testGateway();
    const batch = [structuredEvent({ id: "1" }), structuredEvent({ id: "", type: undefined }), 42];
    const response = await gw.post({
      headers: { "content-type": "application/cloudevents-batch+json; charset=utf-8" },
      body: JSON.stringify(batch),
    });
    expect(response.status).toBe(400);
    const problem = await problemOf(response);
    expect(problem.errors).toEqual([
      { index: 1, pointer: "/1/id", code: "invalid-id", detail: expect.any(String) },
      { index: 1, pointer: "/1/type", code: "missing-attribute", detail: expect.any(String) },
      { index: 2, pointer: "/2", code: "not-an-object", detail: expect.any(String) },
    ]);
    expect(gw.received()).toHaveLength(0);
  });

  it("rejects a batch body that is not an array with 400", async () => {
    const gw = testGateway();
    const response = await gw.post({ headers: BATCH, body: JSON.stringify(structuredEvent()) });
    expect(response.status).toBe(400);
    expect((await problemOf(response)).code).toBe("malformed-body");
  });
});
