/**
 * An Azure SDK `HttpClient` that sends through the runtime's fetch, so the
 * SDK and `@azure/identity` use the same connections, proxies and trusted
 * certificates as every other request the gateway makes.
 */
import {
  createHttpHeaders,
  type HttpClient,
  type PipelineRequest,
  type PipelineResponse,
} from "@azure/core-rest-pipeline";

function bodyOf(request: PipelineRequest): BodyInit | undefined {
  const body = request.body;
  if (body === undefined || body === null) return undefined;
  if (typeof body === "string" || body instanceof ArrayBuffer || body instanceof Blob) return body;
  if (ArrayBuffer.isView(body)) return body as Uint8Array<ArrayBuffer>;
  // Streams and multipart bodies are not used by the Event Grid or token requests.
  throw new Error(`Unsupported request body for ${request.method} ${request.url}`);
}

/**
 * `backstopMs` bounds requests that set no timeout of their own: MSAL's
 * sign-in requests carry an abort signal nobody aborts, and none may stay
 * open for ever. The attempt's own signal ends the rest sooner.
 */
export function fetchHttpClient(fetchFn: typeof fetch, backstopMs: number): HttpClient {
  return {
    async sendRequest(request: PipelineRequest): Promise<PipelineResponse> {
      const signals: AbortSignal[] = [];
      if (request.abortSignal !== undefined) signals.push(request.abortSignal as AbortSignal);
      signals.push(AbortSignal.timeout(request.timeout > 0 ? request.timeout : backstopMs));
      const response = await fetchFn(request.url, {
        method: request.method,
        headers: request.headers.toJSON(),
        body: bodyOf(request),
        signal: AbortSignal.any(signals),
      });
      return {
        request,
        status: response.status,
        headers: createHttpHeaders(Object.fromEntries(response.headers)),
        bodyAsText: await response.text(),
      };
    },
  };
}
