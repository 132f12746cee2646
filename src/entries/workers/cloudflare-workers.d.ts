/** The part of workerd's `cloudflare:workers` module (Durable Objects and their RPC) the Workers entry uses. */
declare module "cloudflare:workers" {
  export interface DurableObjectId {
    toString(): string;
  }
  export interface DurableObjectState {
    readonly id: DurableObjectId;
    readonly storage: DurableObjectStorage;
  }
  /** A SQLite-backed object's storage: its SQL database and its one alarm (epoch milliseconds). */
  export interface DurableObjectStorage {
    readonly sql: SqlStorage;
    getAlarm(): Promise<number | null>;
    setAlarm(scheduledTime: number): Promise<void>;
  }
  export type SqlStorageValue = ArrayBuffer | string | number | null;
  export interface SqlStorage {
    exec<T extends Record<string, SqlStorageValue>>(
      query: string,
      ...bindings: SqlStorageValue[]
    ): SqlStorageCursor<T>;
  }
  export interface SqlStorageCursor<T> {
    toArray(): T[];
    one(): T;
  }
  /** A Durable Object class: its public async methods are callable through a stub (RPC). */
  export abstract class DurableObject<Env = unknown> {
    protected readonly ctx: DurableObjectState;
    protected readonly env: Env;
    constructor(ctx: DurableObjectState, env: Env);
  }
  /** The methods of T callable through a stub: each returns a promise. */
  export type DurableObjectStub<T> = {
    readonly [K in keyof T as T[K] extends (...args: never[]) => unknown ? K : never]: T[K] extends (
      ...args: infer A
    ) => infer R
      ? (...args: A) => Promise<Awaited<R>>
      : never;
  };
  export interface DurableObjectNamespace<T> {
    idFromName(name: string): DurableObjectId;
    get(id: DurableObjectId): DurableObjectStub<T>;
  }
}
