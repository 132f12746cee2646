/**
 * `ce-gateway tail --pubsub projects/P/subscriptions/S`: prints the
 * CloudEvents a Pub/Sub subscription receives, acknowledging each once
 * printed. The official client streams the messages and honours
 * PUBSUB_EMULATOR_HOST; it is an optional peer dependency, loaded only here.
 */

import { decodePubsubMessage } from "../../bindings/pubsub/decode.js";
import { describeError } from "../../errors/errors.js";
import { CliExit } from "../config-file.js";
import { printMessage } from "./tail.js";

const SUBSCRIPTION = /^projects\/([^/]+)\/subscriptions\/([^/]+)$/;

export async function tailPubsub(name: string, limit: number, json: boolean): Promise<void> {
  const match = SUBSCRIPTION.exec(name);
  if (match === null)
    throw new CliExit(2, `--pubsub must be projects/PROJECT/subscriptions/NAME, got "${name}"`);
  let PubSub: typeof import("@google-cloud/pubsub").PubSub;
  try {
    ({ PubSub } = await import("@google-cloud/pubsub"));
  } catch {
    throw new CliExit(
      1,
      "tail --pubsub needs the @google-cloud/pubsub package: npm install @google-cloud/pubsub",
    );
  }
  const client = new PubSub({ projectId: match[1] });
  const subscription = client.subscription(name);
  let seen = 0;
  await new Promise<void>((resolve, reject) => {
    const finish = () => {
      subscription.removeAllListeners("message");
      resolve();
    };
    subscription.on("message", (message) => {
      if (seen >= limit) {
        message.nack();
        return;
      }
      seen += 1;
      printMessage(
        () => decodePubsubMessage(message.attributes ?? {}, new Uint8Array(message.data)),
        name,
        json,
      );
      message.ack();
      if (seen >= limit) finish();
    });
    subscription.on("error", (error) =>
      reject(new CliExit(1, `cannot read ${name}: ${describeError(error)}`)),
    );
    process.once("SIGINT", finish);
    process.stderr.write(
      `tailing ${name}${process.env.PUBSUB_EMULATOR_HOST ? ` on the emulator at ${process.env.PUBSUB_EMULATOR_HOST}` : ""}\n`,
    );
  });
  await subscription.close();
  await client.close();
}
