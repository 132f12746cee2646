/**
 * The Pub/Sub target's descriptor: the topic ids it accepts as an address.
 */
import { describe, expect, it } from "vitest";
import { topicViolation } from "../../adapters/pubsub/descriptor.js";

describe("the Pub/Sub descriptor", () => {
  it("checks topic ids", () => {
    expect(topicViolation("orders-events")).toBeUndefined();
    expect(topicViolation("go")).toBeDefined();
    expect(topicViolation("google-things")).toBeDefined();
    expect(topicViolation("1abc")).toBeDefined();
  });
});
