import { describe, expect, it } from 'vitest';
import type { ProtectedResourceOptions } from '../../../lib/options/mcp-auth-options.interface.js';
import { buildProtectedResourceMetadata } from '../../../lib/protected-resource/protected-resource-metadata.js';

const ISSUER = 'https://as.example.com/';

function prm(options: Partial<ProtectedResourceOptions> & Pick<ProtectedResourceOptions, 'resource'>, issuers = [ISSUER]) {
  return buildProtectedResourceMetadata({ authorizationServers: issuers, ...options }, issuers);
}

describe('buildProtectedResourceMetadata', () => {
  it('P1/P7: a minimal document has resource, authorization_servers and bearer_methods_supported only', () => {
    expect(prm({ resource: 'https://h/mcp' })).toEqual({
      resource: 'https://h/mcp',
      authorization_servers: [ISSUER],
      bearer_methods_supported: ['header'],
    });
  });

  it.each([
    'https://h/mcp',
    'https://h/mcp/',
    'https://h',
    'https://h/',
    'https://H.Example.COM/MCP',
    'https://h.example.com:443/mcp',
    'http://h.example.com:80/mcp',
    'https://h:8443/a/b/mcp',
    'https://h/mcp?tenant=a',
    'https://h/a%2Fb',
  ])('P3: resource %s is served byte-identical', (resource) => {
    const document = prm({ resource });
    expect(document.resource).toBe(resource);
    expect(JSON.parse(JSON.stringify(document)).resource).toBe(resource);
  });

  it('P4: authorization_servers are the issuer strings, in order, unmodified', () => {
    const issuers = ['https://as1.example.com/', 'https://as2.example.com/tenant', 'https://as3.example.com'];
    const document = prm({ resource: 'https://h/mcp' }, issuers);
    expect(document.authorization_servers).toEqual(issuers);
    expect(document.authorization_servers).not.toBe(issuers);
  });

  it('P5: scopes_supported matches the configuration', () => {
    expect(prm({ resource: 'https://h/mcp', scopesSupported: ['read:notes', 'write:notes'] }).scopes_supported).toEqual([
      'read:notes',
      'write:notes',
    ]);
  });

  it.each([
    { scopesSupported: ['offline_access', 'read'], expected: ['read'] },
    { scopesSupported: ['read', 'offline_access', 'write'], expected: ['read', 'write'] },
    { scopesSupported: ['offline_access'], expected: undefined },
  ])('P6: offline_access is filtered from $scopesSupported', ({ scopesSupported, expected }) => {
    const document = prm({ resource: 'https://h/mcp', scopesSupported });
    expect(document.scopes_supported).toEqual(expected);
    expect('scopes_supported' in document).toBe(expected !== undefined);
  });

  it('P7: bearer_methods_supported is ["header"]', () => {
    expect(prm({ resource: 'https://h/mcp' }).bearer_methods_supported).toEqual(['header']);
  });

  it('P8: every RFC 9728 field is mapped when set', () => {
    expect(
      prm({
        resource: 'https://h/mcp',
        scopesSupported: ['a'],
        resourceName: 'Notes',
        resourceDocumentation: 'https://h/docs',
        resourcePolicyUri: 'https://h/policy',
        resourceTosUri: 'https://h/tos',
        jwksUri: 'https://h/jwks.json',
        resourceSigningAlgValuesSupported: ['ES256'],
        authorizationDetailsTypesSupported: ['payment_initiation'],
        tlsClientCertificateBoundAccessTokens: true,
      }),
    ).toEqual({
      resource: 'https://h/mcp',
      authorization_servers: [ISSUER],
      bearer_methods_supported: ['header'],
      scopes_supported: ['a'],
      resource_name: 'Notes',
      resource_documentation: 'https://h/docs',
      resource_policy_uri: 'https://h/policy',
      resource_tos_uri: 'https://h/tos',
      jwks_uri: 'https://h/jwks.json',
      resource_signing_alg_values_supported: ['ES256'],
      authorization_details_types_supported: ['payment_initiation'],
      tls_client_certificate_bound_access_tokens: true,
    });
  });

  it('P8: zero values are omitted', () => {
    const document = prm({
      resource: 'https://h/mcp',
      scopesSupported: [],
      resourceName: '',
      resourceDocumentation: undefined,
      jwksUri: '',
      resourceSigningAlgValuesSupported: [],
      authorizationDetailsTypesSupported: [],
      tlsClientCertificateBoundAccessTokens: false,
    });
    expect(Object.keys(document).sort()).toEqual(['authorization_servers', 'bearer_methods_supported', 'resource']);
  });

  it('P8: additional metadata is passed through unchanged', () => {
    const document = prm({
      resource: 'https://h/mcp',
      additionalMetadata: { dpop_bound_access_tokens_required: false, custom: { nested: [1, 2] }, 'x-vendor': 'v' },
    });
    expect(document).toEqual({
      resource: 'https://h/mcp',
      authorization_servers: [ISSUER],
      bearer_methods_supported: ['header'],
      dpop_bound_access_tokens_required: false,
      custom: { nested: [1, 2] },
      'x-vendor': 'v',
    });
  });

  it('P3/P4/P7: additional metadata cannot override resource, authorization_servers or bearer_methods_supported', () => {
    const document = prm({
      resource: 'https://h/mcp',
      additionalMetadata: {
        resource: 'https://evil/mcp',
        authorization_servers: ['https://evil'],
        bearer_methods_supported: ['query'],
      },
    });
    expect(document.resource).toBe('https://h/mcp');
    expect(document.authorization_servers).toEqual([ISSUER]);
    expect(document.bearer_methods_supported).toEqual(['header']);
  });

  it('P8: typed options win over the same field in additional metadata', () => {
    const document = prm({ resource: 'https://h/mcp', resourceName: 'Typed', additionalMetadata: { resource_name: 'Extra' } });
    expect(document.resource_name).toBe('Typed');
  });

  it('P9: jwks_uri is never filled from the authorization server', () => {
    expect('jwks_uri' in prm({ resource: 'https://h/mcp' })).toBe(false);
  });

  it('does not mutate its inputs', () => {
    const options: ProtectedResourceOptions = {
      resource: 'https://h/mcp',
      authorizationServers: [ISSUER],
      scopesSupported: ['offline_access', 'a'],
      additionalMetadata: { x: 1 },
    };
    const snapshot = structuredClone(options);
    buildProtectedResourceMetadata(options, [ISSUER]);
    expect(options).toEqual(snapshot);
  });
});
