/**
 * Which paths a transform expression may read from the event, checked when
 * the config loads so that an unquoted constant (`com.example.order`) is
 * refused instead of silently yielding nothing on every event.
 *
 * The event's extensions are not known before it arrives, so any attribute
 * name may start a path. But every attribute is one value (a String, Integer
 * or Boolean): stepping into one (`subject.id`, `com.example`) can never find
 * anything. Only `data` has members, so a path of several steps must start
 * there; a single name must be an attribute name, `data` or `data_base64`.
 */
import type { RootPolicy } from "../expression/compile-expression.js";
import { isValidAttributeName } from "../normalize/attribute-rules.js";

export const EVENT_PATHS: RootPolicy = {
  accepts: (name, readsField) =>
    readsField ? name === "data" : name === "data" || name === "data_base64" || isValidAttributeName(name),
  expected:
    "a path into the event: only data has members, and a name alone must be an attribute name (a-z, 0-9), data or data_base64",
};
