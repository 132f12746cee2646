/**
 * The checks of `auth.jwt` a JSON Schema cannot make: each static key must be
 * a public key some allowed algorithm can verify with, and the JWKS must come
 * over https (plain http only from this machine). Pure and synchronous, so
 * `config check` and every runtime refuse the same configs.
 */
import type { PathSegment } from "../../config/config-path.js";
import type { JwtConfig } from "../auth-config.js";
import { algorithmsForKey, JWT_ALGORITHMS, type JwtAlgorithm } from "./jwt-algorithms.js";

export interface JwtConfigIssue {
  /** Below `auth.jwt`. */
  readonly path: readonly PathSegment[];
  readonly message: string;
}

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
/** Members only a private key has: a config must hold the public part alone. */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth"];
/** Byte lengths of a coordinate on each curve. */
const COORDINATE_BYTES: Readonly<Record<string, number>> = {
  "P-256": 32,
  "P-384": 48,
  "P-521": 66,
  Ed25519: 32,
};
/** jose refuses RSA keys below 2048 bits. */
const MIN_RSA_MODULUS_BYTES = 256;

/** The length of an unpadded base64url string's bytes, or undefined when it is not base64url. */
function base64urlBytes(value: unknown): number | undefined {
  if (typeof value !== "string" || !/^[A-Za-z0-9_-]+$/.test(value) || value.length % 4 === 1)
    return undefined;
  return Math.floor((value.length * 3) / 4);
}

export function jwksUrlIssue(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "is not an absolute URL";
  }
  if (parsed.protocol === "https:") return undefined;
  if (parsed.protocol === "http:" && LOOPBACK_HOSTS.has(parsed.hostname)) return undefined;
  return "must be an https URL (http only for localhost, 127.0.0.1 or ::1)";
}

function keyIssues(
  jwk: Readonly<Record<string, unknown>>,
  allowed: readonly JwtAlgorithm[],
): { member?: string; message: string }[] {
  const { kty, crv, alg, use } = jwk;
  if (kty === "oct") {
    return [
      { member: "kty", message: "a shared secret (kty oct) cannot verify a JWT here: give a public key" },
    ];
  }
  if (kty !== "RSA" && kty !== "EC" && kty !== "OKP") {
    return [{ member: "kty", message: `unknown key type ${JSON.stringify(kty)} (use RSA, EC or OKP)` }];
  }
  const issues: { member?: string; message: string }[] = [];
  for (const member of PRIVATE_MEMBERS) {
    if (member in jwk) issues.push({ member, message: "this is a private key: give only its public part" });
  }
  if (kty === "RSA") {
    const modulus = base64urlBytes(jwk.n);
    if (modulus === undefined) issues.push({ member: "n", message: "missing or not base64url" });
    else if (modulus < MIN_RSA_MODULUS_BYTES)
      issues.push({ member: "n", message: `an RSA key of ${modulus * 8} bits; at least 2048 are needed` });
    if (base64urlBytes(jwk.e) === undefined)
      issues.push({ member: "e", message: "missing or not base64url" });
  } else {
    const size = typeof crv === "string" ? COORDINATE_BYTES[crv] : undefined;
    const curveFits = size !== undefined && (kty === "EC") === (crv !== "Ed25519");
    if (!curveFits) {
      issues.push({
        member: "crv",
        message: `unsupported curve ${JSON.stringify(crv)} for kty ${kty} (${kty === "EC" ? "P-256, P-384 or P-521" : "Ed25519"})`,
      });
    } else {
      const coordinates = kty === "EC" ? ["x", "y"] : ["x"];
      for (const member of coordinates) {
        if (base64urlBytes(jwk[member]) !== size)
          issues.push({ member, message: `must be ${size} bytes of base64url for ${String(crv)}` });
      }
    }
  }
  if (use !== undefined && use !== "sig") issues.push({ member: "use", message: 'must be "sig"' });
  const fits = algorithmsForKey(kty, crv);
  if (alg !== undefined && !fits.includes(alg as JwtAlgorithm)) {
    issues.push({
      member: "alg",
      message: `${JSON.stringify(alg)} is not a signature algorithm for this key`,
    });
  } else if (fits.length > 0 && !fits.some((a) => allowed.includes(a) && (alg === undefined || a === alg))) {
    issues.push({ message: `no allowed algorithm (${allowed.join(", ")}) verifies with this key` });
  }
  return issues;
}

export function jwtConfigIssues(jwt: JwtConfig | undefined): JwtConfigIssue[] {
  if (jwt === undefined) return [];
  const issues: JwtConfigIssue[] = [];
  if (jwt.jwksUrl === undefined && (jwt.keys === undefined || jwt.keys.length === 0)) {
    issues.push({ path: [], message: "needs keys or a jwksUrl to verify tokens with" });
  }
  if (jwt.jwksUrl !== undefined) {
    const issue = jwksUrlIssue(jwt.jwksUrl);
    if (issue !== undefined) issues.push({ path: ["jwksUrl"], message: issue });
  }
  const allowed = jwt.algorithms ?? JWT_ALGORITHMS;
  jwt.keys?.forEach((jwk, index) => {
    for (const issue of keyIssues(jwk, allowed)) {
      issues.push({
        path: issue.member === undefined ? ["keys", index] : ["keys", index, issue.member],
        message: issue.message,
      });
    }
  });
  return issues;
}
