/**
 * Console sign-in sessions, kept in memory (one admin listener, one
 * process): a random id the cookie carries, the admin token's id it was
 * opened with (for the audit log), a random CSRF token every change must
 * send back, and an expiry. The oldest session goes when there are too many.
 */
import { encodeHex } from "../codec/hex.js";

export interface ConsoleSession {
  readonly id: string;
  /** The id of the admin token that signed in: what audit lines name. */
  readonly principal: string;
  readonly csrf: string;
  readonly expiresAt: number;
}

export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
const MAX_SESSIONS = 1_000;

/** 32 random bytes, in hex: unguessable, and safe in a cookie and a header. */
function randomToken(): string {
  return encodeHex(crypto.getRandomValues(new Uint8Array(32)));
}

/** Compares without stopping at the first difference, so timing does not reveal a prefix. */
export function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return difference === 0;
}

export class ConsoleSessions {
  readonly #sessions = new Map<string, ConsoleSession>();
  readonly #now: () => number;
  readonly #ttlMs: number;

  constructor(now: () => number = Date.now, ttlMs = SESSION_TTL_MS) {
    this.#now = now;
    this.#ttlMs = ttlMs;
  }

  open(principal: string): ConsoleSession {
    const session = {
      id: randomToken(),
      principal,
      csrf: randomToken(),
      expiresAt: this.#now() + this.#ttlMs,
    };
    this.#sessions.set(session.id, session);
    if (this.#sessions.size > MAX_SESSIONS)
      this.#sessions.delete(this.#sessions.keys().next().value as string);
    return session;
  }

  /** The live session with this id; an expired one is forgotten. */
  find(id: string | undefined): ConsoleSession | undefined {
    if (id === undefined) return undefined;
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.#now()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  close(id: string): void {
    this.#sessions.delete(id);
  }
}
