import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import type { McpAuthModuleOptions } from '../../../lib/options/mcp-auth-options.interface.js';
import { toAuthorizationServerOptions, validateMcpAuthOptions } from '../../../lib/options/validate-options.js';

const INSECURE = 'must use https (http is allowed only on loopback, or with allowInsecureHttp)';
const ALLOWED = 'RS256, RS384, RS512, PS256, PS384, PS512, ES256, ES384, ES512, EdDSA, Ed25519';

const valid: McpAuthModuleOptions = {
  protectedResources: [{ resource: 'https://api.example.com/mcp', authorizationServers: ['https://as.example.com'] }],
};

/** The valid options with the first resource changed. */
function withResource(changes: Record<string, unknown>, extra: Record<string, unknown> = {}): unknown {
  return { ...valid, ...extra, protectedResources: [{ ...valid.protectedResources[0], ...changes }] };
}

describe('validateMcpAuthOptions', () => {
  it('accepts minimal valid options', () => {
    expect(validateMcpAuthOptions(valid)).toEqual([]);
  });

  it('accepts every option set to a valid value', () => {
    expect(
      validateMcpAuthOptions({
        protectedResources: [
          {
            resource: 'https://api.example.com/mcp',
            authorizationServers: [
              'https://as.example.com',
              { issuer: 'https://as2.example.com/t', metadataUrl: 'https://internal:8443/meta' },
              { issuer: 'https://as3.example.com', metadata: { issuer: 'https://as3.example.com', jwks_uri: 'https://as3.example.com/j' } },
            ],
            audiences: ['api://mcp', 'https://api.example.com/mcp/'],
            scopesSupported: ['read', 'write'],
            resourceName: 'Notes',
            resourceDocumentation: 'https://api.example.com/docs',
            resourcePolicyUri: 'https://api.example.com/policy',
            resourceTosUri: 'https://api.example.com/tos',
            jwksUri: 'https://api.example.com/jwks',
            resourceSigningAlgValuesSupported: ['ES256'],
            authorizationDetailsTypesSupported: ['x'],
            tlsClientCertificateBoundAccessTokens: true,
            additionalMetadata: { custom: 1 },
          },
        ],
        discovery: { timeoutMs: 1, retries: 0, retryDelayMs: 0, failFast: false, transformMetadata: (m: unknown) => m },
        jwt: {
          algorithms: ['ES256', 'EdDSA'],
          clockToleranceSeconds: 0,
          maxTokenAgeSeconds: 60,
          typ: 'strict',
          requiredClaims: ['sub'],
          jwksCooldownSeconds: 0,
          jwksCacheMaxAgeSeconds: 1,
        },
        scopeHierarchy: { admin: ['read'] },
        mapClaims: () => ({}),
        showErrorDetails: true,
        allowInsecureHttp: false,
        retryAfterSeconds: 0,
      }),
    ).toEqual([]);
  });

  it.each([null, undefined, 'options', 42, true])('rejects %j, which is not an object', (options) => {
    expect(validateMcpAuthOptions(options)).toEqual(['options must be an object']);
  });

  it('names protectedResources when it is missing', () => {
    expect(validateMcpAuthOptions({})).toEqual(['protectedResources: should not be empty', 'protectedResources: must be an array']);
  });

  it('names protectedResources when it is empty', () => {
    expect(validateMcpAuthOptions({ protectedResources: [] })).toEqual(['protectedResources: should not be empty']);
  });

  it('names every bad field in one list', () => {
    expect(
      validateMcpAuthOptions({
        protectedResources: [
          {
            resource: 'not a url',
            authorizationServers: ['nope', { issuer: 'https://as.example.com', metadataUrl: 'relative/path' }],
            audiences: [''],
            scopesSupported: 'read',
            resourceName: 3,
            tlsClientCertificateBoundAccessTokens: 'yes',
          },
          { resource: 'https://h/mcp#fragment', authorizationServers: [] },
        ],
        discovery: { timeoutMs: 0, retries: -1, retryDelayMs: 1.5, failFast: 'no', transformMetadata: 'fn' },
        jwt: { algorithms: [], typ: 'loose', clockToleranceSeconds: -1, maxTokenAgeSeconds: 0, jwksCacheMaxAgeSeconds: 0 },
        scopeHierarchy: 'admin',
        mapClaims: {},
        showErrorDetails: 'yes',
        allowInsecureHttp: 1,
        retryAfterSeconds: -5,
      }),
    ).toEqual([
      'protectedResources[0].resource: must be an absolute URL without a fragment (got "not a url")',
      'protectedResources[0].authorizationServers[0].issuer: must be an absolute URL without a fragment (got "nope")',
      'protectedResources[0].authorizationServers[1].metadataUrl: must be an absolute URL without a fragment (got "relative/path")',
      'protectedResources[0].audiences: must be an array of non-empty strings',
      'protectedResources[0].scopesSupported: must be an array of non-empty strings',
      'protectedResources[0].resourceName: must be a string',
      'protectedResources[0].tlsClientCertificateBoundAccessTokens: must be a boolean value',
      'protectedResources[1].resource: must be an absolute URL without a fragment (got "https://h/mcp#fragment")',
      'protectedResources[1].authorizationServers: should not be empty (it may be only with an issuerResolver)',
      'discovery.timeoutMs: must not be less than 1',
      'discovery.retries: must not be less than 0',
      'discovery.retryDelayMs: must be an integer number',
      'discovery.failFast: must be a boolean value',
      'discovery.transformMetadata: must be a function',
      'jwt.algorithms: should not be empty',
      'jwt.clockToleranceSeconds: must not be less than 0',
      'jwt.maxTokenAgeSeconds: must not be less than 1',
      'jwt.typ: must be one of the following values: lenient, strict',
      'jwt.jwksCacheMaxAgeSeconds: must not be less than 1',
      'scopeHierarchy: must be an object',
      'mapClaims: must be a function',
      'showErrorDetails: must be a boolean value',
      'allowInsecureHttp: must be a boolean value',
      'retryAfterSeconds: must not be less than 0',
    ]);
  });

  it('names every semantic problem in one list', () => {
    expect(
      validateMcpAuthOptions({
        protectedResources: [
          {
            resource: 'http://api.example.com/mcp',
            authorizationServers: [
              'http://as.example.com',
              { issuer: 'https://as2.example.com', metadataUrl: 'http://internal/meta' },
              { issuer: 'https://as3.example.com', metadata: { issuer: 'https://as3.example.com/' } },
            ],
            jwksUri: 'http://api.example.com/jwks',
            resourceSigningAlgValuesSupported: ['ES256', 'none'],
          },
          { resource: 'http://api.example.com/mcp', authorizationServers: ['https://as.example.com'] },
        ],
        jwt: { algorithms: ['HS256', 'RS256', 'none'] },
        scopeHierarchy: { admin: 'read', ok: ['read'], mixed: ['read', 1] },
      }),
    ).toEqual([
      `protectedResources[0].resource: ${INSECURE}`,
      'protectedResources[0].jwksUri: must be an https URL',
      'protectedResources[0].resourceSigningAlgValuesSupported: must not contain "none"',
      `protectedResources[0].authorizationServers[0].issuer: ${INSECURE}`,
      `protectedResources[0].authorizationServers[1].metadataUrl: ${INSECURE}`,
      'protectedResources[0].authorizationServers[2].metadata.issuer: must equal the issuer "https://as3.example.com" exactly',
      `protectedResources[1].resource: ${INSECURE}`,
      'protectedResources[1].resource: http://api.example.com/mcp is configured twice',
      `jwt.algorithms: "HS256" is not allowed; access tokens must use an asymmetric algorithm (${ALLOWED})`,
      `jwt.algorithms: "none" is not allowed; access tokens must use an asymmetric algorithm (${ALLOWED})`,
      'scopeHierarchy.admin: must be an array of scope strings',
      'scopeHierarchy.mixed: must be an array of scope strings',
    ]);
  });

  it('reports shape and meaning problems together, without repeating a field', () => {
    expect(validateMcpAuthOptions(withResource({ resourceName: 3 }, { jwt: { algorithms: ['HS256'] } }))).toEqual([
      'protectedResources[0].resourceName: must be a string',
      `jwt.algorithms: "HS256" is not allowed; access tokens must use an asymmetric algorithm (${ALLOWED})`,
    ]);
    expect(validateMcpAuthOptions(withResource({ resource: 'not a url' }))).toEqual([
      'protectedResources[0].resource: must be an absolute URL without a fragment (got "not a url")',
    ]);
  });

  describe('D7: https issuers and endpoints, loopback excepted', () => {
    it.each([
      { issuer: 'http://as.example.com', allowInsecureHttp: undefined, ok: false },
      { issuer: 'http://as.example.com', allowInsecureHttp: false, ok: false },
      { issuer: 'http://as.example.com', allowInsecureHttp: true, ok: true },
      { issuer: 'http://10.1.2.3:8080', allowInsecureHttp: false, ok: false },
      { issuer: 'http://localhost.attacker.com', allowInsecureHttp: false, ok: false },
      { issuer: 'http://127.0.0.1:3001', allowInsecureHttp: false, ok: true },
      { issuer: 'http://127.9.9.9', allowInsecureHttp: false, ok: true },
      { issuer: 'http://localhost:3001/oidc', allowInsecureHttp: false, ok: true },
      { issuer: 'http://[::1]:3001', allowInsecureHttp: false, ok: true },
      { issuer: 'https://as.example.com', allowInsecureHttp: false, ok: true },
      { issuer: 'ftp://as.example.com', allowInsecureHttp: true, ok: false },
    ])('D7: issuer $issuer, allowInsecureHttp $allowInsecureHttp → ok: $ok', ({ issuer, allowInsecureHttp, ok }) => {
      const options = withResource({ authorizationServers: [issuer] }, allowInsecureHttp === undefined ? {} : { allowInsecureHttp });
      expect(validateMcpAuthOptions(options)).toEqual(ok ? [] : [`protectedResources[0].authorizationServers[0].issuer: ${INSECURE}`]);
    });

    it('D7: an http resource on a non-loopback host is rejected unless allowInsecureHttp', () => {
      const options = { protectedResources: [{ resource: 'http://api.example.com/mcp', authorizationServers: ['https://as.example.com'] }] };
      expect(validateMcpAuthOptions(options)).toEqual([`protectedResources[0].resource: ${INSECURE}`]);
      expect(validateMcpAuthOptions({ ...options, allowInsecureHttp: true })).toEqual([]);
    });

    it('D7: an http metadataUrl on a non-loopback host is rejected unless allowInsecureHttp', () => {
      const options = withResource({ authorizationServers: [{ issuer: 'https://as.example.com', metadataUrl: 'http://as.internal/meta' }] });
      expect(validateMcpAuthOptions(options)).toEqual([`protectedResources[0].authorizationServers[0].metadataUrl: ${INSECURE}`]);
      expect(validateMcpAuthOptions({ ...(options as object), allowInsecureHttp: true })).toEqual([]);
    });
  });

  describe('T5: algorithm allow-list', () => {
    it.each(['none', 'HS256', 'HS384', 'HS512', 'hs256', 'RSA-OAEP', 'rs256', ''])('T5: rejects %j', (algorithm) => {
      const problems = validateMcpAuthOptions({ ...valid, jwt: { algorithms: ['RS256', algorithm] } });
      // An empty name fails the shape check; any other is refused by name.
      const expected =
        algorithm === ''
          ? 'jwt.algorithms: must be an array of non-empty strings'
          : `jwt.algorithms: ${JSON.stringify(algorithm)} is not allowed; access tokens must use an asymmetric algorithm (${ALLOWED})`;
      expect(problems).toEqual([expected]);
    });

    it.each(['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'])(
      'T5: accepts %s',
      (algorithm) => {
        expect(validateMcpAuthOptions({ ...valid, jwt: { algorithms: [algorithm] } })).toEqual([]);
      },
    );
  });

  describe('P9/P10: RFC 9728 fields', () => {
    it.each([
      { jwksUri: 'http://api.example.com/jwks', ok: false },
      { jwksUri: 'http://127.0.0.1/jwks', ok: false },
      { jwksUri: 'https://api.example.com/jwks', ok: true },
    ])('P9: jwksUri $jwksUri → ok: $ok', ({ jwksUri, ok }) => {
      expect(validateMcpAuthOptions(withResource({ jwksUri }))).toEqual(ok ? [] : ['protectedResources[0].jwksUri: must be an https URL']);
    });

    it('P9: an http jwksUri is rejected even with allowInsecureHttp', () => {
      expect(validateMcpAuthOptions(withResource({ jwksUri: 'http://api.example.com/jwks' }, { allowInsecureHttp: true }))).toEqual([
        'protectedResources[0].jwksUri: must be an https URL',
      ]);
    });

    it.each([
      { values: ['none'], ok: false },
      { values: ['RS256', 'none'], ok: false },
      { values: ['RS256', 'ES256'], ok: true },
    ])('P10: resourceSigningAlgValuesSupported $values → ok: $ok', ({ values, ok }) => {
      expect(validateMcpAuthOptions(withResource({ resourceSigningAlgValuesSupported: values }))).toEqual(
        ok ? [] : ['protectedResources[0].resourceSigningAlgValuesSupported: must not contain "none"'],
      );
    });
  });

  describe('resources and issuers', () => {
    it('rejects a resource configured twice', () => {
      const resource = valid.protectedResources[0]!;
      expect(validateMcpAuthOptions({ protectedResources: [resource, resource, resource] })).toEqual([
        'protectedResources[1].resource: https://api.example.com/mcp is configured twice',
        'protectedResources[2].resource: https://api.example.com/mcp is configured twice',
      ]);
    });

    it('P3: resources differing only by a trailing slash are distinct', () => {
      expect(
        validateMcpAuthOptions({
          protectedResources: [
            { resource: 'https://api.example.com/mcp', authorizationServers: ['https://as.example.com'] },
            { resource: 'https://api.example.com/mcp/', authorizationServers: ['https://as.example.com'] },
          ],
        }),
      ).toEqual([]);
    });

    it('D2: manual metadata whose issuer differs by a trailing slash is rejected', () => {
      expect(
        validateMcpAuthOptions(withResource({ authorizationServers: [{ issuer: 'https://as.example.com/', metadata: { issuer: 'https://as.example.com' } }] })),
      ).toEqual(['protectedResources[0].authorizationServers[0].metadata.issuer: must equal the issuer "https://as.example.com/" exactly']);
    });

    it('rejects an authorization server entry that is neither a string nor an object', () => {
      expect(validateMcpAuthOptions(withResource({ authorizationServers: [42] }))).toEqual([
        'protectedResources[0].authorizationServers[0]: each value in nested property authorizationServers must be either object or array',
      ]);
    });
  });

  it('does not mutate the options', () => {
    const options = withResource({ authorizationServers: ['https://as.example.com'] }) as McpAuthModuleOptions;
    const snapshot = structuredClone(options);
    validateMcpAuthOptions(options);
    expect(options).toEqual(snapshot);
  });
});

describe('toAuthorizationServerOptions', () => {
  it('wraps a plain issuer string', () => {
    expect(toAuthorizationServerOptions('https://as.example.com/')).toEqual({ issuer: 'https://as.example.com/' });
  });

  it('returns an options object as is', () => {
    const entry = { issuer: 'https://as.example.com', metadataUrl: 'https://internal/meta' };
    expect(toAuthorizationServerOptions(entry)).toBe(entry);
  });
});
