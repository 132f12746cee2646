import { readFileSync } from "node:fs";
import { Ajv } from "ajv";
import addFormatsModule from "ajv-formats";
import { describe, expect, it } from "vitest";
import { allAttributes } from "../../src/event/cloud-event.js";
import { toJsonFormat } from "../../src/event/json-format.js";
import { problemOf, STRUCTURED, testGateway, text } from "../support/gateway.js";
import {
  featureCases,
  hasControlCharacter,
  requestFor,
  sdkExamples,
  V03_YAML_FILES,
  v1YamlCases,
  v03YamlCases,
} from "../support/http-conformance-table.js";
import { sharedAvailable, sharedPath, sharedSkipReason } from "../support/shared-dir.js";

const suite = sharedAvailable ? describe : describe.skip;
if (!sharedAvailable) console.warn(`skipping HTTP conformance: ${sharedSkipReason}`);

const schema = sharedAvailable
  ? JSON.parse(readFileSync(sharedPath("conformance/schemas/cloudevents.json"), "utf8"))
  : {};
const ajv = new Ajv({ strict: false });
// ajv-formats is CommonJS: its default export arrives wrapped under NodeNext resolution.
const addFormats = addFormatsModule as unknown as { default: (ajv: Ajv) => void };
addFormats.default(ajv);
const validateJsonFormat = ajv.compile(schema);

suite("cloudevents/conformance YAML cases", () => {
  const cases = v1YamlCases();

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

  it.each(V03_YAML_FILES)("refuses the CloudEvents 0.3 events of %s with 400", async (file) => {
    const gw = testGateway();
    for (const c of v03YamlCases(file)) {
      const response = await gw.post(requestFor(c, c.mode));
      expect(response.status).toBe(400);
      expect((await problemOf(response)).errors).toContainEqual(
        expect.objectContaining({ pointer: "/specversion", code: "unsupported-specversion" }),
      );
    }
  });
});

suite("cloudevents/conformance HTTP binding feature", () => {
  const cases = featureCases();
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
  for (const { file, body } of sdkExamples()) {
    it(`${file} is accepted and forwarded byte for byte`, async () => {
      const gw = testGateway();
      const response = await gw.post({ headers: STRUCTURED, body });
      expect(response.status).toBe(202);
      const [event] = gw.received();
      expect(text(toJsonFormat(event!))).toBe(body.trim());
      expect(validateJsonFormat(JSON.parse(body))).toBe(true);
    });
  }
});
