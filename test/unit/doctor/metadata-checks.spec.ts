import { describe, expect, it } from 'vitest';

import { failedIssuerCheck, metadataChecks } from '../../../lib/doctor/metadata-checks.js';
import { assessAuthorizationServerMetadata } from '../../../lib/discovery/metadata-validation.js';
import { AuthorizationServerDiscoveryError } from '../../../lib/errors/discovery.error.js';
import type { AuthorizationServerMetadata } from '../../../lib/options/mcp-auth-options.interface.js';

const issuer = 'https://as.example.com';
const ours = 'https://mcp.example.com/mcp';

/** The assessment run as the doctor runs it: warnings from the lenient pass, problems from the strict one. */
function checksFor(metadata: AuthorizationServerMetadata, tokenFormat: 'jwt' | 'opaque' = 'jwt') {
  const expected = { issuer, resources: [ours], allowInsecureHttp: false };
  const { warnings } = assessAuthorizationServerMetadata(metadata, { ...expected, requires: { jwks: false, introspection: false } });
  const { problems } = assessAuthorizationServerMetadata(metadata, { ...expected, requires: { jwks: tokenFormat === 'jwt', introspection: tokenFormat === 'opaque' } });
  return metadataChecks(metadata, { problems, warnings }, { resources: [ours], tokenFormat });
}
const statuses = (checks: ReturnType<typeof checksFor>) => Object.fromEntries(checks.map((check) => [check.title, check.status]));

describe('metadataChecks', () => {
  it('all pass for complete metadata', () => {
    const checks = checksFor({ issuer, jwks_uri: `${issuer}/jwks`, registration_endpoint: `${issuer}/reg`, code_challenge_methods_supported: ['S256'] });
    expect(checks.every((check) => check.status === 'pass')).toBe(true);
    expect(checks.map((check) => check.title)).toEqual([
      'JWKS advertised (jwks_uri)',
      'PKCE S256 (code_challenge_methods_supported)',
      'Client registration (registration_endpoint or CIMD)',
    ]);
  });

  it('a missing jwks_uri fails, and the warnings are still reported', () => {
    expect(statuses(checksFor({ issuer }))).toEqual({
      'JWKS advertised (jwks_uri)': 'fail',
      'PKCE S256 (code_challenge_methods_supported)': 'warn',
      'Client registration (registration_endpoint or CIMD)': 'warn',
    });
  });

  it('opaque tokens need an introspection endpoint instead', () => {
    expect(statuses(checksFor({ issuer, code_challenge_methods_supported: ['S256'], client_id_metadata_document_supported: true }, 'opaque'))).toMatchObject({
      'Introspection endpoint (opaque tokens)': 'fail',
    });
    expect(statuses(checksFor({ issuer, introspection_endpoint: `${issuer}/introspect` }, 'opaque'))['Introspection endpoint (opaque tokens)']).toBe('pass');
  });

  it('protected_resources: an identifier that differs by a trailing slash is not ours', () => {
    const base = { issuer, jwks_uri: `${issuer}/jwks`, code_challenge_methods_supported: ['S256'], client_id_metadata_document_supported: true };
    const [, , , listed] = checksFor({ ...base, protected_resources: [`${ours}/`, `${ours}x`] });
    expect(listed).toMatchObject({ status: 'warn', detail: `protected_resources does not list ${ours}` });
    expect(checksFor({ ...base, protected_resources: [ours] })[3]?.status).toBe('pass');
  });
});

describe('failedIssuerCheck', () => {
  it.each([
    [[{ url: `${issuer}/.well-known/x`, outcome: '"issuer" is "https://other", expected exactly "https://as.example.com"' }], false, 'exactly as the metadata spells it'],
    [[{ url: `${issuer}/.well-known/x`, outcome: 'no answer within 300 ms' }], true, 'raise --timeout'],
    [[{ url: `${issuer}/.well-known/x`, outcome: 'HTTP 404' }], false, 'give --metadata-url'],
  ])('%j → the fix', (attempts, unreachable, fix) => {
    const check = failedIssuerCheck(new AuthorizationServerDiscoveryError(issuer, attempts, unreachable));
    expect(check.status).toBe('fail');
    expect(check.detail).toBe(`No usable metadata for ${issuer}. Tried ${attempts[0]!.url}: ${attempts[0]!.outcome}`);
    expect(check.fix).toContain(fix);
  });
});
