/**
 * The publishing side of the baselines: NATS core (publish, no flush: the
 * client batches writes, as a hand-written handler would leave it) or
 * JetStream (publish and await the PubAck, with a msgID so retries dedupe).
 */
import { jetstream } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";

/**
 * @typedef {(subject: string, payload: Uint8Array, msgID: string,
 *   headers?: import("@nats-io/transport-node").MsgHdrs) => void | Promise<unknown>} Publish
 */

/**
 * @param {"none" | "core" | "js"} target
 * @param {string | undefined} url
 * @returns {Promise<Publish | undefined>}
 */
export async function natsPublisher(target, url) {
  if (target === "none") return undefined;
  const nc = await connect({ servers: url });
  if (target === "core")
    return (subject, payload, _msgID, headers) => nc.publish(subject, payload, { headers });
  const js = jetstream(nc);
  return (subject, payload, msgID, headers) => js.publish(subject, payload, { msgID, headers });
}
