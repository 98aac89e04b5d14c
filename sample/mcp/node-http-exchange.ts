import type { IncomingMessage, ServerResponse } from 'node:http';

import type { AuthInfo } from '../../lib/index.js';

/** The Node request and response of a Nest HTTP exchange, as the MCP SDK's Node transport takes them. */
export interface NodeHttpExchange {
  /** Carries `auth`, attached by BearerAuthGuard; the transport hands it to tools as `ctx.http.authInfo`. */
  req: IncomingMessage & { auth?: AuthInfo };
  res: ServerResponse;
  /** The body the framework already parsed (the Node stream is consumed by then). */
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
 * Unwraps the exchange on either adapter. Express's `req`/`res` are Node's own objects. Fastify wraps
 * them (`request.raw`, `reply.raw`), and the reply is hijacked so that Fastify leaves the response to
 * whoever writes to `reply.raw` instead of sending one of its own.
 */
export function nodeHttpExchange(request: unknown, response: unknown): NodeHttpExchange {
  if (isFastifyReply(response)) {
    const fastifyRequest = request as FastifyRequestLike;
    response.hijack();
    return { req: fastifyRequest.raw, res: response.raw, body: fastifyRequest.body };
  }
  const req = request as IncomingMessage & { body?: unknown };
  return { req, res: response as ServerResponse, body: req.body };
}

function isFastifyReply(response: unknown): response is FastifyReplyLike {
  return typeof (response as Partial<FastifyReplyLike>).hijack === 'function' && (response as Partial<FastifyReplyLike>).raw !== undefined;
}
