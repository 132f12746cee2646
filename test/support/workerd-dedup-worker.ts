/**
 * The Worker the dedup Durable Object tests run in workerd: each request
 * makes the Worker's DedupStore (dedupStoreViaDurableObject over the `DEDUP`
 * binding) with the window and shards it names, and looks pairs up or
 * records them through it, as a gateway in the Worker would.
 */
import type { DedupPair, DedupRecord } from "../../src/deliver/dedup/dedup-store.js";
import {
  type DedupNamespace,
  dedupStoreViaDurableObject,
} from "../../src/entries/workers/dedup-via-durable-object.js";

export { DedupObject } from "../../src/entries/workers/dedup-object.js";

interface Env {
  readonly DEDUP: DedupNamespace;
}

interface Body {
  readonly windowMs: number;
  readonly shards?: number;
  readonly pairs?: readonly DedupPair[];
  readonly entries?: readonly { readonly pair: DedupPair; readonly record: DedupRecord }[];
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const body = (await request.json()) as Body;
    const store = dedupStoreViaDurableObject(env.DEDUP, {
      windowMs: body.windowMs,
      ...(body.shards !== undefined && { shards: body.shards }),
    });
    switch (new URL(request.url).pathname) {
      case "/lookup":
        // JSON has no undefined: null stands for "none kept".
        return Response.json({ records: (await store.lookup(body.pairs ?? [])).map((r) => r ?? null) });
      case "/record":
        await store.record(body.entries ?? []);
        return Response.json({ recorded: true });
      default:
        return new Response("not found", { status: 404 });
    }
  },
};
