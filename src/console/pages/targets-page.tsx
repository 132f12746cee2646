/** @jsxImportSource hono/jsx */
/**
 * Targets: what /status says of each (readiness, circuit, in flight,
 * failures, outbox depth), throughput and latency measured by the client
 * script from the live stream while the page is open, and each dead-letter
 * target's held events with a re-drive button.
 */
import type { TargetStatus } from "../../adapter/target-registry.js";
import type { GuardStatus } from "../../deliver/target-guard.js";
import type { OutboxStatus } from "../../http/create-gateway.js";

export type TargetRow = TargetStatus & { readonly delivery: GuardStatus; readonly outbox?: OutboxStatus };

/** One held dead letter, as shown: its `deadletter*` extensions say who refused it and why. */
export interface DeadLetterRow {
  readonly id: string;
  readonly type: string;
  readonly refusedBy: string;
  readonly attempts: string;
  /** Redacted: it may quote a target's address. */
  readonly error: string;
}

export interface DeadLetterView {
  readonly target: string;
  /** What the target holds (at most DEAD_LETTERS_SHOWN), or why it cannot be read back. */
  readonly letters: readonly DeadLetterRow[] | string;
}

export const DEAD_LETTERS_SHOWN = 20;

function DeadLetters(props: { view: DeadLetterView }) {
  const { target, letters } = props.view;
  return (
    <div class="dead-letters" data-target={target}>
      <h3>
        {target}{" "}
        {typeof letters === "string" ? null : (
          <button type="button" class="replay" data-target={target}>
            Re-drive
          </button>
        )}
      </h3>
      {typeof letters === "string" ? (
        <p class="muted">{letters}</p>
      ) : letters.length === 0 ? (
        <p class="muted">No dead letters held.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>id</th>
              <th>type</th>
              <th>refused by</th>
              <th>attempts</th>
              <th>error</th>
            </tr>
          </thead>
          <tbody>
            {letters.map((letter) => (
              <tr>
                <td>{letter.id}</td>
                <td>{letter.type}</td>
                <td>{letter.refusedBy}</td>
                <td>{letter.attempts}</td>
                <td>{letter.error}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="replay-result muted"></p>
    </div>
  );
}

export function TargetsPage(props: {
  targets: Record<string, TargetRow>;
  deadLetters: readonly DeadLetterView[];
}) {
  return (
    <section>
      <h1>Targets</h1>
      <table id="targets">
        <thead>
          <tr>
            <th>target</th>
            <th>type</th>
            <th>ready</th>
            <th>circuit</th>
            <th>in flight</th>
            <th>failures</th>
            <th>outbox</th>
            <th>events/s</th>
            <th>latency</th>
          </tr>
        </thead>
        <tbody>
          {Object.entries(props.targets).map(([name, t]) => (
            <tr data-target={name}>
              <td>{name}</td>
              <td>{t.type}</td>
              <td class={t.ready ? "ok" : "error"} title={t.error}>
                {t.ready ? "ready" : `not ready${t.error ? `: ${t.error}` : ""}`}
              </td>
              <td>{t.delivery.circuit}</td>
              <td>
                {t.delivery.inFlight}
                {t.delivery.maxInFlight === null ? "" : ` / ${t.delivery.maxInFlight}`}
              </td>
              <td>
                {t.delivery.failures} <span class="muted">({t.delivery.shed} shed)</span>
              </td>
              <td>
                {t.outbox === undefined
                  ? "none"
                  : `${t.outbox.depth}${t.outbox.oldestAgeMs === null ? "" : `, oldest ${Math.round(t.outbox.oldestAgeMs / 1000)} s`}`}
              </td>
              <td class="rate">–</td>
              <td class="latency">–</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted">
        Events/s and latency are measured from the live stream while this page is open (the last minute).
      </p>
      <h2>Dead letters</h2>
      {props.deadLetters.length === 0 ? <p class="muted">No route names a dead-letter target.</p> : null}
      {props.deadLetters.map((view) => (
        <DeadLetters view={view} />
      ))}
    </section>
  );
}
