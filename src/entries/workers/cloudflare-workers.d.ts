/** The part of workerd's `cloudflare:workers` module (Durable Objects and their RPC) the Workers entry uses. */
declare module "cloudflare:workers" {
  export interface DurableObjectId {
    toString(): string;
  }
  export interface DurableObjectState {
    readonly id: DurableObjectId;
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
