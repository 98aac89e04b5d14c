import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { freePort } from '../fixtures/free-port.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { parseChallenges } from '../fixtures/www-authenticate.js';

// docs/dpop.md and the README's DPoP section (examples/dpop): the module with dpop 'allowed', and the
// openid-client machine client, against the embedded oidc-provider issuing DPoP-bound tokens.
describe('docs/dpop.md (examples/dpop)', () => {
  let as: DevAuthorizationServer;
  let port: number;
  let mcpUrl: string;
  let AppModule: Type;
  let whoamiWithDpop: typeof import('../../examples/dpop/dpop-client.js').whoamiWithDpop;

  beforeAll(async () => {
    // Proofs name the resource identifier: here it must be the URL the app really listens on (each adapter in turn).
    port = await freePort();
    mcpUrl = `http://localhost:${port}/mcp`;
    as = await startDevAuthorizationServer({ port: 0, resources: [{ identifier: mcpUrl, scopes: ['read:notes', 'write:notes'] }] });
    process.env.MCP_AUTH_ISSUER = as.issuer;
    process.env.MCP_RESOURCE = mcpUrl;
    ({ AppModule } = (await import('../../examples/dpop/app.module.js')));
    ({ whoamiWithDpop } = await import('../../examples/dpop/dpop-client.js'));
  });

  afterAll(async () => {
    delete process.env.MCP_AUTH_ISSUER;
    delete process.env.MCP_RESOURCE;
    await as?.close();
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startApp(adapter, { imports: [AppModule] }, { port });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('K1: the openid-client example gets a DPoP-bound token and calls whoami with a proof', async () => {
      const answer = (await whoamiWithDpop(mcpUrl, as.issuer, as.devClient.clientId, as.devClient.clientSecret)) as { result?: { content: Array<{ text: string }> } };
      expect(answer.result?.content[0]?.text).toBe(`You are ${as.devClient.clientId}, with the scopes: read:notes`);
    });

    it('K6: without a token the 401 offers Bearer and DPoP, with the configured algorithms', async () => {
      const response = await fetch(mcpUrl.replace('localhost', '127.0.0.1'), { method: 'POST' });
      expect(response.status).toBe(401);
      expect(parseChallenges(response.headers.get('www-authenticate')).map(({ scheme, params }) => [scheme, params.algs])).toEqual([
        ['Bearer', undefined],
        ['DPoP', 'ES256 EdDSA'],
      ]);
    });

    it('a Bearer token keeps working on an allowed resource', async () => {
      const { access_token } = await clientCredentialsToken(as, { resource: mcpUrl, scope: 'read:notes' });
      const response = await fetch(mcpUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${access_token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } }),
      });
      expect(response.status).toBe(200);
    });
  });
});
