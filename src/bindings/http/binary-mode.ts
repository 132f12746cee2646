/**
 * Binary content mode (HTTP binding 3.1): `ce-*` headers carry the
 * attributes, `Content-Type` is `datacontenttype`, the body is the data.
 */

import { decodeHeaderValue, type HeaderDecodeFailure } from "../../codec/header-value.js";
import type { FieldFailure } from "../../errors/errors.js";
import type { RawAttribute, RawEvent } from "../../event/raw-event.js";
import { pointerToken } from "../json-event.js";
import type { HeaderReader } from "./header-reader.js";

const DETAIL: Record<HeaderDecodeFailure, string> = {
  "invalid-quoted-string": "is not a well-formed quoted-string",
  "invalid-utf8": "does not decode to UTF-8",
};

export function decodeBinaryMode(headers: HeaderReader, body: Uint8Array): RawEvent {
  const attributes: RawAttribute[] = [];
  const failures: FieldFailure[] = [];
  headers.forEach((raw, header) => {
    if (!header.startsWith("ce-")) return;
    const name = header.slice(3);
    const pointer = `/${pointerToken(name)}`;
    if (name === "datacontenttype") {
      failures.push({
        index: 0,
        header,
        pointer,
        code: "datacontenttype-header",
        detail: "In binary mode datacontenttype travels as Content-Type, not as ce-datacontenttype",
      });
      return;
    }
    const decoded = decodeHeaderValue(raw);
    if (!decoded.ok) {
      failures.push({
        index: 0,
        header,
        pointer,
        code: decoded.code,
        detail: `${header} ${DETAIL[decoded.code]}`,
      });
      return;
    }
    attributes.push({ name, value: { kind: "string", value: decoded.value }, pointer, header });
  });
  const contentType = headers.get("content-type");
  if (contentType !== null && contentType.trim() !== "") {
    attributes.push({
      name: "datacontenttype",
      value: { kind: "string", value: contentType },
      pointer: "/datacontenttype",
      header: "content-type",
    });
  }
  return {
    index: 0,
    pointerPrefix: "",
    attributes,
    // An empty body means the event has no data.
    data: body.length === 0 ? undefined : { from: "body", bytes: body },
    encoded: undefined,
    failures,
  };
}
