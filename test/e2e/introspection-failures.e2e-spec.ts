import type { IncomingMessage } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryMcpAuthStore, McpAuthModule } from '../../lib/index.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../fixtures/loopback-server.js';
import { startProtectedApp } from '../fixtures/protected-app.js';

const resource = 'http://127.0.0.1/mcp';

/** How the stand-in introspection endpoint answers: failures a real authorization server can't produce on demand. */
type Mode = 'active' | 'inactive' | 'hang' | 'error' | 'not-json' | 'no-active' | 'html-404' | 'token-echo';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

describe.each(ADAPTERS)('introspection failures and caching (%s)', (adapter) => {
  let as: LoopbackServer;
  let app: RunningApp;
  let cachedApp: RunningApp;
  let store: InMemoryMcpAuthStore;
  let mode: Mode = 'active';
  const seen: Array<{ method: string; contentType: string; authorization: string; body: URLSearchParams }> = [];
  const introspections = () => as.requests.filter((path) => path === '/introspect').length;

  beforeAll(async () => {
    as = await startLoopbackServer((request, response, url) => {
      void (async () => {
        const body = new URLSearchParams(await readBody(request));
        seen.push({
          method: request.method ?? '',
          contentType: request.headers['content-type'] ?? '',
          authorization: request.headers.authorization ?? '',
          body,
        });
        const now = Math.floor(Date.now() / 1000);
        const active = { active: true, iss: url, aud: resource, client_id: 'client-a', sub: 'alice', scope: 'read:notes', exp: now + 600 };
        if (mode === 'active') sendJson(response, 200, active);
        else if (mode === 'token-echo') sendJson(response, 200, { ...active, jti: body.get('token'), username: body.get('token') });
        else if (mode === 'inactive') sendJson(response, 200, { active: false });
        else if (mode === 'error') sendJson(response, 500, { error: 'server_error' });
        else if (mode === 'no-active') sendJson(response, 200, { scope: 'read:notes' });
        else if (mode === 'html-404') response.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not found</h1>');
        else if (mode === 'not-json') response.writeHead(200, { 'content-type': 'application/json' }).end('{"active": tru');
        // 'hang': never answers; the introspection timeout fires.
      })();
    });
    const server = (introspection: object) => ({
      issuer: as.url,
      metadata: { issuer: as.url, introspection_endpoint: `${as.url}/introspect` },
      introspection: { clientId: 'rs', clientSecret: 'secret with spaces & symbols', ...introspection },
    });
    app = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [{ resource, tokenFormat: 'opaque', authorizationServers: [server({})] }],
        introspection: { timeoutMs: 300 },
        retryAfterSeconds: 3,
      }),
    );
    store = new InMemoryMcpAuthStore();
    cachedApp = await startProtectedApp(
      adapter,
      McpAuthModule.forRoot({
        protectedResources: [{ resource, tokenFormat: 'opaque', authorizationServers: [server({ authMethod: 'client_secret_post' })] }],
        introspection: { cache: { maxTtlSeconds: 60 } },
        store,
      }),
    );
  });

  afterAll(async () => {
    await app?.close();
    await cachedApp?.close();
    await as?.close();
  });

  afterEach(() => {
    mode = 'active';
  });

  it('I1: POSTs a form with token and token_type_hint, authenticated with client_secret_basic', async () => {
    seen.length = 0;
    expect((await callWithToken(`${app.url}/mcp`, 'opaque-token-1')).status).toBe(200);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request!.method).toBe('POST');
    expect(request!.contentType).toBe('application/x-www-form-urlencoded');
    expect(request!.body.get('token')).toBe('opaque-token-1');
    expect(request!.body.get('token_type_hint')).toBe('access_token');
    // RFC 6749 §2.3.1: both parts form-encoded before Basic encoding.
    expect(Buffer.from(request!.authorization.replace(/^Basic /, ''), 'base64').toString()).toBe('rs:secret+with+spaces+%26+symbols');
  });

  it('I1: client_secret_post sends the credentials in the form, not in a header', async () => {
    seen.length = 0;
    expect((await callWithToken(`${cachedApp.url}/mcp`, 'opaque-token-post')).status).toBe(200);
    expect(seen[0]!.authorization).toBe('');
    expect(seen[0]!.body.get('client_id')).toBe('rs');
    expect(seen[0]!.body.get('client_secret')).toBe('secret with spaces & symbols');
  });

  it('I2: active:false → 401 invalid_token', async () => {
    mode = 'inactive';
    const { status, challenge } = await callWithToken(`${app.url}/mcp`, 'opaque-token-2');
    expect(status).toBe(401);
    expect(challenge?.params.error).toBe('invalid_token');
  });

  it.each<[Mode, string]>([
    ['hang', 'no answer in time'],
    ['error', 'HTTP 500'],
    ['not-json', 'a body that is not JSON'],
    ['no-active', 'JSON without a boolean active'],
    ['html-404', 'an HTML 404'],
  ])('C15: introspection answering with %s (%s) → 503 with Retry-After, never invalid_token', async (failure) => {
    mode = failure;
    const { status, retryAfter, header, body } = await callWithToken(`${app.url}/mcp`, `opaque-token-${failure}`);
    expect(status).toBe(503);
    expect(retryAfter).toBe('3');
    expect(header).toBeNull();
    expect(body.error).toBe('temporarily_unavailable');
  });

  it('I4: off by default: every request is introspected, so a revocation takes effect at once', async () => {
    const before = introspections();
    await callWithToken(`${app.url}/mcp`, 'opaque-token-3');
    await callWithToken(`${app.url}/mcp`, 'opaque-token-3');
    expect(introspections() - before).toBe(2);
  });

  it('I4: with the cache on, an active result is reused; inactive ones are never kept', async () => {
    const before = introspections();
    expect((await callWithToken(`${cachedApp.url}/mcp`, 'opaque-token-4')).status).toBe(200);
    expect((await callWithToken(`${cachedApp.url}/mcp`, 'opaque-token-4')).status).toBe(200);
    expect(introspections() - before).toBe(1);
    mode = 'inactive';
    await callWithToken(`${cachedApp.url}/mcp`, 'opaque-token-5');
    await callWithToken(`${cachedApp.url}/mcp`, 'opaque-token-5');
    expect(introspections() - before).toBe(3);
  });

  it('I4: the store holds no raw token, not even one the server echoed in a claim', async () => {
    mode = 'token-echo';
    const token = 'opaque-token-echoed-0123456789';
    expect((await callWithToken(`${cachedApp.url}/mcp`, token)).status).toBe(200);
    const values = store.values();
    expect(values.length).toBeGreaterThan(0);
    for (const value of values) expect(value).not.toContain(token);
  });
});
