/**
 * Problem bodies leave the gateway redacted: a detail or failure may quote
 * what a client sent or what a target answered, and neither may carry a
 * secret out. Only problems are rewritten; success bodies hold no free text.
 */
import { PROBLEM_CONTENT_TYPE } from "../errors/problem-response.js";
import type { SecretRedactor } from "../observe/redact.js";
import type { GatewayReply } from "../respond/reply.js";

function isProblem(contentType: string | null | undefined): boolean {
  return contentType?.startsWith(PROBLEM_CONTENT_TYPE) ?? false;
}

function redactBody(body: string, redactor: SecretRedactor): string {
  try {
    return JSON.stringify(redactor.value(JSON.parse(body) as unknown));
  } catch {
    return redactor.text(body);
  }
}

export function redactReply(reply: GatewayReply, redactor: SecretRedactor): GatewayReply {
  if (!isProblem(reply.headers["content-type"])) return reply;
  return { ...reply, body: redactBody(reply.body, redactor) };
}

export async function redactResponse(response: Response, redactor: SecretRedactor): Promise<Response> {
  if (!isProblem(response.headers.get("content-type"))) return response;
  const body = redactBody(await response.text(), redactor);
  return new Response(body, { status: response.status, headers: response.headers });
}
