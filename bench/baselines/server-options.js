/**
 * Command line of a baseline server:
 * `--port N [--nats URL] [--target none|core|js] [--mode structured|binary|batch]`.
 */
import { parseArgs } from "node:util";

export function serverOptions() {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      nats: { type: "string" },
      target: { type: "string", default: "none" },
      mode: { type: "string", default: "structured" },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port <= 0) throw new Error("--port N is required");
  if (!["none", "core", "js"].includes(values.target)) throw new Error(`unknown --target ${values.target}`);
  if (!["structured", "binary", "batch"].includes(values.mode))
    throw new Error(`unknown --mode ${values.mode}`);
  if (values.target !== "none" && !values.nats) throw new Error("--nats URL is required with a target");
  return {
    port,
    natsUrl: values.nats,
    /** @type {"none" | "core" | "js"} */
    target: /** @type {any} */ (values.target),
    /** @type {"structured" | "binary" | "batch"} */
    mode: /** @type {any} */ (values.mode),
  };
}
