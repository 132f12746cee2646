/**
 * Tells a request when its client's connection closes. A response's own
 * `close` is not enough: node:http queues the responses of pipelined requests
 * behind the one being written, and when the client drops the connection the
 * queued ones never get the socket, so they never emit `close` or `finish`.
 *
 * One `close` listener per connection, however many requests are pipelined
 * on it: a listener per request would pile up on a kept-alive socket and trip
 * Node's MaxListenersExceededWarning.
 */
import type { Socket } from "node:net";

const waiting = new WeakMap<Socket, Set<() => void>>();

function closed(this: Socket): void {
  const callbacks = waiting.get(this);
  waiting.delete(this);
  if (callbacks !== undefined) for (const callback of callbacks) callback();
}

const nothing = () => {};

/**
 * Calls `callback` once when `socket` closes (in a microtask if it is already
 * destroyed); the function returned forgets it, for a request that ended first.
 */
export function onConnectionClose(socket: Socket, callback: () => void): () => void {
  if (socket.destroyed) {
    queueMicrotask(callback);
    return nothing;
  }
  let callbacks = waiting.get(socket);
  if (callbacks === undefined) {
    callbacks = new Set();
    waiting.set(socket, callbacks);
    socket.once("close", closed);
  }
  const registered = callbacks;
  registered.add(callback);
  return () => {
    registered.delete(callback);
  };
}
