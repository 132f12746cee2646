/** @jsxImportSource hono/jsx */
/** The live tail: a filter form, and the events the client script adds as the stream brings them. */
export function TailPage() {
  return (
    <section>
      <h1>Live tail</h1>
      <form id="tail-filter" class="filters">
        <label>
          Type starts with <input name="type" placeholder="com.example." />
        </label>
        <label>
          Source starts with <input name="source" placeholder="/orders" />
        </label>
        <label class="wide">
          CESQL <input name="sql" placeholder="subject LIKE 'eu-%'" />
        </label>
        <button type="submit">Apply</button>
      </form>
      <p id="tail-status" class="muted">
        Connecting…
      </p>
      <div id="tail" aria-live="polite"></div>
    </section>
  );
}

const SAMPLE = JSON.stringify(
  {
    specversion: "1.0",
    id: "explain-1",
    source: "/console",
    type: "com.example.order.created",
    datacontenttype: "application/json",
    data: { orderId: "o-1" },
  },
  null,
  2,
);

/** Route explain: an event to edit, and which routes match it and where it would go. */
export function ExplainPage() {
  return (
    <section>
      <h1>Route explain</h1>
      <p class="muted">
        An event in the CloudEvents JSON format (or a batch): the routes of the running config say whether
        each matches, and where it would go. Nothing is delivered.
      </p>
      <form id="explain-form">
        <textarea id="explain-event" name="event" rows={14} spellcheck={false}>
          {SAMPLE}
        </textarea>
        <button type="submit">Explain</button>
      </form>
      <div id="explain-result"></div>
    </section>
  );
}
