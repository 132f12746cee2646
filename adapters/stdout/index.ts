/**
 * The `stdout` target: one structured-mode JSON CloudEvent per line on the
 * process's standard output. Acked once the line is handed to the stream.
 */

import { type Adapter, type AdapterFactory, acked, retriable } from "../../src/adapter/adapter.js";
import { describeError } from "../../src/errors/errors.js";
import { toJsonLine } from "../../src/event/json-format.js";
import { stdoutDescriptor } from "./descriptor.js";

export type StdoutOptions = Record<string, never>;

const decoder = new TextDecoder();

export const stdoutTarget: AdapterFactory<StdoutOptions> = {
  ...stdoutDescriptor,
  create(_options, runtime): Adapter {
    return {
      type: "stdout",
      capabilities: {
        batching: true,
        orderingKeys: true,
        brokerDedup: false,
        modes: ["structured"],
        runsOnWorkers: true,
        maxEventBytes: Number.POSITIVE_INFINITY,
      },
      async publish(messages) {
        // Written as one chunk so events of one request stay together and in order.
        const text = messages.map((m) => `${decoder.decode(toJsonLine(m.event))}\n`).join("");
        try {
          await runtime.writeStdout(text);
          return messages.map(() => acked());
        } catch (error) {
          const reason = `stdout write failed: ${describeError(error)}`;
          return messages.map(() => retriable(reason));
        }
      },
      async ready() {
        return true;
      },
      async close() {},
    };
  },
};
