/** A gateway config with CORS for one page's origin and an API key, as a file for `serve` and wrangler. */
import { createHash } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const CORS_KEY = "ceg_page_3c4d5e6f7a8b9c0d";

/** With `toStdout`, events go to the stdout target (the test reads what was delivered); else nowhere. */
export function corsConfigText(allowedOrigin: string, toStdout = false): string {
  const sha256 = createHash("sha256").update(CORS_KEY).digest("hex");
  const delivery = toStdout
    ? "targets:\n  out: { type: stdout }\nroutes:\n  - name: all\n    to: [out]\n"
    : "unmatched: accept\n";
  return `version: 1
${delivery}cors:
  allowOrigins: ["${allowedOrigin}"]
  maxAgeSeconds: 60
auth:
  apiKeys:
    - id: page
      sha256: "${sha256}"
ingest:
  webhook:
    allowedOrigins: ["eventgrid.azure.net"]
  sources:
    - path: /hooks/orders
      type: json
      event: { type: "'com.example.order'", source: "'/shop'" }
`;
}

/** Writes the config to a fresh folder; returns its path. */
export function writeCorsConfig(allowedOrigin: string, toStdout = false): string {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-cors-"));
  const path = join(dir, "gateway.yaml");
  writeFileSync(path, corsConfigText(allowedOrigin, toStdout));
  return path;
}
