/**
 * Topic resource names (`projects/{project}/topics/{topic}`): parsing and the
 * real service's naming rules (3-255 chars, starts with a letter, only
 * `[A-Za-z0-9-_.~+%]`, never starts with `goog`).
 */
import { Code, PubsubError } from "./status.js";

const TOPIC_NAME = /^projects\/([^/]+)\/topics\/([^/]+)$/;
const TOPIC_ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;

export interface TopicName {
  readonly project: string;
  readonly topic: string;
}

/** Parses a full topic name, or throws INVALID_ARGUMENT like the real service. */
export function parseTopicName(name: string): TopicName {
  const match = TOPIC_NAME.exec(name);
  const project = match?.[1];
  const topic = match?.[2];
  if (project === undefined || topic === undefined || !TOPIC_ID.test(topic) || topic.startsWith("goog")) {
    throw new PubsubError(
      Code.INVALID_ARGUMENT,
      `Invalid resource name given (name=${name}). Refer to https://cloud.google.com/pubsub/docs/pubsub-basics#resource_names for more information.`,
    );
  }
  return { project, topic };
}

/** `t` -> `projects/<defaultProject>/topics/t`; full names are kept as they are. */
export function fullTopicName(name: string, defaultProject: string): string {
  return name.startsWith("projects/") ? name : `projects/${defaultProject}/topics/${name}`;
}
