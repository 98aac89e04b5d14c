import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bootstrapSample, type RunningSample } from '../../sample/bootstrap.js';
import type { SampleDpopMode } from '../../sample/sample.config.js';
import { startupBanner } from '../../sample/startup-banner.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { dpopClient, type DPoPClient } from '../fixtures/dpop-client.js';
import { ADAPTERS } from '../fixtures/http-app.js';
import { challengesByScheme } from '../fixtures/www-authenticate.js';

// The sample and DPoP (MCP_DPOP): its embedded authorization server binds the tokens of a client that sends a
// DPoP proof (openid-client 6 here), and /mcp takes them, a MCP tools/call sent through fetchProtectedResource.
// With MCP_DPOP=required a Bearer token is refused with a DPoP challenge; the default, allowed, takes both
// (the official MCP SDK clients' Bearer flows against it are test/e2e/clients/*).

const MCP_ACCEPT = 'application/json, text/event-stream';
const WHOAMI = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami', arguments: {} } });

describe.each(ADAPTERS.flatMap((adapter) => (['required', 'allowed'] as const).map((mode) => [adapter, mode] as const)))(
  'the sample on %s with MCP_DPOP=%s',
  (adapter, mcpDpop: SampleDpopMode) => {
    let sample: RunningSample;
    let client: DPoPClient;

    beforeAll(async () => {
      sample = await bootstrapSample({ adapter, mcpDpop, port: 0, authPort: 0, logger: false });
      client = await dpopClient(sample.authorizationServer!);
    });

    afterAll(async () => {
      await sample?.close();
    });

    const whoami = (token: string, dpop = true) =>
      client.call(sample.mcpUrl, token, { method: 'POST', body: WHOAMI, headers: { accept: MCP_ACCEPT }, dpop });

    it('K1: an openid-client DPoP token calls a tool on /mcp (tools/call whoami with a proof)', async () => {
      const tokens = await client.clientCredentials({ resource: sample.mcpUrl, scope: 'read:notes' });
      expect(tokens.token_type).toBe('dpop');
      const answer = await whoami(tokens.access_token);
      expect(answer.status).toBe(200);
      const result = answer.body.result as { content: Array<{ text: string }> };
      expect(JSON.parse(result.content[0]!.text)).toMatchObject({ clientId: 'dev-client', scopes: ['read:notes'] });
    });

    // The exact challenge per mode is test/e2e/dpop/dpop-modes.e2e-spec.ts's; here: the binding holds in the sample.
    it('K3: the DPoP token presented as Bearer → 401', async () => {
      const { access_token } = await client.clientCredentials({ resource: sample.mcpUrl, scope: 'read:notes' });
      const answer = await whoami(access_token, false);
      expect(answer.status).toBe(401);
      expect(answer.body.result).toBeUndefined();
    });

    it('P11: the /mcp metadata advertises DPoP', async () => {
      const metadata = (await (await fetch(sample.metadataUrls.mcp)).json()) as Record<string, unknown>;
      expect(metadata.dpop_signing_alg_values_supported).toEqual(expect.arrayContaining(['ES256']));
      expect(metadata.dpop_bound_access_tokens_required ?? false).toBe(mcpDpop === 'required');
    });

    it(`the banner says DPoP is ${mcpDpop}`, () => {
      const banner = startupBanner(sample);
      expect(banner).toContain(`DPoP ${mcpDpop}:`);
      // With DPoP required curl cannot call /mcp (a proof is signed per request): the banner shows no such command.
      expect(banner.includes('Authorization: Bearer $MCP_TOKEN')).toBe(mcpDpop !== 'required');
    });

    if (mcpDpop === 'required') {
      it('K6: a Bearer token on /mcp → 401 with only a DPoP challenge (algs, resource_metadata)', async () => {
        const { access_token } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.mcpUrl, scope: 'read:notes' });
        const answer = await whoami(access_token, false);
        expect(answer.status).toBe(401);
        const challenges = challengesByScheme(answer.wwwAuthenticate);
        expect(Object.keys(challenges)).toEqual(['DPoP']);
        expect(challenges.DPoP).toMatchObject({ algs: expect.stringContaining('ES256'), resource_metadata: sample.metadataUrls.mcp });
      });

      it('/notes is not affected: a Bearer token there → 200', async () => {
        const { access_token } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.notesUrl, scope: 'read:notes' });
        expect((await fetch(sample.notesUrl, { headers: { authorization: `Bearer ${access_token}` } })).status).toBe(200);
      });
    } else {
      it('a Bearer token on /mcp → 200, as for any MCP client without DPoP', async () => {
        const { access_token } = await clientCredentialsToken(sample.authorizationServer!, { resource: sample.mcpUrl, scope: 'read:notes' });
        expect((await whoami(access_token, false)).status).toBe(200);
      });
    }
  },
);

describe('the sample with MCP_DPOP=off', () => {
  let sample: RunningSample;

  beforeAll(async () => {
    sample = await bootstrapSample({ mcpDpop: 'off', port: 0, authPort: 0, logger: false });
  });

  afterAll(async () => {
    await sample?.close();
  });

  it('P11: /mcp advertises no DPoP, and its 401 carries only the Bearer challenge', async () => {
    const metadata = (await (await fetch(sample.metadataUrls.mcp)).json()) as Record<string, unknown>;
    expect(Object.keys(metadata).filter((name) => name.startsWith('dpop_'))).toEqual([]);
    const refused = await fetch(sample.mcpUrl, { method: 'POST', headers: { 'content-type': 'application/json', accept: MCP_ACCEPT }, body: WHOAMI });
    expect(Object.keys(challengesByScheme(refused.headers.get('www-authenticate')))).toEqual(['Bearer']);
  });
});
