/**
 * The memory target read back as a dead letter: what it stored, oldest
 * first up to a limit, each at its sequence; removed by position, in place.
 */
import { describe, expect, it } from "vitest";
import { memoryDescriptor } from "../../adapters/memory/descriptor.js";
import { createMemoryAdapter } from "../../adapters/memory/index.js";
import { readsBackDeadLetters } from "../../src/adapter/dead-letter-store.js";
import { attemptOptions } from "../support/attempt.js";
import { event } from "./contract-events.js";

async function adapterHolding(ids: readonly string[], maxEvents?: number) {
  const adapter = createMemoryAdapter(maxEvents === undefined ? {} : { maxEvents });
  const outcomes = await adapter.publish(
    ids.map((id) => ({ event: event(id) })),
    attemptOptions(),
  );
  expect(outcomes.every((o) => o.status === "acked")).toBe(true);
  return adapter;
}

const idsOf = (letters: readonly { event: { attributes: { id: string } } }[]) =>
  letters.map((l) => l.event.attributes.id);

describe("the memory target's dead letters", () => {
  it("says it reads back, and the adapter passes the guard", () => {
    expect((memoryDescriptor.readsBack as (options: unknown) => boolean)({})).toBe(true);
    expect(readsBackDeadLetters(createMemoryAdapter())).toBe(true);
  });

  it("lists what was stored, oldest first, the same events at their sequences", async () => {
    const adapter = await adapterHolding(["a", "b", "c"]);
    const letters = await adapter.deadLetters().list(10);
    expect(idsOf(letters)).toEqual(["a", "b", "c"]);
    expect(letters.map((l) => l.position)).toEqual(adapter.events().map((s) => String(s.sequence)));
    expect(letters.map((l) => l.event)).toEqual(adapter.events().map((s) => s.event));
  });

  it("lists no more than the limit, and nothing for a limit of 0", async () => {
    const adapter = await adapterHolding(["a", "b", "c", "d"]);
    expect(idsOf(await adapter.deadLetters().list(2))).toEqual(["a", "b"]);
    expect(await adapter.deadLetters().list(0)).toEqual([]);
  });

  it("keeps the positions of what the size limit dropped out of the list", async () => {
    const adapter = await adapterHolding(["a", "b", "c"], 2);
    const letters = await adapter.deadLetters().list(10);
    expect(idsOf(letters)).toEqual(["b", "c"]);
    expect(letters.map((l) => l.position)).toEqual(["2", "3"]);
  });

  it("removes one by position, the others staying where they were; removing it again is no error", async () => {
    const adapter = await adapterHolding(["a", "b", "c"]);
    const store = adapter.deadLetters();
    const [, second] = await store.list(10);
    await store.remove(second?.position as string);
    await store.remove(second?.position as string);
    await store.remove("no such position");
    const after = await store.list(10);
    expect(idsOf(after)).toEqual(["a", "c"]);
    expect(after.map((l) => l.position)).toEqual(["1", "3"]);
    expect(adapter.events().map((s) => s.event.attributes.id)).toEqual(["a", "c"]);
  });

  it("lists what is published after a removal, with a new position", async () => {
    const adapter = await adapterHolding(["a"]);
    const store = adapter.deadLetters();
    await store.remove("1");
    await adapter.publish([{ event: event("b") }], attemptOptions());
    const letters = await store.list(10);
    expect(idsOf(letters)).toEqual(["b"]);
    expect(letters[0]?.position).toBe("2");
  });
});
