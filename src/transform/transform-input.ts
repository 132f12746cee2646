/**
 * What a transform's expressions read: the event as the JSON format shows it.
 * Every attribute (core and extension) is a top-level member by its name;
 * `data` is the parsed JSON value when the data is JSON and the string when
 * it is text; binary data is `data_base64`. Built once per event, however
 * many transforms read it.
 */
import { encodeBase64 } from "../codec/base64.js";
import { allAttributes, type CloudEvent, type EventData } from "../event/cloud-event.js";

function addData(input: Record<string, unknown>, data: EventData): void {
  if (data.encoding === "json") {
    try {
      input.data = data.json();
      return;
    } catch {
      // Every decoder scans JSON data before calling it JSON; should one not, its bytes are still readable.
    }
  }
  const text = data.encoding === "text" ? data.text() : undefined;
  if (text !== undefined) input.data = text;
  else input.data_base64 = encodeBase64(data.bytes);
}

export function transformInput(event: CloudEvent): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const [name, value] of allAttributes(event)) input[name] = value;
  if (event.data !== undefined) addData(input, event.data);
  return input;
}
