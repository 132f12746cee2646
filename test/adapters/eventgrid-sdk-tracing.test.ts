/**
 * With Azure SDK tracing on, `@azure/eventgrid` copies the request's
 * `traceparent` into every event. The target takes that policy out, so events
 * still arrive as accepted. (Its own file: the instrumenter is process-wide.)
 */
import { type TracingContext, useInstrumenter } from "@azure/core-tracing";
import { AzureKeyCredential, EventGridPublisherClient } from "@azure/eventgrid";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { jsonEvent, keyTarget, publishOptions, viaSdk } from "../support/eventgrid-fixtures.js";
import { type FakeEventGrid, startFakeEventGrid } from "../support/fake-eventgrid.js";

const TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
const context: TracingContext = {
  getValue: () => undefined,
  setValue: () => context,
  deleteValue: () => context,
};
let fake: FakeEventGrid;

beforeAll(async () => {
  // A tracer that records every span and propagates a fixed trace context.
  useInstrumenter({
    startSpan: () => ({
      span: {
        setStatus() {},
        setAttribute() {},
        end() {},
        recordException() {},
        isRecording: () => true,
      },
      tracingContext: context,
    }),
    withContext: (_context, callback, ...args) => callback(...args),
    parseTraceparentHeader: () => undefined,
    createRequestHeaders: () => ({ traceparent: TRACEPARENT }),
  });
  fake = await startFakeEventGrid({ key: "k" });
});
afterAll(() => fake?.close());

const bodies = () => fake.requests.map((r) => JSON.parse(r.body) as Record<string, unknown>[]);

describe("Event Grid SDK path with Azure SDK tracing on", () => {
  it("the SDK left as it is writes traceparent into the events (what the target prevents)", async () => {
    const client = new EventGridPublisherClient(
      `${fake.url}/api/events`,
      "CloudEvent",
      new AzureKeyCredential("k"),
      {
        allowInsecureConnection: true,
      },
    );
    await client.send([{ id: "plain-sdk", source: "/s", type: "t", data: { a: 1 } }]);
    expect(bodies().at(-1)?.[0]?.traceparent).toBe(TRACEPARENT);
  });

  it("the target sends the event through the SDK without it", async () => {
    const adapter = keyTarget(fake);
    const [outcome] = await adapter.publish([{ event: jsonEvent("through-target") }], publishOptions());
    expect(outcome?.status).toBe("acked");
    const request = fake.requests.at(-1);
    expect(request && viaSdk(request)).toBe(true);
    expect(request?.headers.traceparent).toBe(TRACEPARENT);
    expect(bodies().at(-1)?.[0]).not.toHaveProperty("traceparent");
  });
});
