import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { Injectable } from '@nestjs/common';
import {
  AuthorizationServerUnavailableFailure,
  InsufficientScopeFailure,
  McpAuthContext,
  McpAuthEvents,
  McpAuthModule,
  RequireScopes,
  type AuthDecision,
} from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const RESOURCE = 'http://127.0.0.1/mcp';

/** A tool provider whose method checks its caller itself (the module wraps it). */
@Injectable()
class PurgeTool {
  @RequireScopes('notes:purge')
  purge() {
    return 'purged';
  }
}

describe.each(ADAPTERS)('auth decision events (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  let app: RunningApp;
  const decisions: AuthDecision[] = [];
  const tokens: string[] = [];
  const token = async (scope = 'read:notes') => {
    const issued = await signAccessToken(key, { issuer: as.issuer, audience: RESOURCE, scope, claims: { email: 'henry@example.com' } });
    tokens.push(issued);
    return issued;
  };
  const call = (headers: Record<string, string>, method = 'GET', body?: unknown) =>
    fetch(`${app.url}/mcp`, { method, headers: { 'content-type': 'application/json', ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });

  beforeAll(async () => {
    key = await createSigningKey();
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    app = await startProtectedApp(adapter, McpAuthModule.forRoot({ protectedResources: [{ resource: RESOURCE, authorizationServers: [as.issuer] }] }), {
      providers: [PurgeTool],
    });
    app.app.get(McpAuthEvents).subscribe((decision) => decisions.push(decision));
  });

  afterAll(async () => {
    await app?.close();
    await as?.close();
  });

  beforeEach(() => {
    decisions.length = 0;
  });

  it('an admitted request is published with the caller, the scheme and a duration', async () => {
    expect((await call({ authorization: `Bearer ${await token()}` })).status).toBe(200);
    expect(decisions).toEqual([
      {
        outcome: 'admitted',
        status: 200,
        source: 'guard',
        resource: RESOURCE,
        scheme: 'Bearer',
        issuer: as.issuer,
        clientId: 'test-client',
        subject: 'user-123',
        principalType: 'user',
        operation: undefined,
        durationMs: expect.any(Number),
      },
    ]);
    expect(decisions[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('refusals carry their reason code; a verified caller refused for scope is still named', async () => {
    await call({});
    await call({ authorization: 'Bearer two words' });
    await call({ authorization: `Bearer ${await token('read:notes')}` }, 'POST', { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'create-note' } });
    expect(decisions.map(({ outcome, reason, status }) => ({ outcome, reason, status }))).toEqual([
      { outcome: 'refused', reason: 'missing_credentials', status: 401 },
      { outcome: 'refused', reason: 'invalid_request', status: 400 },
      { outcome: 'refused', reason: 'insufficient_scope', status: 403 },
    ]);
    expect(decisions[0]!.clientId).toBeUndefined();
    expect(decisions[2]).toMatchObject({ clientId: 'test-client', subject: 'user-123', operation: { method: 'tools/call', kind: 'tool', name: 'create-note' } });
  });

  it('an invalid token is refused as invalid_token, naming nobody', async () => {
    const forged = await signAccessToken(await createSigningKey(), { issuer: as.issuer, audience: RESOURCE });
    await call({ authorization: `Bearer ${forged}` });
    expect(decisions).toMatchObject([{ outcome: 'refused', reason: 'invalid_token', status: 401 }]);
    expect(decisions[0]!.subject).toBeUndefined();
  });

  it('no decision ever holds a token or a claim value outside its fields', async () => {
    await call({ authorization: `Bearer ${await token()}` });
    await call({ authorization: `Bearer ${await token()}` }, 'POST');
    const published = JSON.stringify(decisions);
    for (const issued of tokens) expect(published).not.toContain(issued);
    expect(published).not.toContain('henry@example.com');
    for (const decision of decisions) {
      expect(Object.keys(decision).every((field) => ALLOWED_FIELDS.includes(field))).toBe(true);
    }
  });

  it("a tool method's own check is published too, with the method's name", () => {
    const tool = app.app.get(PurgeTool);
    // Outside any request: refused as missing credentials; for a caller with read:notes only: insufficient_scope.
    expect(() => tool.purge()).toThrow();
    const readOnly = { ...verifiedCaller(as.issuer), token: 'not-needed-by-the-check' };
    expect(() => app.app.get(McpAuthContext).run(readOnly as never, () => tool.purge())).toThrow(InsufficientScopeFailure);
    expect(decisions.map(({ source, toolMethod, outcome, reason, clientId }) => ({ source, toolMethod, outcome, reason, clientId }))).toEqual([
      { source: 'tool', toolMethod: 'PurgeTool.purge', outcome: 'refused', reason: 'missing_credentials', clientId: undefined },
      { source: 'tool', toolMethod: 'PurgeTool.purge', outcome: 'refused', reason: 'insufficient_scope', clientId: 'test-client' },
    ]);
  });

  it('an outage is published as unavailable; a listener that throws changes nothing', async () => {
    const events = app.app.get(McpAuthEvents);
    const stop = events.subscribe(() => {
      throw new Error('audit sink down');
    });
    try {
      expect((await call({ authorization: `Bearer ${await token()}` })).status).toBe(200);
    } finally {
      stop();
    }
    events.begin({ headers: {} });
    events.refused({ headers: {} }, RESOURCE, new AuthorizationServerUnavailableFailure('JWKS down'));
    expect(decisions.at(-1)).toMatchObject({ outcome: 'unavailable', reason: 'temporarily_unavailable', status: 503 });
  });
});

const ALLOWED_FIELDS = ['outcome', 'reason', 'status', 'source', 'resource', 'issuer', 'clientId', 'subject', 'principalType', 'operation', 'toolMethod', 'scheme', 'durationMs'];

/** A verified caller as the guard would have put it in McpAuthContext. */
function verifiedCaller(issuer: string) {
  return { issuer, clientId: 'test-client', subject: 'user-123', principalType: 'user', scopes: ['read:notes'], roles: [], audience: [RESOURCE], principalId: `${issuer}#sub:user-123`, claims: {} };
}
