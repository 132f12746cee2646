/**
 * The Cloudflare Workers entry: the same gateway core, served by workerd,
 * with the target types a Worker can run. Until the config is compiled in
 * at build time, it runs the embedded default (every valid event to stdout,
 * which workerd sends to its log).
 */
import { EMBEDDED_DEFAULT_CONFIG } from "../../config/gateway-config.js";
import { createGateway } from "../../http/create-gateway.js";
import { workersTargets } from "./targets.js";

const gateway = createGateway(EMBEDDED_DEFAULT_CONFIG, { targetTypes: workersTargets });

export default {
  fetch(request: Request): Response | Promise<Response> {
    return gateway.fetch(request);
  },
};
