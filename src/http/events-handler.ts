/**
 * The whole pipeline, one stage per line:
 * decode -> normalize -> validate -> route (transform) -> deliver -> respond.
 * POST /events decodes by the CloudEvents HTTP binding; a source's path
 * decodes by its source (src/sources); every later stage is the same.
 */
import type { TargetRegistry } from "../adapter/target-registry.js";
import type { Admission } from "../auth/admission.js";
import { authorizeEvents } from "../auth/authorize-events.js";
import type { JsonLimits } from "../codec/json-limits.js";
import {
  type AdmittingContext,
  type Clock,
  createRequestContext,
  type RequestContext,
} from "../context/request-context.js";
import { decodeRequest } from "../decode/decode-request.js";
import type { Decoded, RequestDecoder } from "../decode/decoded.js";
import type { IngressRequest } from "../decode/ingress-request.js";
import type { DeliveryLayer, DeliveryResult } from "../deliver/delivery-layer.js";
import { asGatewayError, problemReply } from "../errors/problem-response.js";
import type { CloudEvent } from "../event/cloud-event.js";
import type { RateLimitStage } from "../limits/rate-limit-stage.js";
import { normalizeEvents } from "../normalize/normalize-event.js";
import type { FailedDelivery, Observer } from "../observe/observer.js";
import { endRequestSpan, startRequestSpan } from "../observe/tracing/request-span.js";
import { startingTraceOf } from "../observe/tracing/trace-extension.js";
import { type AcceptedBody, acceptedReply, summarizeDelivery } from "../respond/accepted-response.js";
import type { GatewayReply } from "../respond/reply.js";
import { type DeliveryPlan, planDeliveries } from "../route/plan-deliveries.js";
import type { RoutingTable } from "../route/routing-table.js";
import type { SourceAcceptedReply } from "../sources/source.js";
import { NO_PATH_PARAMS, type PathParams } from "../sources/source-path.js";
import { routeAndTransform } from "../transform/transform-stage.js";
import { type ContractVerdict, type EventValidator, validateEvents } from "../validate/event-validator.js";

export interface PipelineDeps {
  /** Who is asking (before the body is read); absent without an `auth` section. */
  readonly admission: Admission | undefined;
  /** How fast (also before the body is read); absent when no limit is configured. */
  readonly rateLimit: RateLimitStage | undefined;
  readonly maxBodyBytes: number;
  readonly maxBatchEvents: number;
  readonly jsonLimits: JsonLimits;
  readonly deliveryTimeoutMs: number;
  readonly routing: RoutingTable;
  readonly targets: TargetRegistry;
  readonly validator: EventValidator;
  readonly delivery: DeliveryLayer;
  readonly observer: Observer;
  readonly clock: Clock;
  readonly newId: () => string;
}

function failedDeliveries(
  results: readonly DeliveryResult[],
  events: readonly CloudEvent[],
): FailedDelivery[] {
  const failed: FailedDelivery[] = [];
  for (const { eventIndex, target, outcome } of results) {
    if (outcome.status === "acked") continue;
    const { id, source } = (events[eventIndex] as CloudEvent).attributes;
    failed.push({ target, eventId: id, source, outcome });
  }
  return failed;
}

/** An event that breaks its data contract in warn mode: accepted, and reported. */
function reportContractWarnings(
  observer: Observer,
  ctx: RequestContext,
  event: CloudEvent,
  verdict: ContractVerdict,
): void {
  if (verdict.warnings.length === 0) return;
  const { id, type } = event.attributes;
  observer.report({
    stage: "contract-warning",
    ctx,
    eventId: id,
    type,
    schema: verdict.schema,
    failures: verdict.warnings,
  });
}

/** Every delivery of the plan accepted once in the outbox (a source's `ack: async`). */
const acceptedAsync = (plan: DeliveryPlan): DeliveryPlan => ({
  ...plan,
  deliveries: plan.deliveries.map((d) =>
    d.policy.async === true ? d : { ...d, policy: { ...d.policy, async: true } },
  ),
});

/** POST /events: events in the CloudEvents HTTP binding. */
export function eventsHandler(deps: PipelineDeps) {
  return pipelineHandler(deps, "/events", async (request): Promise<Decoded> => {
    const decoded = await decodeRequest(request, deps);
    return { kind: "events", label: decoded.mode, batch: decoded.mode === "batch", events: decoded.events };
  });
}

/** How a path proves its sender, which decides when its requests are counted against the rate limits. */
export interface PathOptions {
  /**
   * The path's source checks a signature over the body in decode (admission
   * let the request through unasked). Its requests are then counted after
   * decode, once the signature held: counted before, a sender without the
   * secret would spend, with requests refused 401, the global budget of
   * everyone else and the bucket of the source's real deliveries. The body
   * is read for the signature anyway, so counting later lets nobody unproven
   * skip work the limit would have spared; what it costs is that a proven
   * sender's body that then fails to decode (400) is not counted either.
   */
  readonly senderProvenInDecode?: boolean;
  /** The path's events are accepted once in the outbox (`ack: async` on its source), whatever their routes say. */
  readonly acceptAsync?: boolean;
  /** The path's own success answer (a cloud publish API's), in place of the 202; failures stay problem+json. */
  readonly acceptedReply?: (accepted: AcceptedBody) => SourceAcceptedReply;
}

/** A source's success answer as a reply, with the request id like every other answer. */
function sourceReply(reply: SourceAcceptedReply, requestId: string): GatewayReply {
  const headers: Record<string, string> = { "x-request-id": requestId };
  if (reply.body !== "") headers["content-type"] = reply.contentType ?? "application/json";
  return { status: reply.status, headers, body: reply.body };
}

/** The pipeline for one path, its decode stage given. */
export function pipelineHandler(
  deps: PipelineDeps,
  path: string,
  decode: RequestDecoder,
  options: PathOptions = {},
) {
  const limitBeforeDecode = options.senderProvenInDecode !== true;
  /** The request's SERVER span around the whole pipeline (../observe/tracing/request-span.ts). */
  return async function handleRequest(
    request: IngressRequest,
    pathParams: PathParams = NO_PATH_PARAMS,
  ): Promise<GatewayReply> {
    const ctx = createRequestContext(request, {
      clock: deps.clock,
      timeoutMs: deps.deliveryTimeoutMs,
      newId: deps.newId,
    });
    const span = startRequestSpan(path, request.headers);
    ctx.telemetry = span.context;
    let status = 500; // what an exception past the pipeline's own handling becomes
    try {
      const reply = await runPipeline(request, ctx, pathParams);
      status = reply.status;
      return reply;
    } finally {
      endRequestSpan(span, status, ctx.requestId);
    }
  };

  async function runPipeline(
    request: IngressRequest,
    ctx: AdmittingContext,
    pathParams: PathParams,
  ): Promise<GatewayReply> {
    try {
      // admit -> limit -> decode -> normalize -> authorize -> validate -> route -> deliver -> respond
      // (on a signed source's path: admit -> decode -> limit -> normalize -> ...)
      const principal = deps.admission === undefined ? undefined : await deps.admission(request, path);
      ctx.principal = principal;
      if (deps.rateLimit !== undefined && limitBeforeDecode) await deps.rateLimit(request, path, principal);
      const decoded = await decode(request, ctx, pathParams);
      if (deps.rateLimit !== undefined && !limitBeforeDecode) await deps.rateLimit(request, path, principal);
      if (decoded.kind === "reply")
        return { ...decoded.reply, headers: { ...decoded.reply.headers, "x-request-id": ctx.requestId } };
      deps.observer.report({ stage: "received", ctx, mode: decoded.label, count: decoded.events.length });
      const events = normalizeEvents(decoded.events);
      const batched = decoded.batch;
      authorizeEvents(events, principal, batched);
      const verdicts = validateEvents(events, deps.validator, batched);
      verdicts.forEach((verdict, i) => {
        reportContractWarnings(deps.observer, ctx, events[i] as CloudEvent, verdict);
      });
      // Only a config with a transform pays for one: otherwise routing stays synchronous.
      const routed = deps.routing.hasTransforms
        ? await routeAndTransform(events, deps.routing, deps.validator, batched)
        : undefined;
      if (routed !== undefined) {
        for (const { event, verdict } of routed.warnings)
          reportContractWarnings(deps.observer, ctx, event, verdict);
      }
      // Only a route with `trace.addExtension` needs the trace an event started in.
      const starting = deps.routing.addsTraceExtension === true ? startingTraceOf(ctx) : undefined;
      const planned = planDeliveries(events, deps.routing, deps.targets, routed?.destinations, starting);
      const plan = options.acceptAsync === true ? acceptedAsync(planned) : planned;
      deps.observer.report({
        stage: "routed",
        ctx,
        events,
        deliveries: plan.deliveries.map((d) => ({
          eventId: d.message.event.attributes.id,
          target: d.target,
          eventIndex: d.eventIndex,
        })),
        verdicts,
      });
      const results = await deps.delivery.deliver(plan, ctx);
      const verdict = summarizeDelivery(events, results);
      if (verdict.accepted) {
        deps.observer.report({ stage: "accepted", ctx, count: events.length });
        return options.acceptedReply === undefined
          ? acceptedReply(verdict.body, ctx.requestId)
          : sourceReply(options.acceptedReply(verdict.body), ctx.requestId);
      }
      const { problem } = verdict;
      if (ctx.signal.aborted) {
        // Nobody is waiting for the answer, and no target failed: not a delivery failure.
        const unconfirmed = results.filter((r) => r.outcome.status !== "acked").length;
        deps.observer.report({ stage: "client-gone", ctx, unconfirmed });
        return problemReply(problem, ctx.requestId);
      }
      // A 502 or 503 because a target did not take an event: a delivery failure, not a refused request.
      deps.observer.report({
        stage: "delivery-failed",
        ctx,
        status: problem.status,
        code: problem.code,
        deliveries: failedDeliveries(results, events),
      });
      return problemReply(problem, ctx.requestId);
    } catch (thrown) {
      // The request itself was refused (400, 413, 415, 422) before anything was delivered.
      const error = asGatewayError(thrown);
      deps.observer.report({
        stage: "rejected",
        ctx,
        status: error.status,
        code: error.code,
        detail: error.logDetail ?? error.message,
        failures: error.failures,
        failuresOmitted: error.failuresOmitted,
      });
      return problemReply(error, ctx.requestId);
    }
  }
}
