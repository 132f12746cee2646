import { readdirSync, readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { encodeHeaderValue } from "../../src/codec/header-value.js";
import { isJsonContentType } from "../../src/codec/media-type.js";
import { allAttributes } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { readFeatureCases, readYamlCases, type YamlCase } from "../support/conformance-cases.js";
import { problemOf, STRUCTURED, testGateway, text } from "../support/gateway.js";
import { sharedAvailable, sharedPath, sharedSkipReason } from "../support/shared-dir.js";

const suite = sharedAvailable ? describe : describe.skip;
if (!sharedAvailable) console.warn(`skipping HTTP conformance: ${sharedSkipReason}`);

function requestFor(c: YamlCase, mode: "binary" | "structured") {
  const { datacontenttype, ...attributes } = { ...c.attributes, ...c.extensions };
  if (mode === "binary") {
    const headers: Record<string, string> = { ...c.transport };
    for (const [name, value] of Object.entries(attributes)) headers[`ce-${name}`] = encodeHeaderValue(value);
    if (datacontenttype !== undefined) headers["content-type"] = datacontenttype;
    return { headers, body: c.data ?? null };
  }
  const dataMember =
    c.data === undefined
      ? ""
      : `,"data":${isJsonContentType(datacontenttype) ? c.data : JSON.stringify(c.data)}`;
  const json = JSON.stringify(
    datacontenttype === undefined ? attributes : { ...attributes, datacontenttype },
  );
  return { headers: { ...c.transport, ...STRUCTURED }, body: `${json.slice(0, -1)}${dataMember}}` };
}

const schema = sharedAvailable
  ? JSON.parse(readFileSync(sharedPath("conformance/schemas/cloudevents.json"), "utf8"))
  : {};
const ajv = new Ajv({ strict: false });
// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => void };
addFormats.default(ajv);
const validateJsonFormat = ajv.compile(schema);

suite("cloudevents/conformance YAML cases", () => {
  const cases = sharedAvailable
    ? [
        ...readYamlCases(sharedPath("conformance/http/conformance-yaml/v1.yaml")),
        ...readYamlCases(sharedPath("conformance/http/conformance-yaml/v1.0/v1_minimum.yaml")),
      ]
    : [];

  const hasControlCharacter = (c: YamlCase) =>
    Object.values(c.extensions).some((v) => [...v].some((ch) => ch.charCodeAt(0) < 0x20));

  for (const c of cases) {
    for (const mode of ["binary", "structured"] as const) {
      it(`${c.title} in ${mode} mode`, async () => {
        const gw = testGateway();
        const response = await gw.post(requestFor(c, mode));
        if (hasControlCharacter(c)) {
          // v1.yaml's comexampleextension2 is a YAML block scalar ending in a newline, and the
          // String type forbids control characters: the gateway must refuse it, naming it.
          expect(response.status).toBe(400);
          expect((await problemOf(response)).errors).toContainEqual(
            expect.objectContaining({ pointer: "/comexampleextension2", code: "invalid-string" }),
          );
          return;
        }
        expect(response.status).toBe(202);
        const [event] = gw.received();
        expect(Object.fromEntries(allAttributes(event!))).toEqual({ ...c.attributes, ...c.extensions });
        const data = event?.data;
        if (c.data === undefined) expect(data).toBeUndefined();
        else if (mode === "binary") expect(text(data?.bytes)).toBe(c.data);
        else if (data?.encoding === "json") expect(data.json()).toEqual(JSON.parse(c.data));
        else expect(data?.text()).toBe(c.data);
        expect(
          validateJsonFormat(JSON.parse(text(toJsonFormat(event!))!)),
          JSON.stringify(validateJsonFormat.errors),
        ).toBe(true);
      });
    }
  }

  it("accepts v1.yaml's events once the forbidden newline is removed", async () => {
    const gw = testGateway();
    for (const c of cases.filter(hasControlCharacter)) {
      const cleaned = {
        ...c,
        extensions: Object.fromEntries(Object.entries(c.extensions).map(([k, v]) => [k, v.trim()])),
      };
      const response = await gw.post(requestFor(cleaned, c.mode));
      expect(response.status).toBe(202);
      expect(gw.received().at(-1)?.extensions.get("comexampleextension2")).toBe('{"othervalue": 5}');
    }
  });

  it.each(["v03.yaml", "v0.3/v03_minimum.yaml"])(
    "refuses the CloudEvents 0.3 events of %s with 400",
    async (file) => {
      const gw = testGateway();
      for (const c of readYamlCases(sharedPath("conformance/http/conformance-yaml", file))) {
        const response = await gw.post(requestFor(c, c.mode));
        expect(response.status).toBe(400);
        expect((await problemOf(response)).errors).toContainEqual(
          expect.objectContaining({ pointer: "/specversion", code: "unsupported-specversion" }),
        );
      }
    },
  );
});

suite("cloudevents/conformance HTTP binding feature", () => {
  const cases = sharedAvailable
    ? readFeatureCases(sharedPath("conformance/http/features/http-protocol-binding.feature"))
    : [];
  it("has the four documented cases", () => expect(cases).toHaveLength(4));
  for (const c of cases) {
    it(c.title, async () => {
      const gw = testGateway();
      const response = await gw.post({ headers: c.headers, body: c.body });
      expect(response.status).toBe(202);
      const [event] = gw.received();
      expect(Object.fromEntries(allAttributes(event!))).toEqual(c.attributes);
      expect(event?.data?.json()).toEqual(c.data);
    });
  }
});

suite("sdk-javascript example payloads", () => {
  const dir = sharedPath("conformance/http/sdk-javascript-examples");
  const files = sharedAvailable ? readdirSync(dir).filter((f) => f.endsWith(".json")) : [];
  for (const file of files) {
    it(`${file} is accepted and forwarded byte for byte`, async () => {
      const body = readFileSync(`${dir}/${file}`);
      const gw = testGateway();
      const response = await gw.post({ headers: STRUCTURED, body });
      expect(response.status).toBe(202);
      const [event] = gw.received();
      expect(text(toJsonFormat(event!))).toBe(body.toString("utf8").trim());
      expect(validateJsonFormat(JSON.parse(body.toString("utf8")))).toBe(true);
    });
  }
});
