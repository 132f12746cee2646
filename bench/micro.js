/**
 * `npm run bench -- --micro`: the in-process micro-benchmarks (one request
 * at a time, no sockets), each reporting ratios to baselines measured in the
 * same run. Needs a build (`npm run build`).
 */
import { run as eventGrid } from "./eventgrid.js";
import { run as ingest } from "./ingest.js";
import { run as nats } from "./nats.js";
import { run as routing } from "./routing.js";
import { run as validation } from "./validation.js";
import { run as workers } from "./workers.js";

export async function runMicro() {
  console.log(`# ce-gateway micro-benchmarks (node ${process.version})`);
  await ingest();
  await routing();
  await validation();
  await nats();
  await eventGrid();
  await workers();
}
