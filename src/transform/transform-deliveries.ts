/**
 * Where one event goes when a matching route has a transform, and as which
 * event. A delivery is one (target, transform): each distinct transform runs
 * once per event however many targets its route has. One target reached
 * through routes whose transforms differ gets each variant as its own event;
 * the first in route order keeps its id, and a later variant whose (source,
 * id) an earlier one to that target already has gets `<id>~<route name>`, so
 * a target that deduplicates on (source, id) (JetStream's Nats-Msg-Id) keeps
 * both. Deterministic: a redelivered request makes the same ids.
 */
import type { FieldFailure } from "../errors/errors.js";
import type { CloudEvent } from "../event/cloud-event.js";
import type { RawAttributeValue } from "../event/raw-event.js";
import type { ExpressionBudget } from "../expression/expression-budget.js";
import type { Destination } from "../route/plan-deliveries.js";
import type { RouteTarget } from "../route/routing-table.js";
import type { EventPosition } from "../validate/event-validator.js";
import { type DraftResult, evaluateTransform, type TransformDraft, UNCHANGED } from "./evaluate-transform.js";
import { transformInput } from "./transform-input.js";
import { type TransformedEvent, transformedEvent } from "./transformed-event.js";

export interface EventDeliveries {
  /** Meaningful only when there are no failures. */
  readonly destinations: readonly Destination[];
  readonly failures: readonly FieldFailure[];
  /** The request's expression budget ran out while evaluating this event's transforms. */
  readonly budgetSpent: boolean;
}

/** An attribute's value after the draft, when it is a String (the identity attributes are). */
function stringAfter(draft: TransformDraft, name: string, original: string): string | undefined {
  if (!draft.attributes.has(name)) return original;
  const value: RawAttributeValue | null | undefined = draft.attributes.get(name);
  return value?.kind === "string" ? value.value : undefined;
}

/** Runs each distinct transform of the pairs once, in route order, until the budget is spent. */
async function evaluateDrafts(
  event: CloudEvent,
  pairs: readonly RouteTarget[],
  budget: ExpressionBudget,
  position: EventPosition,
): Promise<Map<string, DraftResult>> {
  const drafts = new Map<string, DraftResult>();
  let input: unknown;
  for (const { route } of pairs) {
    const transform = route.transform;
    if (transform === undefined || drafts.has(transform.key)) continue;
    input ??= transformInput(event);
    const result = await evaluateTransform(transform, route.name, input, budget, position);
    drafts.set(transform.key, result);
    if (!result.ok && result.budgetSpent) break;
  }
  return drafts;
}

const listed = (failures: readonly FieldFailure[], failure: FieldFailure) =>
  failures.some(
    (f) => f.pointer === failure.pointer && f.code === failure.code && f.detail === failure.detail,
  );

export async function transformDeliveries(
  event: CloudEvent,
  pairs: readonly RouteTarget[],
  budget: ExpressionBudget,
  position: EventPosition,
): Promise<EventDeliveries> {
  const drafts = await evaluateDrafts(event, pairs, budget, position);
  const failures: FieldFailure[] = [];
  let budgetSpent = false;
  for (const result of drafts.values()) {
    if (result.ok) continue;
    failures.push(...result.failures);
    budgetSpent ||= result.budgetSpent;
  }
  if (budgetSpent) return { destinations: [], failures, budgetSpent };

  const destinations: Destination[] = [];
  const made = new Map<string, TransformedEvent>();
  /** (target, source, id) of each variant so far. */
  const sent = new Set<string>();
  const { source, id } = event.attributes;
  for (const { target, route } of pairs) {
    const transform = route.transform;
    const drafted = transform === undefined ? undefined : drafts.get(transform.key);
    if (drafted?.ok === false) continue;
    const draft = drafted?.draft ?? UNCHANGED;
    const variantId = stringAfter(draft, "id", id) ?? "";
    const variantSource = stringAfter(draft, "source", source) ?? "";
    // Neither a target name nor a valid source holds a line break: the key is unambiguous.
    const identity = (variant: string) => `${target}\n${variantSource}\n${variant}`;
    const renamed = sent.has(identity(variantId)) ? `${variantId}~${route.name}` : undefined;
    sent.add(identity(renamed ?? variantId));
    if (transform === undefined && renamed === undefined) {
      destinations.push({ target, event });
      continue;
    }
    const key = `${transform?.key ?? ""}\n${renamed ?? ""}`;
    let result = made.get(key);
    if (result === undefined) {
      result = transformedEvent(event, draft, renamed, route.name, position);
      made.set(key, result);
      // A variant renamed for one target fails as its unrenamed self does for another: list it once.
      if (!result.ok)
        for (const failure of result.failures) if (!listed(failures, failure)) failures.push(failure);
    }
    if (result.ok) destinations.push({ target, event: result.event, route: route.name });
  }
  return { destinations, failures, budgetSpent };
}
