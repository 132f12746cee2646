/**
 * The Cloudflare Workers entry: the same gateway core, served by workerd.
 * Until the config is compiled in at build time, it runs the embedded
 * default (every valid event to stdout, which workerd sends to its log).
 */
import { EMBEDDED_DEFAULT_CONFIG } from "../../config/gateway-config.js";
import { createGateway } from "../../http/create-gateway.js";

const gateway = createGateway(EMBEDDED_DEFAULT_CONFIG);

export default {
  fetch(request: Request): Response | Promise<Response> {
    return gateway.fetch(request);
  },
};
