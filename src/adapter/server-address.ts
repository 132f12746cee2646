/**
 * `server.address` and `server.port` of a target's traces, from the URL its
 * options name: the host and port only, never the credentials or path a URL
 * may carry. Undefined when the URL does not parse (a template, a typo the
 * connection will report).
 */
export interface ServerAddress {
  readonly serverAddress: string;
  readonly serverPort?: number;
}

export function serverAddressOf(url: string | undefined, defaultScheme: string): ServerAddress | undefined {
  if (url === undefined || url.includes("{")) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url.includes("://") ? url : `${defaultScheme}://${url}`);
  } catch {
    return undefined;
  }
  if (parsed.hostname === "") return undefined;
  const port = parsed.port === "" ? undefined : Number(parsed.port);
  return port === undefined
    ? { serverAddress: parsed.hostname }
    : { serverAddress: parsed.hostname, serverPort: port };
}
