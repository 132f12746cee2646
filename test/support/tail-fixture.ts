/**
 * What the `ce-gateway tail` tests publish: a gateway with one target in
 * binary mode and one in structured mode (routes by type `t.binary` and
 * `t.structured`), and the two events `one` (binary) and `two` (structured),
 * each with a `region` extension and the data `{"n":1.0}`.
 */
import type { TargetConfig } from "../../src/adapter/target-registry.js";
import { createGateway } from "../../src/entries/node/create-gateway.js";
import { binaryHeaders } from "./gateway.js";

/** Publishes `one` and `two` through the targets (`structured` gets mode: structured), then closes the gateway. */
export async function publishTailEvents(target: TargetConfig): Promise<number[]> {
  const gateway = createGateway({
    targets: { bin: target, str: { ...target, mode: "structured" } },
    routes: [
      { name: "binary", filters: [{ exact: { type: "t.binary" } }], to: ["bin"] },
      { name: "structured", filters: [{ exact: { type: "t.structured" } }], to: ["str"] },
    ],
  });
  const post = (type: string, id: string) =>
    gateway.request("/events", {
      method: "POST",
      headers: binaryHeaders({
        "ce-type": type,
        "ce-id": id,
        "ce-region": "eu",
        "content-type": "application/json",
      }),
      body: '{"n":1.0}',
    });
  try {
    return [(await post("t.binary", "one")).status, (await post("t.structured", "two")).status];
  } finally {
    await gateway.close();
  }
}
