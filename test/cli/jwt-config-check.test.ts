/**
 * `ce-gateway config check` on `auth.jwt`: static keys that cannot verify a
 * token and a JWKS URL that is not https are refused, the field named.
 */
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot } from "../support/cli-process.js";

const bin = join(projectRoot, "bin/ce-gateway.js");

function check(jwt: Record<string, unknown>): { status: number | null; output: string } {
  const dir = mkdtempSync(join(tmpdir(), "ce-gateway-jwt-check-"));
  const file = join(dir, "gateway.yaml");
  // JSON is YAML: the keys are written as they are.
  writeFileSync(
    file,
    JSON.stringify({
      version: 1,
      targets: { out: { type: "stdout" } },
      routes: [{ name: "all", to: ["out"] }],
      auth: { jwt },
    }),
  );
  const result = spawnSync(process.execPath, [bin, "config", "check", file], { encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const ecKey = generateKeyPairSync("ec", { namedCurve: "P-256" });
const publicEc = { ...ecKey.publicKey.export({ format: "jwk" }), kid: "ec" };
const privateEc = { ...ecKey.privateKey.export({ format: "jwk" }), kid: "ec-private" };
const smallRsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).publicKey.export({ format: "jwk" });
const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey.export({ format: "jwk" });

describe("config check of auth.jwt", () => {
  it.each([
    ["an https JWKS", { jwksUrl: "https://login.example.com/jwks.json" }],
    ["an http JWKS on localhost", { jwksUrl: "http://localhost:8081/jwks.json" }],
    ["an http JWKS on 127.0.0.1", { jwksUrl: "http://127.0.0.1:8081/jwks.json" }],
    ["an http JWKS on ::1", { jwksUrl: "http://[::1]:8081/jwks.json" }],
    ["public EC and RSA keys", { keys: [publicEc, rsa], algorithms: ["ES256", "PS256"] }],
  ])("passes %s", (_name, jwt) => {
    const result = check(jwt);
    expect(result.output).toMatch(/: ok$/m);
    expect(result.status).toBe(0);
  });

  it.each([
    [
      "an http JWKS elsewhere",
      { jwksUrl: "http://login.example.com/jwks.json" },
      "auth.jwt.jwksUrl: must be an https URL",
    ],
    ["a JWKS URL that is no URL", { jwksUrl: "jwks.json" }, "auth.jwt.jwksUrl: is not an absolute URL"],
    ["a private key", { keys: [privateEc] }, "auth.jwt.keys[0].d: this is a private key"],
    ["a shared secret", { keys: [{ kty: "oct", k: "c2VjcmV0" }] }, "auth.jwt.keys[0].kty: a shared secret"],
    ["an RSA key under 2048 bits", { keys: [rsa, smallRsa] }, "auth.jwt.keys[1].n: an RSA key of 1024 bits"],
    [
      "a truncated coordinate",
      { keys: [{ ...publicEc, x: "AAAA" }] },
      "auth.jwt.keys[0].x: must be 32 bytes",
    ],
    [
      "an unknown curve",
      { keys: [{ ...publicEc, crv: "P-192" }] },
      "auth.jwt.keys[0].crv: unsupported curve",
    ],
    ["an HMAC alg on a key", { keys: [{ ...publicEc, alg: "HS256" }] }, "auth.jwt.keys[0].alg:"],
    [
      "a key no allowed algorithm uses",
      { keys: [publicEc], algorithms: ["RS256"] },
      "auth.jwt.keys[0]: no allowed algorithm",
    ],
    [
      "alg none allowed",
      { keys: [publicEc], algorithms: ["none"] },
      "auth.jwt.algorithms[0]: must be one of",
    ],
    ["HS256 allowed", { keys: [publicEc], algorithms: ["HS256"] }, "auth.jwt.algorithms[0]: must be one of"],
    [
      "neither keys nor a JWKS",
      { issuer: "https://login.example.com/" },
      "auth.jwt: needs keys or a jwksUrl",
    ],
  ])("refuses %s, naming the field", (_name, jwt, message) => {
    const result = check(jwt);
    expect(result.status).toBe(1);
    expect(result.output).toContain(message);
  });
});
