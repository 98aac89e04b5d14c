import type { Type } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { toolText, withMcpClient } from './fixtures/example-client.js';

// docs/discovery.md (examples/discovery/escape-hatches.module.ts): one issuer whose metadata is fetched from another
// URL than its own (split horizon: `localhost` for the issuer's `127.0.0.1`), one given its metadata outright.
const RESOURCE = 'http://localhost:3000/mcp';

describe('docs/discovery.md: escape hatches (examples/discovery)', () => {
  let publicIssuer: DevAuthorizationServer;
  let tokenIssuer: DevAuthorizationServer;
  let AppModule: Type;

  beforeAll(async () => {
    const resources = [{ identifier: RESOURCE, scopes: ['read:notes'] }];
    [publicIssuer, tokenIssuer] = await Promise.all([startDevAuthorizationServer({ port: 0, resources }), startDevAuthorizationServer({ port: 0, resources })]);
    Object.assign(process.env, {
      MCP_AUTH_ISSUER: publicIssuer.issuer,
      MCP_AUTH_METADATA_URL: `${publicIssuer.issuer.replace('127.0.0.1', 'localhost')}/.well-known/oauth-authorization-server`,
      TOKEN_ISSUER: tokenIssuer.issuer,
    });
    ({ AppModule } = await import('../../examples/discovery/escape-hatches.module.js'));
  });

  afterAll(async () => {
    for (const name of ['MCP_AUTH_ISSUER', 'MCP_AUTH_METADATA_URL', 'TOKEN_ISSUER']) delete process.env[name];
    await Promise.all([publicIssuer?.close(), tokenIssuer?.close()]);
  });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startApp(adapter, { imports: [AppModule] });
    });

    afterAll(async () => {
      await app?.close();
    });

    it.each([
      ['the split-horizon issuer', () => publicIssuer],
      ['the issuer with manual metadata', () => tokenIssuer],
    ])('%s: its tokens are accepted', async (_name, issuer) => {
      const { access_token } = await clientCredentialsToken(issuer(), { resource: RESOURCE, scope: 'read:notes' });
      const text = await withMcpClient(`${app.url}/mcp`, access_token, async (client) => toolText(await client.callTool({ name: 'whoami', arguments: {} })));
      expect(text).toBe(`You are ${issuer().devClient.clientId}, with the scopes: read:notes`);
    });

    it('P4: both issuers are advertised, as configured', async () => {
      const metadata = (await (await fetch(`${app.url}/.well-known/oauth-protected-resource/mcp`)).json()) as { authorization_servers: string[] };
      expect(metadata.authorization_servers).toEqual([publicIssuer.issuer, tokenIssuer.issuer]);
    });
  });
});
