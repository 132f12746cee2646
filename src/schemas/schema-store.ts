/**
 * Where registered schema versions are kept: files on disk (one instance) or
 * a NATS JetStream key-value bucket (several instances, each watching it).
 * Implementations live with the runtime entry; this is the contract.
 */
import type { SchemaVersion } from "./schema-version.js";

export interface SchemaStore {
  /** Every version stored now. */
  load(): Promise<SchemaVersion[]>;
  /** Stores a new version; throws VersionTakenError when that number exists (another instance was first). */
  save(version: SchemaVersion): Promise<void>;
  /** Reports versions stored from elsewhere, as they arrive; returns a function that stops watching. */
  watch?(onVersions: (versions: SchemaVersion[]) => void, onError: (error: unknown) => void): () => void;
  close(): Promise<void>;
}

export class VersionTakenError extends Error {
  constructor(eventType: string, version: number) {
    super(`${eventType} version ${version} was registered meanwhile; retry`);
    this.name = "VersionTakenError";
  }
}

/** The stored form of a version (files hold only the schema; the KV entry holds this). */
export interface StoredSchema {
  readonly eventType: string;
  readonly version: number;
  readonly schema: unknown;
}
