import { stdoutTarget } from "../../adapters/stdout/index.js";
import { portableRuntime } from "../../src/adapter/default-runtime.js";
import { decodeHttpRequest } from "../../src/bindings/http/decode.js";
import { normalizeEvents } from "../../src/normalize/normalize-event.js";
import { collect, describeAdapterContract, type ReceivedEvent } from "./contract.js";

describeAdapterContract({
  name: "stdout",
  async setup() {
    let output = "";
    const adapter = await stdoutTarget.create(
      {},
      {
        ...portableRuntime(),
        writeStdout: (text) => {
          output += text;
        },
      },
    );
    // Each line must be one event in the JSON format: read it back with the gateway's own decoder.
    const read = (): ReceivedEvent[] =>
      output
        .split("\n")
        .filter(Boolean)
        .map((line) => {
          const decoded = decodeHttpRequest(
            new Headers({ "content-type": "application/cloudevents+json" }),
            new TextEncoder().encode(line),
          );
          return { event: normalizeEvents(decoded.events)[0]! };
        });
    return {
      adapter,
      received: (prefix, count) => collect(read, prefix, count),
      teardown: () => adapter.close(),
      keepsAttributeTypes: true,
    };
  },
});
