/**
 * Remembers a value computed from an event, for as long as the event lives:
 * an adapter encodes each event once, though the router asks for its size at
 * ingress and the adapter then publishes it.
 */
import type { CloudEvent } from "../event/cloud-event.js";

export function perEvent<T>(compute: (event: CloudEvent) => T): (event: CloudEvent) => T {
  const known = new WeakMap<CloudEvent, T>();
  return (event) => {
    if (known.has(event)) return known.get(event) as T;
    const value = compute(event);
    known.set(event, value);
    return value;
  };
}
