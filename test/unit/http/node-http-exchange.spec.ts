import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

import { describe, expect, it } from 'vitest';
import { nodeHttpExchange } from '../../../lib/http/node-http-exchange.js';

function nodeObjects(): { req: IncomingMessage & { body?: unknown }; res: ServerResponse } {
  const req = new IncomingMessage(new Socket());
  return { req, res: new ServerResponse(req) };
}

describe('nodeHttpExchange', () => {
  it("returns Express's request and response, which are Node's own, with the parsed body", () => {
    const { req, res } = nodeObjects();
    req.body = { jsonrpc: '2.0' };
    const exchange = nodeHttpExchange(req, res);
    expect(exchange.req).toBe(req);
    expect(exchange.res).toBe(res);
    expect(exchange.body).toEqual({ jsonrpc: '2.0' });
  });

  it("unwraps Fastify's request and reply and hijacks the reply, so that Fastify sends nothing itself", () => {
    const { req, res } = nodeObjects();
    let hijacked = 0;
    const reply = { raw: res, hijack: () => hijacked++ };
    const exchange = nodeHttpExchange({ raw: req, body: { id: 1 } }, reply);
    expect(exchange).toEqual({ req, res, body: { id: 1 } });
    expect(exchange.req).toBe(req);
    expect(exchange.res).toBe(res);
    expect(hijacked).toBe(1);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a plain object', {}],
    ['a reply-like object without a Node response', { hijack: () => undefined, raw: {} }],
  ])('refuses %s as the response with a clear TypeError', (_name, response) => {
    expect(() => nodeHttpExchange({}, response)).toThrow(
      new TypeError('nodeHttpExchange() takes the @Req() and @Res() objects of an Express or Fastify request'),
    );
  });
});
