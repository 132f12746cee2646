/**
 * The dispatcher's decisions about one record, without any I/O: what is
 * counted as an attempt, how long a kept record waits, and when it goes to
 * its dead letter.
 */
import { describe, expect, it } from "vitest";
import { acked, type PublishOutcome, retriable, terminal } from "../../src/adapter/adapter.js";
import type { AttemptedDelivery } from "../../src/deliver/deliver-to-target.js";
import { NO_RETRY, type RetryPolicy } from "../../src/deliver/delivery-policy.js";
import { afterDeadLetter, nextStep, type StepContext } from "../../src/deliver/outbox/next-step.js";
import type { OutboxRecord } from "../../src/deliver/outbox/outbox-store.js";

const NOW = 1_000_000;
const RETRY: RetryPolicy = { maxAttempts: 3, initialDelayMs: 100, maxDelayMs: 1_000, jitter: "none" };

const record = (fields: Partial<OutboxRecord> = {}): OutboxRecord => ({
  id: "1",
  target: "t",
  event: new Uint8Array(),
  acceptedAt: 0,
  attempts: 0,
  notBefore: 0,
  ...fields,
});

const tried = (outcome: PublishOutcome, attempts = 1): AttemptedDelivery => ({
  outcome,
  attempts,
  firstAttemptAt: attempts === 0 ? undefined : NOW,
  lastAttemptAt: attempts === 0 ? undefined : NOW,
});

const at = (policy: RetryPolicy = RETRY, minDelayMs = 50): StepContext => ({
  now: NOW,
  policy,
  minDelayMs,
  random: () => 0.5,
});

describe("the next step of an outbox record", () => {
  it("waits the doubling backoff while attempts are left, and the target's Retry-After when it gave one", () => {
    expect(nextStep(record({ attempts: 1 }), tried(retriable("down")), false, at())).toMatchObject({
      step: "reschedule",
      update: { attempts: 2, notBefore: NOW + 200, lastError: "down" },
    });
    expect(nextStep(record(), tried(retriable("slow down", 700)), false, at())).toMatchObject({
      update: { attempts: 1, notBefore: NOW + 700 },
    });
  });

  it("never waits less than minDelayMs, so a target with no retry delays is not tried in a loop", () => {
    const step = nextStep(record(), tried(retriable("down")), false, at(NO_RETRY, 250));
    expect(step).toMatchObject({ step: "reschedule", update: { attempts: 1, notBefore: NOW + 250 } });
  });

  it("keeps a record whose attempts are used up and that has no dead letter, due again after maxDelayMs", () => {
    const step = nextStep(record({ attempts: 2 }), tried(retriable("down")), false, at());
    expect(step).toMatchObject({ step: "reschedule", update: { attempts: 3, notBefore: NOW + 1_000 } });
  });

  it("sends a record to its dead letter when refused for good, or when its attempts are used up", () => {
    const named = record({ attempts: 2, deadLetter: "dl" });
    expect(nextStep(named, tried(terminal("bad", 400)), false, at())).toEqual({
      step: "dead-letter",
      attempts: 3,
      status: 400,
    });
    expect(nextStep(named, tried(retriable("down")), false, at())).toEqual({
      step: "dead-letter",
      attempts: 3,
      status: "retriable",
    });
  });

  it("drops a refusal for good without a dead letter, and completes what was acked", () => {
    expect(nextStep(record(), tried(terminal("bad")), false, at())).toMatchObject({ step: "drop" });
    expect(nextStep(record(), tried(acked()), false, at())).toEqual({ step: "complete" });
  });

  it("counts no attempt for a guard's refusal or an attempt cut short by stopping", () => {
    const refused = nextStep(
      record({ attempts: 1 }),
      tried(retriable("circuit open", 5_000), 0),
      false,
      at(),
    );
    expect(refused).toMatchObject({ update: { attempts: 1, notBefore: NOW + 5_000 } });
    const cut = nextStep(record({ attempts: 1 }), tried(retriable("aborted")), true, at());
    expect(cut).toMatchObject({ update: { attempts: 1, notBefore: NOW + 50 } });
  });

  it("keeps a record its dead letter did not take, with both reasons, and completes it once it did", () => {
    const named = record({ deadLetter: "dl" });
    const failed = tried(terminal("bad", 400));
    const kept = afterDeadLetter(named, failed, 1, "bad", retriable("dl down"), at());
    expect(kept).toMatchObject({
      step: "reschedule",
      update: { attempts: 1, lastError: 'bad; its dead letter "dl" did not take it: dl down' },
    });
    expect(afterDeadLetter(named, failed, 1, "bad", acked(), at())).toEqual({
      step: "complete",
    });
  });
});
