import type { IncomingMessage, ServerResponse } from 'node:http';

import type { AuthInfo } from '../verification/auth-info.interface.js';

/** The Node request and response of a Nest HTTP exchange, as the MCP SDK's Node transport takes them. */
export interface NodeHttpExchange {
  /** Carries `auth`, attached by BearerAuthGuard; the MCP SDK hands it to tools as `ctx.http.authInfo`. */
  req: IncomingMessage & { auth?: AuthInfo };
  res: ServerResponse;
  /** The body the framework already parsed: the Node stream is consumed by then. */
  body: unknown;
}

interface FastifyRequestLike {
  raw: IncomingMessage;
  body?: unknown;
}

interface FastifyReplyLike {
  raw: ServerResponse;
  hijack(): unknown;
}

/**
 * Unwraps a Nest HTTP exchange (`@Req()`, `@Res()`) into Node's own request and response, on Express and
 * Fastify alike, for code that writes the response itself, such as the MCP SDK's
 * `NodeStreamableHTTPServerTransport`. Express's `req` and `res` are Node's objects already. Fastify wraps
 * them (`request.raw`, `reply.raw`); the reply is hijacked, so that Fastify leaves the response to whoever
 * writes to `reply.raw` instead of sending one of its own (without it: `res.on is not a function`, or a
 * second response).
 *
 * @throws TypeError when `response` is neither a Fastify reply nor a Node `ServerResponse`.
 */
export function nodeHttpExchange(request: unknown, response: unknown): NodeHttpExchange {
  if (isFastifyReply(response)) {
    const fastifyRequest = request as FastifyRequestLike;
    response.hijack();
    return { req: fastifyRequest.raw, res: response.raw, body: fastifyRequest.body };
  }
  if (!isNodeResponse(response)) {
    throw new TypeError('nodeHttpExchange() takes the @Req() and @Res() objects of an Express or Fastify request');
  }
  const req = request as IncomingMessage & { body?: unknown };
  return { req, res: response, body: req.body };
}

function isFastifyReply(response: unknown): response is FastifyReplyLike {
  const reply = response as Partial<FastifyReplyLike> | null | undefined;
  return typeof reply?.hijack === 'function' && isNodeResponse(reply.raw);
}

function isNodeResponse(response: unknown): response is ServerResponse {
  const candidate = response as Partial<ServerResponse> | null | undefined;
  return typeof candidate?.writeHead === 'function' && typeof candidate.on === 'function';
}
