import { describe, expect, it } from 'vitest';
import { assessAuthorizationServerMetadata } from '../../../lib/discovery/metadata-validation.js';

const ISSUER = 'https://as.example.com';
const RESOURCE = 'https://api.example.com/mcp';

/** A document that raises neither problems nor warnings. */
const good = {
  issuer: ISSUER,
  jwks_uri: 'https://as.example.com/jwks',
  code_challenge_methods_supported: ['S256'],
  registration_endpoint: 'https://as.example.com/register',
};

function assess(metadata: unknown, overrides: Partial<{ issuer: string; resources: string[]; allowInsecureHttp: boolean }> = {}) {
  return assessAuthorizationServerMetadata(metadata, { issuer: ISSUER, resources: [RESOURCE], allowInsecureHttp: false, ...overrides });
}

describe('assessAuthorizationServerMetadata', () => {
  it('accepts a complete document without warnings', () => {
    expect(assess(good)).toEqual({ problems: [], warnings: [] });
  });

  it.each([null, undefined, 'string', 42, true, [], [good]])('rejects %j, which is not a JSON object', (metadata) => {
    expect(assess(metadata)).toEqual({ problems: ['the response is not a JSON object'], warnings: [] });
  });

  describe('D2: issuer identical to the configured one', () => {
    it.each([
      { configured: 'https://as.example.com', found: 'https://as.example.com/' },
      { configured: 'https://as.example.com/', found: 'https://as.example.com' },
      { configured: 'https://as.example.com/tenant', found: 'https://as.example.com/tenant/' },
      { configured: 'https://as.example.com', found: 'https://AS.example.com' },
      { configured: 'https://as.example.com', found: 'https://as.example.com:443' },
      { configured: 'https://as.example.com', found: 'http://as.example.com' },
      { configured: 'https://as.example.com', found: 'https://other.example.com' },
      { configured: 'https://as.example.com', found: ' https://as.example.com' },
    ])('D2: configured $configured, metadata says $found → problem', ({ configured, found }) => {
      expect(assess({ ...good, issuer: found }, { issuer: configured })).toEqual({
        problems: [`"issuer" is ${JSON.stringify(found)}, expected exactly ${JSON.stringify(configured)}`],
        warnings: [],
      });
    });

    it('D2: a trailing-slash issuer matches itself', () => {
      expect(assess({ ...good, issuer: 'https://as.example.com/' }, { issuer: 'https://as.example.com/' }).problems).toEqual([]);
    });

    it.each([undefined, null, 42, ['https://as.example.com']])('D2: a non-string issuer %j is a problem', (issuer) => {
      const { problems } = assess({ ...good, issuer });
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^"issuer" is .*, expected exactly "https:\/\/as\.example\.com"$/);
    });
  });

  describe('D4: jwks_uri required', () => {
    it.each([
      { name: 'missing', jwks_uri: undefined },
      { name: 'empty', jwks_uri: '' },
      { name: 'a number', jwks_uri: 1 },
      { name: 'an array', jwks_uri: ['https://as.example.com/jwks'] },
    ])('D4: jwks_uri $name → problem', ({ jwks_uri }) => {
      expect(assess({ ...good, jwks_uri })).toEqual({
        problems: ['"jwks_uri" is missing, so access tokens cannot be verified'],
        warnings: [],
      });
    });

    it('D2/D4: reports both a wrong issuer and a missing jwks_uri', () => {
      expect(assess({ issuer: 'https://x' }).problems).toEqual([
        '"issuer" is "https://x", expected exactly "https://as.example.com"',
        '"jwks_uri" is missing, so access tokens cannot be verified',
      ]);
    });
  });

  describe('D7: secure jwks_uri', () => {
    it.each([
      { jwks_uri: 'http://as.example.com/jwks', allowInsecureHttp: false, ok: false },
      { jwks_uri: 'http://as.example.com/jwks', allowInsecureHttp: true, ok: true },
      { jwks_uri: 'http://127.0.0.1:3001/jwks', allowInsecureHttp: false, ok: true },
      { jwks_uri: 'http://127.1.2.3/jwks', allowInsecureHttp: false, ok: true },
      { jwks_uri: 'http://localhost/jwks', allowInsecureHttp: false, ok: true },
      { jwks_uri: 'http://[::1]:3001/jwks', allowInsecureHttp: false, ok: true },
      { jwks_uri: 'http://localhost.example.com/jwks', allowInsecureHttp: false, ok: false },
      { jwks_uri: 'http://127.0.0.1.nip.io/jwks', allowInsecureHttp: false, ok: false },
      { jwks_uri: 'http://10.0.0.1/jwks', allowInsecureHttp: false, ok: false },
      { jwks_uri: 'ftp://as.example.com/jwks', allowInsecureHttp: true, ok: false },
      { jwks_uri: 'not a url', allowInsecureHttp: true, ok: false },
      { jwks_uri: 'https://as.example.com/jwks', allowInsecureHttp: false, ok: true },
    ])('D7: $jwks_uri (allowInsecureHttp: $allowInsecureHttp) → ok: $ok', ({ jwks_uri, allowInsecureHttp, ok }) => {
      const { problems } = assess({ ...good, jwks_uri }, { allowInsecureHttp });
      expect(problems).toEqual(ok ? [] : [`"jwks_uri" (${jwks_uri}) must be an https URL`]);
    });
  });

  describe('warnings (never problems)', () => {
    const S256 = `Authorization server ${ISSUER} does not list S256 in code_challenge_methods_supported; MCP clients will refuse it`;
    const REGISTRATION = `Authorization server ${ISSUER} offers neither a registration_endpoint nor client_id_metadata_document_supported; MCP clients will need a pre-registered client`;

    it.each([
      { name: 'missing', value: undefined },
      { name: 'empty', value: [] },
      { name: 'plain only', value: ['plain'] },
      { name: 'lower-case s256', value: ['s256'] },
    ])('D5: code_challenge_methods_supported $name → warning', ({ value }) => {
      expect(assess({ ...good, code_challenge_methods_supported: value })).toEqual({ problems: [], warnings: [S256] });
    });

    it('D5: S256 among others → no warning', () => {
      expect(assess({ ...good, code_challenge_methods_supported: ['plain', 'S256'] }).warnings).toEqual([]);
    });

    it.each([
      { name: 'neither', fields: {}, warned: true },
      { name: 'an empty registration_endpoint', fields: { registration_endpoint: '' }, warned: true },
      { name: 'client_id_metadata_document_supported false', fields: { client_id_metadata_document_supported: false }, warned: true },
      { name: 'client_id_metadata_document_supported "true"', fields: { client_id_metadata_document_supported: 'true' }, warned: true },
      { name: 'registration_endpoint', fields: { registration_endpoint: 'https://as.example.com/reg' }, warned: false },
      { name: 'client_id_metadata_document_supported', fields: { client_id_metadata_document_supported: true }, warned: false },
    ])('D6: $name → warned: $warned', ({ fields, warned }) => {
      const { registration_endpoint: _ignored, ...withoutRegistration } = good;
      expect(assess({ ...withoutRegistration, ...fields })).toEqual({ problems: [], warnings: warned ? [REGISTRATION] : [] });
    });

    it.each([
      { listed: undefined, resources: [RESOURCE], missing: [] },
      { listed: [RESOURCE], resources: [RESOURCE], missing: [] },
      { listed: ['https://other/api', RESOURCE], resources: [RESOURCE], missing: [] },
      { listed: [], resources: [RESOURCE], missing: [RESOURCE] },
      { listed: ['https://api.example.com/mcp/'], resources: [RESOURCE], missing: [RESOURCE] },
      { listed: [RESOURCE], resources: [RESOURCE, 'https://api.example.com/notes'], missing: ['https://api.example.com/notes'] },
      { listed: ['x'], resources: ['https://a/1', 'https://a/2'], missing: ['https://a/1', 'https://a/2'] },
    ])('D9: protected_resources $listed, ours $resources → warn about $missing', ({ listed, resources, missing }) => {
      expect(assess({ ...good, protected_resources: listed }, { resources })).toEqual({
        problems: [],
        warnings: missing.map((resource) => `Authorization server ${ISSUER} lists protected_resources without ${resource}`),
      });
    });

    it('D5/D6/D9: every warning at once, in order', () => {
      expect(assess({ issuer: ISSUER, jwks_uri: 'https://as.example.com/jwks', protected_resources: [] })).toEqual({
        problems: [],
        warnings: [S256, REGISTRATION, `Authorization server ${ISSUER} lists protected_resources without ${RESOURCE}`],
      });
    });

    it('no warnings are computed for a document that is rejected', () => {
      expect(assess({ issuer: 'https://x', jwks_uri: 'https://x/jwks' }).warnings).toEqual([]);
    });
  });
});
