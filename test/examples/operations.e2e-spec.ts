import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { postMcp } from './fixtures/example-client.js';

// docs/operations.md (examples/operations): the Terminus health endpoint, the audit log line, the decision counter.
const RESOURCE = 'http://localhost:3000/mcp';

describe('docs/operations.md (examples/operations)', () => {
  let as: DevAuthorizationServer;
  let AppModule: Type;
  let DecisionCounter: typeof import('../../examples/operations/decision-counter.js').DecisionCounter;
  let auditLine: typeof import('../../examples/operations/audit-log.js').auditLine;

  beforeAll(async () => {
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: RESOURCE, scopes: ['read:notes', 'write:notes'] }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
    ({ AppModule } = await import('../../examples/operations/app.module.js'));
    ({ DecisionCounter } = await import('../../examples/operations/decision-counter.js'));
    ({ auditLine } = await import('../../examples/operations/audit-log.js'));
  });

  afterAll(async () => {
    delete process.env.MCP_AUTH_ISSUER;
    await as?.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startApp(adapter, { imports: [AppModule] });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('GET /health is up with the authorization server', async () => {
      const response = await fetch(`${app.url}/health`);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ status: 'ok', details: { 'mcp-auth': { status: 'up', authorizationServers: { [as.issuer]: { status: 'up' } } } } });
    });

    it('the counter counts decisions by outcome and reason', async () => {
      const counter = app.app.get(DecisionCounter);
      const before = counter.snapshot();
      const token = (await clientCredentialsToken(as, { resource: RESOURCE, scope: 'read:notes' })).access_token;
      await postMcp(`${app.url}/mcp`, token, 'tools/call', { name: 'whoami', arguments: {} });
      await postMcp(`${app.url}/mcp`, undefined, 'tools/call', { name: 'whoami', arguments: {} });
      const after = counter.snapshot();
      expect((after.admitted ?? 0) - (before.admitted ?? 0)).toBe(1);
      expect((after['refused:missing_credentials'] ?? 0) - (before['refused:missing_credentials'] ?? 0)).toBe(1);
    });
  });

  it('the audit line names the caller and the tool, and nothing else', () => {
    const line = auditLine({
      outcome: 'refused',
      reason: 'insufficient_scope',
      status: 403,
      source: 'guard',
      resource: RESOURCE,
      clientId: 'notes-app',
      subject: 'henry',
      operation: { method: 'tools/call', kind: 'tool', name: 'create-note' },
      durationMs: 0.4,
    });
    expect(line).toBe('refused insufficient_scope 403 notes-app (henry) create-note on http://localhost:3000/mcp');
  });
});
