/**
 * Load from autocannon, used as a library in the harness's own process (the
 * server under test still runs in another one), for machines without wrk.
 * Sends the same templates as the wrk driver.
 */
import autocannon from "autocannon";
import { fillTemplate } from "./requests.js";

/** @returns {import("./driver.js").LoadDriver} */
export function autocannonDriver() {
  return {
    name: "autocannon",
    async run({ url, template, connections, durationS, nonce }) {
      let n = 0;
      const result = await autocannon({
        url,
        connections,
        duration: Math.max(1, durationS),
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => ({ ...request, ...fillTemplate(template, `${nonce}-${++n}`) }),
          },
        ],
      });
      return {
        requests: result.requests.total,
        seconds: result.duration,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors, // timeouts included
      };
    },
  };
}
