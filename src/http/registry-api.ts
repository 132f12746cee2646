/**
 * The schema registry over HTTP, on the admin listener, shaped on the CNCF
 * xRegistry schema model: one schema group (`events`), a schema per event
 * type, numbered versions.
 *   GET  /schemagroups/events/schemas
 *   GET  /schemagroups/events/schemas/{type}/versions
 *   GET  /schemagroups/events/schemas/{type}/versions/{n}
 *   POST /schemagroups/events/schemas/{type}/versions   (register the next version)
 */
import { Hono } from "hono";
import type { CompatibilityMode } from "../config/gateway-config.js";
import { GatewayError } from "../errors/errors.js";
import { problemResponse } from "../errors/problem-response.js";
import type { SchemaRegistry } from "../schemas/schema-registry.js";
import type { SchemaStore } from "../schemas/schema-store.js";
import { registerNextVersion } from "../tooling/register-version.js";

export interface RegistryApiOptions {
  readonly registry: SchemaRegistry;
  readonly store: SchemaStore;
  readonly compatibility: CompatibilityMode;
}

const BASE = "/schemagroups/events/schemas";

export function registryApi(options: RegistryApiOptions): Hono {
  const { registry } = options;
  const app = new Hono();
  const notFound = (what: string) =>
    problemResponse(new GatewayError("not-found", `No ${what} in the registry`));

  app.get(BASE, (c) =>
    c.json(
      Object.fromEntries(
        registry.types().map((type) => {
          const latest = registry.latest(type);
          return [
            type,
            {
              schemaid: type,
              versionscount: registry.versions(type).length,
              latestversionid: String(latest?.version),
              latestid: latest?.id,
            },
          ];
        }),
      ),
    ),
  );

  app.get(`${BASE}/:type/versions`, (c) => {
    const versions = registry.versions(c.req.param("type"));
    if (versions.length === 0) return notFound(`schema for type ${c.req.param("type")}`);
    return c.json(
      Object.fromEntries(
        versions.map((v) => [String(v.version), { versionid: String(v.version), id: v.id }]),
      ),
    );
  });

  app.get(`${BASE}/:type/versions/:version`, (c) => {
    const version = registry.get(c.req.param("type"), Number(c.req.param("version")));
    if (version === undefined) return notFound(`version ${c.req.param("version")} of ${c.req.param("type")}`);
    return new Response(JSON.stringify(version.schema), {
      headers: { "content-type": "application/schema+json" },
    });
  });

  app.post(`${BASE}/:type/versions`, async (c) => {
    const type = c.req.param("type");
    let schema: unknown;
    try {
      schema = JSON.parse(await c.req.text());
    } catch {
      return problemResponse(new GatewayError("invalid-schema", "The body is not JSON"));
    }
    const result = await registerNextVersion(registry, options.store, type, schema, options.compatibility);
    switch (result.outcome) {
      case "registered":
        return c.json({ versionid: String(result.version.version), id: result.version.id }, 201, {
          location: `${BASE}/${encodeURIComponent(type)}/versions/${result.version.version}`,
        });
      case "invalid":
        return problemResponse(new GatewayError("invalid-schema", result.message));
      case "conflict":
        return problemResponse(new GatewayError("schema-incompatible", result.message));
      case "incompatible": {
        const changes = [
          ...result.breaking,
          ...result.undecidable.map((u) => ({ ...u, message: `cannot decide: ${u.message}` })),
        ];
        return problemResponse(
          new GatewayError(
            "schema-incompatible",
            `The schema is not ${options.compatibility} compatible with earlier versions of ${type}`,
            {
              failures: changes.map((change) => ({
                pointer: change.path,
                code: change.rule,
                detail: change.message,
              })),
            },
          ),
        );
      }
    }
  });
  return app;
}
