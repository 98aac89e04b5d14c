import { Controller, Get, UseGuards } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auth0Claims,
  AuthInfo,
  BearerAuthGuard,
  cognitoClaims,
  entraIdClaims,
  keycloakClaims,
  McpAuthModule,
  oktaClaims,
  RequireRoles,
  RequireScopes,
  type ClaimsMapper,
} from '../../lib/index.js';
import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { callWithToken } from '../fixtures/bearer-call.js';
import { ADAPTERS, type RunningApp } from '../fixtures/http-app.js';
import { startProtectedApp } from '../fixtures/protected-app.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../fixtures/token-signer.js';

const resource = 'http://127.0.0.1/mcp';

@Controller('who')
@UseGuards(BearerAuthGuard)
@RequireScopes('read:notes')
class WhoController {
  @Get()
  who(@AuthInfo() auth: AuthInfo) {
    return { scopes: auth.scopes, roles: auth.roles, clientId: auth.clientId, tenant: auth.tenant ?? null, subject: auth.subject };
  }

  @Get('editor')
  @RequireRoles('editor')
  editor() {
    return { editor: true };
  }

  @Get('admin')
  @RequireRoles('editor', 'admin')
  admin() {
    return { admin: true };
  }
}

interface PresetCase {
  provider: string;
  mapClaims: ClaimsMapper;
  /** The token's claims as the provider documents them (besides iss, aud, iat, exp, jti). */
  claims: Record<string, unknown>;
  /** Standard claims this provider does not put in access tokens. */
  omit: string[];
  header?: Record<string, unknown>;
  expected: { scopes: string[]; roles: string[]; clientId: string; tenant: string | null };
}

const cases: PresetCase[] = [
  {
    provider: 'Keycloak',
    mapClaims: keycloakClaims({ clients: ['notes-api'] }),
    claims: {
      typ: 'Bearer',
      azp: 'notes-mcp-client',
      sub: 'f3b1c2d4-5e6f-7a8b-9c0d-1e2f3a4b5c6d',
      preferred_username: 'alice',
      scope: 'openid profile read:notes',
      realm_access: { roles: ['default-roles-acme', 'offline_access', 'editor'] },
      resource_access: { 'notes-api': { roles: ['notes-admin'] }, account: { roles: ['manage-account'] } },
    },
    omit: ['client_id'],
    header: { typ: 'JWT' },
    expected: {
      scopes: ['openid', 'profile', 'read:notes'],
      roles: ['default-roles-acme', 'offline_access', 'editor', 'notes-admin'],
      clientId: 'notes-mcp-client',
      tenant: null,
    },
  },
  {
    provider: 'Auth0',
    mapClaims: auth0Claims({ rolesClaim: 'https://notes.example.com/roles' }),
    claims: {
      sub: 'auth0|64f0c0ffee',
      azp: 'Xq2vAuth0ClientId',
      scope: 'openid profile read:notes',
      permissions: ['read:notes', 'write:notes'],
      'https://notes.example.com/roles': ['editor'],
      org_id: 'org_Acme123',
    },
    omit: ['client_id'],
    header: { typ: 'JWT' },
    expected: { scopes: ['openid', 'profile', 'read:notes', 'write:notes'], roles: ['editor'], clientId: 'Xq2vAuth0ClientId', tenant: 'org_Acme123' },
  },
  {
    provider: 'Entra ID',
    mapClaims: entraIdClaims(),
    claims: {
      ver: '2.0',
      tid: '72f988bf-86f1-41af-91ab-2d7cd011db47',
      oid: '00000000-0000-0000-66f3-3332eca7ea81',
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      azp: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
      azpacr: '1',
      scp: 'read:notes write:notes',
      roles: ['editor'],
    },
    omit: ['client_id', 'scope'],
    header: { typ: 'JWT' },
    expected: {
      scopes: ['read:notes', 'write:notes'],
      roles: ['editor'],
      clientId: '6e74172b-be56-4843-9ff4-e66a39bb12e3',
      tenant: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    },
  },
  {
    provider: 'Okta',
    mapClaims: oktaClaims(),
    claims: { ver: 1, cid: '0oa1b2c3d4OktaClient', uid: '00u1a2b3c4', sub: 'alice@example.com', scp: ['read:notes'], groups: ['Everyone', 'editor'] },
    omit: ['client_id', 'scope'],
    expected: { scopes: ['read:notes'], roles: ['Everyone', 'editor'], clientId: '0oa1b2c3d4OktaClient', tenant: null },
  },
  {
    provider: 'Cognito',
    mapClaims: cognitoClaims(),
    claims: {
      sub: 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee',
      'cognito:groups': ['editor'],
      token_use: 'access',
      scope: 'read:notes',
      auth_time: Math.floor(Date.now() / 1000),
      client_id: '1example23456789cognito',
      username: 'alice',
      origin_jti: 'aaaaaaaa-1111-2222-3333-bbbbbbbbbbbb',
      event_id: 'cccccccc-4444-5555-6666-dddddddddddd',
    },
    omit: [],
    expected: { scopes: ['read:notes'], roles: ['editor'], clientId: '1example23456789cognito', tenant: null },
  },
];

describe.each(ADAPTERS)('claim mapping presets (%s)', (adapter) => {
  let as: DevAuthorizationServer;
  let key: TestSigningKey;
  const apps = new Map<string, RunningApp>();

  beforeAll(async () => {
    key = await createSigningKey('RS256');
    // The tokens are signed with a key the real authorization server publishes in its JWKS.
    as = await startDevAuthorizationServer({ port: 0, signingJwk: key.privateJwk, resources: [{ identifier: resource, scopes: ['read:notes'] }] });
    for (const { provider, mapClaims } of cases) {
      const app = await startProtectedApp(
        adapter,
        McpAuthModule.forRoot({ protectedResources: [{ resource, authorizationServers: [as.issuer] }], mapClaims }),
        { controllers: [WhoController] },
      );
      apps.set(provider, app);
    }
  });

  afterAll(async () => {
    for (const app of apps.values()) await app.close();
    await as?.close();
  });

  const tokenFor = (preset: PresetCase, overrides: { roles?: unknown; omit?: string[] } = {}) =>
    signAccessToken(key, {
      issuer: as.issuer,
      audience: resource,
      claims: preset.claims,
      header: preset.header,
      omit: [...preset.omit, ...(overrides.omit ?? [])],
    });

  describe.each(cases)('$provider', (preset) => {
    it('scopes, roles, client id and tenant land in AuthInfo the same way', async () => {
      const { status, body } = await callWithToken(`${apps.get(preset.provider)!.url}/who`, await tokenFor(preset));
      expect(status).toBe(200);
      expect(body).toEqual({ ...preset.expected, subject: preset.claims.sub });
    });

    it('@RequireRoles: the mapped role lets the caller in', async () => {
      expect((await callWithToken(`${apps.get(preset.provider)!.url}/who/editor`, await tokenFor(preset))).status).toBe(200);
    });

    it('C12: a missing role → 403 without insufficient_scope (no challenge at all)', async () => {
      const { status, header, body } = await callWithToken(`${apps.get(preset.provider)!.url}/who/admin`, await tokenFor(preset));
      expect(status).toBe(403);
      expect(header).toBeNull();
      expect(body).toEqual({ error: 'access_denied', error_description: 'The caller lacks a role this operation requires' });
    });
  });

  it('T8 stays on with a preset: a Cognito-shaped token without aud is refused', async () => {
    const cognito = cases.find((preset) => preset.provider === 'Cognito')!;
    const { status } = await callWithToken(`${apps.get('Cognito')!.url}/who`, await tokenFor(cognito, { omit: ['aud'] }));
    expect(status).toBe(401);
  });

  it('C6: expiry is still checked before roles (expired and role-less → 401, not 403)', async () => {
    const entra = cases.find((preset) => preset.provider === 'Entra ID')!;
    const token = await signAccessToken(key, {
      issuer: as.issuer,
      audience: resource,
      claims: { ...entra.claims, roles: [], exp: Math.floor(Date.now() / 1000) - 60 },
      omit: entra.omit,
    });
    expect((await callWithToken(`${apps.get('Entra ID')!.url}/who/editor`, token)).status).toBe(401);
  });
});
