import 'reflect-metadata';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';
import { audienceFromClaims, authInfoFromClaims, scopesFromClaims, withHiddenToken } from '../../../lib/verification/token-claims.js';

const ISSUER = 'https://as.example.com';
const RESOURCE = 'https://api.example.com/mcp';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyLTEifQ.c2VjcmV0LXNpZ25hdHVyZQ';
const [resource] = resolveMcpAuthOptions({ protectedResources: [{ resource: RESOURCE, authorizationServers: [ISSUER] }] }).resources;

const baseClaims = {
  iss: ISSUER,
  sub: 'user-1',
  aud: RESOURCE,
  client_id: 'client-a',
  scope: 'read:notes write:notes',
  exp: 1_900_000_000,
  iat: 1_800_000_000,
  jti: 'j1',
};

describe('scopesFromClaims', () => {
  it.each([
    { name: 'scope string', claims: { scope: 'read write' }, scopes: ['read', 'write'] },
    { name: 'scp array', claims: { scp: ['read', 'write'] }, scopes: ['read', 'write'] },
    { name: 'scp string', claims: { scp: 'read write' }, scopes: ['read', 'write'] },
    { name: 'scope string with extra spaces', claims: { scope: ' read  write ' }, scopes: ['read', 'write'] },
    { name: 'scope wins over scp', claims: { scope: 'read', scp: ['admin'] }, scopes: ['read'] },
    { name: 'empty scope string wins over scp', claims: { scope: '', scp: ['admin'] }, scopes: [] },
    { name: 'null scope falls back to scp', claims: { scope: null, scp: ['admin'] }, scopes: ['admin'] },
    { name: 'scope array (non-standard)', claims: { scope: ['read', 'write'] }, scopes: ['read', 'write'] },
    { name: 'scp array with non-strings and empties', claims: { scp: ['read', 1, '', null, 'write'] }, scopes: ['read', 'write'] },
    { name: 'no scope claims', claims: {}, scopes: [] },
    { name: 'numeric scope', claims: { scope: 42 }, scopes: [] },
    { name: 'object scope', claims: { scope: { read: true } }, scopes: [] },
  ])('T11: $name → $scopes', ({ claims, scopes }) => {
    expect(scopesFromClaims(claims)).toEqual(scopes);
  });

  it('T11: scope string and scp array yield the same scope set', () => {
    expect(scopesFromClaims({ scope: 'a b c' })).toEqual(scopesFromClaims({ scp: ['a', 'b', 'c'] }));
    expect(scopesFromClaims({ scp: 'a b c' })).toEqual(scopesFromClaims({ scp: ['a', 'b', 'c'] }));
  });
});

describe('audienceFromClaims', () => {
  it.each([
    { aud: RESOURCE, audience: [RESOURCE] },
    { aud: [RESOURCE, 'api://x'], audience: [RESOURCE, 'api://x'] },
    { aud: [], audience: [] },
    { aud: undefined, audience: [] },
    { aud: 42, audience: [] },
    { aud: [RESOURCE, 42, null], audience: [RESOURCE] },
    { aud: '', audience: [''] },
  ])('T8: aud $aud → $audience', ({ aud, audience }) => {
    expect(audienceFromClaims({ aud })).toEqual(audience);
  });
});

describe('authInfoFromClaims', () => {
  it('builds the full AuthInfo of a user token', () => {
    const info = authInfoFromClaims(TOKEN, baseClaims, resource!);
    expect({ ...info }).toEqual({
      clientId: 'client-a',
      scopes: ['read:notes', 'write:notes'],
      roles: [],
      expiresAt: 1_900_000_000,
      resource: new URL(RESOURCE),
      resourceMetadataUrl: 'https://api.example.com/.well-known/oauth-protected-resource/mcp',
      issuer: ISSUER,
      subject: 'user-1',
      audience: [RESOURCE],
      principalId: `${ISSUER}#sub:user-1`,
      principalType: 'user',
      claims: baseClaims,
    });
    expect(info.resource).toBe(resource!.resourceUrl);
  });

  it('T11: scp array and scope string give the same AuthInfo scopes', () => {
    const { scope: _scope, ...withoutScope } = baseClaims;
    const fromScp = authInfoFromClaims(TOKEN, { ...withoutScope, scp: ['read:notes', 'write:notes'] }, resource!);
    expect(fromScp.scopes).toEqual(authInfoFromClaims(TOKEN, baseClaims, resource!).scopes);
  });

  it('carries a tenant only when the claim mapping names one', () => {
    expect(authInfoFromClaims(TOKEN, baseClaims, resource!, () => ({ tenant: 'acme' })).tenant).toBe('acme');
    expect('tenant' in authInfoFromClaims(TOKEN, baseClaims, resource!, () => ({}))).toBe(false);
  });

  it('T8: audience is always an array', () => {
    expect(authInfoFromClaims(TOKEN, { ...baseClaims, aud: [RESOURCE, 'api://x'] }, resource!).audience).toEqual([RESOURCE, 'api://x']);
    expect(authInfoFromClaims(TOKEN, baseClaims, resource!).audience).toEqual([RESOURCE]);
  });

  it.each([
    { name: 'client_id', claims: { client_id: 'c1', azp: 'c2' }, clientId: 'c1' },
    { name: 'azp when client_id is missing', claims: { azp: 'c2' }, clientId: 'c2' },
    { name: 'azp when client_id is empty', claims: { client_id: '', azp: 'c2' }, clientId: 'c2' },
    { name: 'empty when neither', claims: {}, clientId: '' },
    { name: 'empty when client_id is not a string', claims: { client_id: 7 }, clientId: '' },
  ])('clientId from $name', ({ claims, clientId }) => {
    const { client_id: _clientId, ...rest } = baseClaims;
    expect(authInfoFromClaims(TOKEN, { ...rest, ...claims }, resource!).clientId).toBe(clientId);
  });

  it('expiresAt is undefined without a numeric exp', () => {
    expect(authInfoFromClaims(TOKEN, { ...baseClaims, exp: '1900000000' }, resource!).expiresAt).toBeUndefined();
  });

  describe('X3: a stable principal id', () => {
    it('X3: the same iss + sub gives the same id across tokens and clients', () => {
      const first = authInfoFromClaims('a.b.c', { ...baseClaims, jti: '1', client_id: 'c1', scope: 'read' }, resource!);
      const second = authInfoFromClaims('d.e.f', { ...baseClaims, jti: '2', client_id: 'c2', exp: 2_000_000_000 }, resource!);
      expect(first.principalId).toBe(`${ISSUER}#sub:user-1`);
      expect(second.principalId).toBe(first.principalId);
    });

    it('X3: the same sub from another issuer is another principal', () => {
      const other = authInfoFromClaims(TOKEN, { ...baseClaims, iss: 'https://other.example.com' }, resource!);
      expect(other.principalId).toBe('https://other.example.com#sub:user-1');
      expect(other.principalId).not.toBe(authInfoFromClaims(TOKEN, baseClaims, resource!).principalId);
    });

    it('X3: another sub is another principal', () => {
      expect(authInfoFromClaims(TOKEN, { ...baseClaims, sub: 'user-2' }, resource!).principalId).toBe(`${ISSUER}#sub:user-2`);
    });
  });

  describe('X4: client_credentials tokens', () => {
    it.each([
      { name: 'sub equal to client_id', claims: { sub: 'client-a', client_id: 'client-a' }, subject: 'client-a' },
      { name: 'no sub', claims: { sub: undefined, client_id: 'client-a' }, subject: undefined },
      { name: 'a non-string sub', claims: { sub: 42, client_id: 'client-a' }, subject: undefined },
      { name: 'sub equal to azp', claims: { sub: 'client-a', client_id: undefined, azp: 'client-a' }, subject: 'client-a' },
    ])('X4: $name → principal type client', ({ claims, subject }) => {
      const info = authInfoFromClaims(TOKEN, { ...baseClaims, ...claims }, resource!);
      expect(info.principalType).toBe('client');
      expect(info.principalId).toBe(`${ISSUER}#client:client-a`);
      expect(info.subject).toBe(subject);
    });

    it('X4: a user sub that differs from the client is a user', () => {
      expect(authInfoFromClaims(TOKEN, baseClaims, resource!).principalType).toBe('user');
    });
  });

  describe('mapClaims', () => {
    it('overrides scopes, client id and subject', () => {
      const info = authInfoFromClaims(TOKEN, { ...baseClaims, permissions: ['notes:admin'] }, resource!, (claims) => ({
        scopes: claims.permissions as string[],
        clientId: 'mapped-client',
        subject: 'mapped-user',
      }));
      expect(info.scopes).toEqual(['notes:admin']);
      expect(info.clientId).toBe('mapped-client');
      expect(info.subject).toBe('mapped-user');
      expect(info.principalId).toBe(`${ISSUER}#sub:mapped-user`);
    });

    it('keeps the claims-derived values for what it does not return', () => {
      const info = authInfoFromClaims(TOKEN, baseClaims, resource!, () => ({}));
      expect(info.scopes).toEqual(['read:notes', 'write:notes']);
      expect(info.clientId).toBe('client-a');
      expect(info.subject).toBe('user-1');
    });

    it('receives the verified claims', () => {
      let seen: unknown;
      authInfoFromClaims(TOKEN, baseClaims, resource!, (claims) => {
        seen = claims;
        return {};
      });
      expect(seen).toBe(baseClaims);
    });
  });

  describe('X1/X2: the raw token is hidden', () => {
    const info = authInfoFromClaims(TOKEN, baseClaims, resource!);

    it('X1: .token reads the raw token', () => {
      expect(info.token).toBe(TOKEN);
    });

    it('X2: JSON.stringify does not contain the token', () => {
      expect(JSON.stringify(info)).not.toContain(TOKEN);
      expect(JSON.stringify(info)).not.toContain('c2VjcmV0LXNpZ25hdHVyZQ');
      expect(JSON.parse(JSON.stringify(info))).not.toHaveProperty('token');
    });

    it('X2: Object.keys, Object.entries and spreading leave the token out', () => {
      expect(Object.keys(info)).not.toContain('token');
      expect(Object.entries(info).some(([, value]) => value === TOKEN)).toBe(false);
      expect({ ...info }).not.toHaveProperty('token');
      expect(Object.assign({}, info)).not.toHaveProperty('token');
    });

    it('X2: util.inspect (what loggers print) does not contain the token', () => {
      expect(inspect(info, { depth: 10 })).not.toContain(TOKEN);
    });

    it('X1: the token cannot be overwritten or redefined', () => {
      expect(() => {
        (info as { token: string }).token = 'other';
      }).toThrow(TypeError);
      expect(() => Object.defineProperty(info, 'token', { enumerable: true })).toThrow(TypeError);
      expect(info.token).toBe(TOKEN);
      expect(Object.getOwnPropertyDescriptor(info, 'token')).toEqual({
        value: TOKEN,
        enumerable: false,
        writable: false,
        configurable: false,
      });
    });
  });
});

describe('withHiddenToken', () => {
  it('X1/X2: attaches a readable, non-enumerable token to the same object', () => {
    const target = { a: 1 };
    const result = withHiddenToken(target, 'secret');
    expect(result).toBe(target);
    expect(result.token).toBe('secret');
    expect(Object.keys(result)).toEqual(['a']);
    expect(JSON.stringify(result)).toBe('{"a":1}');
  });
});
