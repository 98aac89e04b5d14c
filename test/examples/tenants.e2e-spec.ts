import type { Type } from '@nestjs/common';
import { exportJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { IssuerResolver } from '../../lib/index.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { ADAPTERS, startApp, type RunningApp } from '../fixtures/http-app.js';
import { sendJson, startLoopbackServer, type LoopbackServer } from '../fixtures/loopback-server.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

// docs/multi-tenant.md. Keycloak's issuers carry the realm in their path (`…/realms/acme`), which the embedded
// development authorization server (issuer = its origin) cannot be: a loopback server plays Keycloak, publishing
// one realm's metadata and keys per path, with keys this test owns, and counts the requests it gets.
const RESOURCE = 'http://localhost:3000/mcp';

describe('docs/multi-tenant.md: Keycloak realms (examples/tenants/keycloak.module.ts)', () => {
  let keycloak: LoopbackServer;
  let key: TestSigningKey;
  let AppModule: Type;

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = await exportJWK(key.privateKey);
    const jwks = { keys: [{ ...publicJwk, kid: key.kid, alg: key.alg, use: 'sig' }] };
    keycloak = await startLoopbackServer((request, response, origin) => {
      const metadata = /^\/\.well-known\/oauth-authorization-server\/realms\/([\w-]+)$/.exec(request.url ?? '');
      const keys = /^\/realms\/([\w-]+)\/jwks$/.exec(request.url ?? '');
      if (metadata) sendJson(response, 200, { issuer: `${origin}/realms/${metadata[1]}`, jwks_uri: `${origin}/realms/${metadata[1]}/jwks` });
      else if (keys) sendJson(response, 200, jwks);
      else sendJson(response, 404, {});
    });
    process.env.KEYCLOAK_URL = keycloak.url;
    ({ AppModule } = await import('../../examples/tenants/keycloak.module.js'));
  });

  afterAll(async () => {
    delete process.env.KEYCLOAK_URL;
    await keycloak?.close();
  });

  const realmToken = (realm: string, roles: string[] = []) =>
    signAccessToken(key, {
      issuer: `${keycloak.url}/realms/${realm}`,
      audience: RESOURCE,
      claims: { azp: 'notes-api', realm_access: { roles } },
      omit: ['client_id'],
    });

  describe.each(ADAPTERS)('on %s', (adapter) => {
    let app: RunningApp;

    beforeAll(async () => {
      app = await startApp(adapter, { imports: [AppModule] });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('a known realm is discovered on first use; the preset puts the realm in AuthInfo.tenant', async () => {
      const { status, body } = await callWithToken(`${app.url}/mcp/whoami`, await realmToken('acme', ['notes-auditor']));
      expect(status).toBe(200);
      expect(body).toEqual({ tenant: 'acme', clientId: 'notes-api', roles: ['notes-auditor'], scopes: ['read:notes'] });
    });

    it('T13: a realm the directory does not know is refused without a request to it', async () => {
      const { status, challenge } = await callWithToken(`${app.url}/mcp/whoami`, await realmToken('initech'));
      expect(status).toBe(401);
      expect(challenge?.params.error).toBe('invalid_token');
      expect(keycloak.requests.filter((path) => path.includes('initech'))).toEqual([]);
    });

    it('C12: @RequireRoles without the role is a 403 access_denied without a challenge', async () => {
      const response = await fetch(`${app.url}/mcp/whoami/audit`, { headers: { authorization: `Bearer ${await realmToken('globex')}` } });
      expect(response.status).toBe(403);
      expect(response.headers.get('www-authenticate')).toBeNull();
      expect(await response.json()).toMatchObject({ error: 'access_denied' });
      const allowed = await callWithToken(`${app.url}/mcp/whoami/audit`, await realmToken('globex', ['notes-auditor']));
      expect(allowed).toMatchObject({ status: 200, body: { audited: 'globex' } });
    });
  });
});

// Entra ID's issuers are on login.microsoftonline.com, which no test can reach: the options are checked here
// for what they decide without the network (which issuers are trusted, how claims map).
describe('docs/multi-tenant.md: Entra ID tenants (examples/tenants/entra-id.options.ts)', () => {
  it('trusts exactly the customers’ tenants, and maps tid to AuthInfo.tenant', async () => {
    const { entraIdOptions } = await import('../../examples/tenants/entra-id.options.js');
    const options = entraIdOptions(new Set(['11111111-2222-3333-4444-555555555555']));
    const resolve = options.protectedResources[0]!.issuerResolver as IssuerResolver;
    expect(await resolve('https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0')).toBeTruthy();
    expect(await resolve('https://login.microsoftonline.com/99999999-2222-3333-4444-555555555555/v2.0')).toBeFalsy();
    expect(await resolve('https://login.microsoftonline.com/11111111-2222-3333-4444-555555555555/v2.0/../x')).toBeFalsy();
    expect(options.mapClaims?.({ tid: '11111111-2222-3333-4444-555555555555', scp: 'notes.read', azp: 'app' })).toMatchObject({
      tenant: '11111111-2222-3333-4444-555555555555',
      scopes: ['notes.read'],
      clientId: 'app',
    });
  });
});
