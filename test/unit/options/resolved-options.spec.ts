import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { McpAuthOptionsError } from '../../../lib/errors/invalid-options.error.js';
import type { AuthorizationServerMetadata, McpAuthModuleOptions } from '../../../lib/options/mcp-auth-options.interface.js';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';

const RESOURCE = 'https://api.example.com/mcp';
const ISSUER = 'https://as.example.com';

function resolve(overrides: Partial<McpAuthModuleOptions> = {}) {
  return resolveMcpAuthOptions({ protectedResources: [{ resource: RESOURCE, authorizationServers: [ISSUER] }], ...overrides });
}

describe('resolveMcpAuthOptions', () => {
  it('applies every default in one place', () => {
    const resolved = resolve();
    expect(resolved.discovery).toEqual({ timeoutMs: 5_000, retries: 2, retryDelayMs: 250, failFast: true, transformMetadata: undefined });
    expect(resolved.jwt).toEqual({
      algorithms: ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'],
      clockToleranceSeconds: 5,
      maxTokenAgeSeconds: undefined,
      typ: 'lenient',
      requiredClaims: [],
      jwksCooldownSeconds: 30,
      jwksCacheMaxAgeSeconds: 600,
      cache: { maxEntries: 10_000, maxTtlSeconds: 300 },
    });
    expect(resolved.introspection).toEqual({ timeoutMs: 5_000, cache: undefined });
    expect(resolved.tenants).toEqual({ metadataTtlSeconds: 3_600, maxTenants: 1_000 });
    expect(resolved.store).toBeUndefined();
    expect(resolved.verifyAccessToken).toBeUndefined();
    expect(resolved.resources[0]).toMatchObject({ tokenFormat: 'jwt', introspectionIssuer: undefined, issuerResolver: undefined });
    expect(resolved.metadataRequirements.get(ISSUER)).toEqual({ jwks: true, introspection: false });
    expect(resolved.showErrorDetails).toBe(false);
    expect(resolved.allowInsecureHttp).toBe(false);
    expect(resolved.retryAfterSeconds).toBe(5);
    expect(resolved.mapClaims).toBeUndefined();
    expect(resolved.scopeHierarchy.size).toBe(0);
    expect(resolved.warnings).toEqual([]);
  });

  it('T5: the default algorithm list contains no none and no HMAC', () => {
    for (const algorithm of resolve().jwt.algorithms) expect(algorithm).not.toMatch(/^(none|HS\d+)$/i);
  });

  it('keeps explicit values, including falsy ones', () => {
    const transformMetadata = (metadata: AuthorizationServerMetadata) => metadata;
    const mapClaims = () => ({});
    const discovery = { timeoutMs: 100, retries: 0, retryDelayMs: 0, failFast: false, transformMetadata };
    const jwt = {
      algorithms: ['ES256'],
      clockToleranceSeconds: 0,
      maxTokenAgeSeconds: 300,
      typ: 'strict' as const,
      requiredClaims: ['sub', 'jti'],
      jwksCooldownSeconds: 0,
      jwksCacheMaxAgeSeconds: 60,
    };
    const resolved = resolve({ discovery: { ...discovery }, jwt: structuredClone(jwt), mapClaims, showErrorDetails: true, retryAfterSeconds: 0 });
    expect(resolved.discovery).toEqual(discovery);
    expect(resolved.jwt).toEqual({ ...jwt, cache: { maxEntries: 10_000, maxTtlSeconds: 300 } });
    expect(resolved.mapClaims).toBe(mapClaims);
    expect(resolved.showErrorDetails).toBe(true);
    expect(resolved.retryAfterSeconds).toBe(0);
  });

  it('I1: an issuer two resources trust keeps the introspection client the later one names', () => {
    const introspection = { clientId: 'rs', clientSecret: 'secret' };
    const resolved = resolveMcpAuthOptions({
      protectedResources: [
        { resource: RESOURCE, authorizationServers: [ISSUER] },
        { resource: 'https://api.example.com/opaque', tokenFormat: 'opaque', authorizationServers: [{ issuer: ISSUER, introspection }] },
      ],
    });
    expect(resolved.authorizationServers.get(ISSUER)).toMatchObject({ issuer: ISSUER, introspection });
  });

  it('D4: an opaque resource needs introspection metadata from its introspecting server, a mixed one JWKS too', () => {
    const introspection = { clientId: 'rs', clientSecret: 'secret' };
    const resolved = resolveMcpAuthOptions({
      protectedResources: [
        { resource: RESOURCE, tokenFormat: 'opaque', authorizationServers: [{ issuer: ISSUER, introspection }] },
        {
          resource: 'https://api.example.com/notes',
          tokenFormat: 'mixed',
          authorizationServers: ['https://jwt.example.com', { issuer: 'https://other.example.com', introspection: { ...introspection, endpoint: 'https://other.example.com/i' } }],
        },
      ],
      introspection: { cache: { maxTtlSeconds: 60 } },
    });
    expect(resolved.resources.map((resource) => [resource.tokenFormat, resource.introspectionIssuer])).toEqual([
      ['opaque', ISSUER],
      ['mixed', 'https://other.example.com'],
    ]);
    expect(Object.fromEntries(resolved.metadataRequirements)).toEqual({
      [ISSUER]: { jwks: false, introspection: true },
      'https://jwt.example.com': { jwks: true, introspection: false },
      // A configured endpoint needs no introspection_endpoint in the metadata.
      'https://other.example.com': { jwks: true, introspection: false },
    });
    expect(resolved.introspection.cache).toEqual({ maxTtlSeconds: 60 });
  });

  it('warns when a resource relies on its issuerResolver alone, as its metadata then lists no server', () => {
    const resolved = resolveMcpAuthOptions({
      protectedResources: [{ resource: RESOURCE, authorizationServers: [], issuerResolver: () => true }],
    });
    expect(resolved.resources[0]!.issuers).toEqual([]);
    expect(resolved.warnings.join('\n')).toContain('lists no authorization server');
  });

  it('the default algorithm list is a copy, not the shared constant', () => {
    const first = resolve().jwt.algorithms;
    first.push('HS256');
    expect(resolve().jwt.algorithms).not.toContain('HS256');
  });

  it('throws McpAuthOptionsError naming every problem', () => {
    let thrown: unknown;
    try {
      resolveMcpAuthOptions({
        protectedResources: [{ resource: 'http://api.example.com/mcp', authorizationServers: ['http://as.example.com'] }],
        jwt: { algorithms: ['HS256'] },
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(McpAuthOptionsError);
    const error = thrown as McpAuthOptionsError;
    expect(error.code).toBe('MCP_AUTH_INVALID_OPTIONS');
    expect(error.name).toBe('McpAuthOptionsError');
    expect(error.problems).toHaveLength(3);
    expect(error.message).toBe(
      'Invalid McpAuthModule options (3 problems):\n' +
        '  - protectedResources[0].resource: must use https (http is allowed only on loopback, or with allowInsecureHttp)\n' +
        '  - protectedResources[0].authorizationServers[0].issuer: must use https (http is allowed only on loopback, or with allowInsecureHttp)\n' +
        '  - jwt.algorithms: "HS256" is not allowed; access tokens must use an asymmetric algorithm (RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519)',
    );
  });

  it('says "1 problem" for a single problem', () => {
    expect(() => resolveMcpAuthOptions({ protectedResources: [] })).toThrow(
      'Invalid McpAuthModule options (1 problem):\n  - protectedResources: should not be empty',
    );
  });

  describe('resources', () => {
    it.each([
      {
        resource: 'https://api.example.com/mcp',
        metadataPath: '/.well-known/oauth-protected-resource/mcp',
        metadataUrl: 'https://api.example.com/.well-known/oauth-protected-resource/mcp',
      },
      {
        resource: 'https://api.example.com',
        metadataPath: '/.well-known/oauth-protected-resource',
        metadataUrl: 'https://api.example.com/.well-known/oauth-protected-resource',
      },
      {
        resource: 'https://API.example.com:443/a/b/mcp/',
        metadataPath: '/.well-known/oauth-protected-resource/a/b/mcp/',
        metadataUrl: 'https://api.example.com/.well-known/oauth-protected-resource/a/b/mcp/',
      },
    ])('P2/P3: $resource keeps its identifier byte-identical and derives its metadata URL', ({ resource, metadataPath, metadataUrl }) => {
      const [resolved] = resolveMcpAuthOptions({ protectedResources: [{ resource, authorizationServers: [ISSUER] }] }).resources;
      expect(resolved!.resource).toBe(resource);
      expect(resolved!.metadataPath).toBe(metadataPath);
      expect(resolved!.metadataUrl).toBe(metadataUrl);
      expect(resolved!.resourceUrl).toEqual(new URL(resource));
    });

    it('T8: accepts only the resource identifier by default', () => {
      expect(resolve().resources[0]!.audiences).toEqual([RESOURCE]);
    });

    it('T8: the resource identifier comes first, configured aliases after, in order, never duplicated with it', () => {
      const [resource] = resolveMcpAuthOptions({
        protectedResources: [
          { resource: RESOURCE, authorizationServers: [ISSUER], audiences: ['api://mcp', RESOURCE, 'https://api.example.com/mcp/'] },
        ],
      }).resources;
      expect(resource!.audiences).toEqual([RESOURCE, 'api://mcp', 'https://api.example.com/mcp/']);
    });

    it('T8: no trailing-slash or case variant is added on its own', () => {
      const audiences = resolve().resources[0]!.audiences;
      expect(audiences).not.toContain(`${RESOURCE}/`);
      expect(audiences).not.toContain(RESOURCE.toUpperCase());
    });

    it('P4: issuers keep configuration order and spelling; objects and strings mix', () => {
      const [resource] = resolveMcpAuthOptions({
        protectedResources: [
          {
            resource: RESOURCE,
            authorizationServers: ['https://as2.example.com/', { issuer: 'https://as1.example.com/t', metadataUrl: 'https://internal/m' }],
          },
        ],
      }).resources;
      expect(resource!.issuers).toEqual(['https://as2.example.com/', 'https://as1.example.com/t']);
    });

    it('de-duplicates authorization servers by issuer across resources, first configuration wins', () => {
      const first = { issuer: ISSUER, metadataUrl: 'https://internal/first' };
      const resolved = resolveMcpAuthOptions({
        protectedResources: [
          { resource: 'https://api.example.com/mcp', authorizationServers: [first] },
          { resource: 'https://api.example.com/notes', authorizationServers: [{ issuer: ISSUER, metadataUrl: 'https://internal/second' }, 'https://other.example.com'] },
        ],
      });
      expect([...resolved.authorizationServers.keys()]).toEqual([ISSUER, 'https://other.example.com']);
      expect(resolved.authorizationServers.get(ISSUER)).toEqual(first);
      expect(resolved.authorizationServers.get('https://other.example.com')).toEqual({ issuer: 'https://other.example.com' });
    });

    it('P6: offline_access is left out of scopesSupported, with a warning', () => {
      const resolved = resolveMcpAuthOptions({
        protectedResources: [{ resource: RESOURCE, authorizationServers: [ISSUER], scopesSupported: ['read', 'offline_access', 'write'] }],
      });
      expect(resolved.resources[0]!.scopesSupported).toEqual(['read', 'write']);
      expect(resolved.warnings).toEqual([
        `Protected resource ${RESOURCE}: "offline_access" is left out of scopes_supported and challenges (MCP 2026-07-28)`,
      ]);
    });

    it('P5: scopesSupported defaults to none', () => {
      expect(resolve().resources[0]!.scopesSupported).toEqual([]);
    });

    it('keeps the original resource options for the PRM document', () => {
      const options = { resource: RESOURCE, authorizationServers: [ISSUER], resourceName: 'Notes' };
      expect(resolveMcpAuthOptions({ protectedResources: [options] }).resources[0]!.options).toBe(options);
    });
  });

  it('D7: warns loudly when allowInsecureHttp is on', () => {
    const resolved = resolveMcpAuthOptions({
      protectedResources: [{ resource: 'http://api.example.com/mcp', authorizationServers: ['http://as.example.com'] }],
      allowInsecureHttp: true,
    });
    expect(resolved.allowInsecureHttp).toBe(true);
    expect(resolved.warnings).toEqual([
      'allowInsecureHttp is on: http issuers and endpoints are accepted on any host. Never use this in production.',
    ]);
  });

  it('T12: compiles the scope hierarchy', () => {
    const resolved = resolve({ scopeHierarchy: { admin: ['write'], write: ['read'] } });
    expect([...resolved.scopeHierarchy.get('admin')!].sort()).toEqual(['admin', 'read', 'write']);
  });
});
