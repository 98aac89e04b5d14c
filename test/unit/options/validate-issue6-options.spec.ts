import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { InMemoryMcpAuthStore } from '../../../lib/store/in-memory-mcp-auth-store.js';
import { validateMcpAuthOptions } from '../../../lib/options/validate-options.js';

const RESOURCE = 'https://api.example.com/mcp';
const secret = { clientId: 'rs', clientSecret: 'secret' };

describe('validateMcpAuthOptions: introspection, tenants, store and custom verification', () => {
  it('accepts opaque, mixed and resolver-only resources, a store and a verify function', () => {
    expect(
      validateMcpAuthOptions({
        protectedResources: [
          { resource: RESOURCE, tokenFormat: 'opaque', authorizationServers: [{ issuer: 'https://as.example.com', introspection: secret }] },
          {
            resource: 'https://api.example.com/notes',
            tokenFormat: 'mixed',
            authorizationServers: [{ issuer: 'https://as.example.com', introspection: { clientId: 'rs', privateKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd' } } }],
          },
          { resource: 'https://api.example.com/tenants', authorizationServers: [], issuerResolver: () => true },
        ],
        introspection: { timeoutMs: 1_000, cache: { maxTtlSeconds: 60 } },
        tenants: { metadataTtlSeconds: 60, maxTenants: 10 },
        store: new InMemoryMcpAuthStore(),
      }),
    ).toEqual([]);
    expect(validateMcpAuthOptions({ protectedResources: [{ resource: RESOURCE, authorizationServers: ['https://as.example.com'] }], verifyAccessToken: () => ({}) })).toEqual([]);
  });

  it('names every bad field in one list', () => {
    expect(
      validateMcpAuthOptions({
        protectedResources: [
          {
            resource: RESOURCE,
            tokenFormat: 'jwe',
            issuerResolver: 'https://as.example.com/{tenant}',
            authorizationServers: [
              { issuer: 'https://as.example.com', introspection: { clientId: '', authMethod: 'tls_client_auth' }, mapClaims: 'keycloak' },
            ],
          },
        ],
        introspection: { timeoutMs: 0, cache: { maxTtlSeconds: 0 } },
        tenants: { metadataTtlSeconds: 0, maxTenants: 1.5 },
        verifyAccessToken: 'verify',
      }),
    ).toEqual([
      'protectedResources[0].authorizationServers[0].introspection.clientId: must be longer than or equal to 1 characters',
      'protectedResources[0].authorizationServers[0].introspection.authMethod: must be one of the following values: client_secret_basic, client_secret_post, private_key_jwt',
      'protectedResources[0].authorizationServers[0].mapClaims: must be a function',
      'protectedResources[0].tokenFormat: must be one of the following values: jwt, opaque, mixed',
      'protectedResources[0].issuerResolver: must be a function',
      'introspection.timeoutMs: must not be less than 1',
      'introspection.cache: must be false or { maxTtlSeconds? } with a positive integer',
      'tenants.metadataTtlSeconds: must not be less than 1',
      'tenants.maxTenants: must be an integer number',
      'verifyAccessToken: must be a function',
      'protectedResources[0].authorizationServers[0].introspection.clientSecret: is required for tls_client_auth',
    ]);
  });

  it('checks that each client registration carries what its method needs', () => {
    const problems = validateMcpAuthOptions({
      protectedResources: [
        {
          resource: RESOURCE,
          authorizationServers: [
            { issuer: 'https://a.example.com', introspection: { clientId: 'rs', authMethod: 'client_secret_post' } },
            { issuer: 'https://b.example.com', introspection: { clientId: 'rs', authMethod: 'private_key_jwt' } },
            { issuer: 'https://c.example.com', introspection: { clientId: 'rs', privateKey: { kty: 'EC', x: 'x', y: 'y' } } },
            { issuer: 'https://d.example.com', introspection: { clientId: 'rs', privateKey: { kty: 'oct', k: 'k', d: 'd' }, signingAlgorithm: 'HS256' } },
            { issuer: 'https://e.example.com', introspection: { ...secret, endpoint: 'http://e.example.com/introspect' } },
          ],
        },
      ],
    });
    expect(problems).toEqual([
      'protectedResources[0].authorizationServers[0].introspection.clientSecret: is required for client_secret_post',
      'protectedResources[0].authorizationServers[1].introspection.privateKey: is required for private_key_jwt',
      'protectedResources[0].authorizationServers[2].introspection.privateKey: must be a private JWK (it has no "d")',
      'protectedResources[0].authorizationServers[3].introspection.signingAlgorithm: "HS256" is not an asymmetric JWS algorithm',
      'protectedResources[0].authorizationServers[4].introspection.endpoint: must use https (http is allowed only on loopback, or with allowInsecureHttp)',
    ]);
  });

  it('an opaque or mixed resource needs exactly one server with introspection credentials', () => {
    const resource = (tokenFormat: string, servers: unknown[]) => ({ resource: RESOURCE, tokenFormat, authorizationServers: servers });
    expect(validateMcpAuthOptions({ protectedResources: [resource('opaque', ['https://as.example.com'])] })).toEqual([
      'protectedResources[0].authorizationServers: tokenFormat "opaque" needs exactly one authorization server with introspection credentials (found 0)',
    ]);
    const two = [
      { issuer: 'https://a.example.com', introspection: secret },
      { issuer: 'https://b.example.com', introspection: secret },
    ];
    expect(validateMcpAuthOptions({ protectedResources: [resource('mixed', two)] })).toEqual([
      'protectedResources[0].authorizationServers: tokenFormat "mixed" needs exactly one authorization server with introspection credentials (found 2)',
    ]);
  });

  it('a store must be a McpAuthStore, and is never walked by the validator (it holds live connections)', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(validateMcpAuthOptions({ protectedResources: [{ resource: RESOURCE, authorizationServers: ['https://as.example.com'] }], store: circular })).toEqual([
      'store: must be a McpAuthStore (get, set, setIfAbsent, delete), e.g. new RedisMcpAuthStore(redisClient)',
    ]);
  });

  it('verifyAccessToken replaces the built-in verifiers, so tokenFormat is refused with it', () => {
    expect(
      validateMcpAuthOptions({
        protectedResources: [{ resource: RESOURCE, tokenFormat: 'jwt', authorizationServers: ['https://as.example.com'] }],
        verifyAccessToken: () => ({}),
      }),
    ).toEqual(['verifyAccessToken: replaces the built-in verifiers, so no protected resource may set tokenFormat']);
  });
});
