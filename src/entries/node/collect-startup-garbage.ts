/**
 * One full garbage collection, between loading a config and serving it.
 *
 * Loading compiles validators (the config schema, the schema registry's
 * schemas, expressions): megabytes of short-lived objects, some of which a
 * young collection promotes to the old generation just before requests start.
 * Under load from the first second, V8 then finds no idle time for a full
 * collection, and those dead old objects keep young per-request objects alive
 * through every scavenge ("nepotism"): in the load benchmark the old
 * generation grew to ~60 MB before its first mark-compact, peak RSS rose by
 * ~35 MB and each request cost more CPU. Collecting once here, while nothing
 * is served, starts the server from a compact heap.
 *
 * Node exposes `gc` only with --expose-gc, which the `ce-gateway` bin cannot
 * pass to its own process; setting the flag at run time and reading `gc` from
 * a fresh context is the documented-by-practice way, and leaves no `gc`
 * global in the gateway's own context.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

let collect: (() => void) | undefined;

export function collectStartupGarbage(): void {
  if (collect === undefined) {
    setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  }
  collect();
}
