import { describe, expect, it } from 'vitest';
import { buildBearerChallenge, type BearerChallenge } from '../../../lib/http/www-authenticate.header.js';
import { parseBearerChallenge } from '../../fixtures/www-authenticate.js';

const PRM = 'https://api.example.com/.well-known/oauth-protected-resource/mcp';

/** Builds, asserts the strict RFC 6750 grammar holds, and returns the parsed parameters. */
function built(challenge: BearerChallenge): Record<string, string> {
  const header = buildBearerChallenge(challenge);
  return parseBearerChallenge(header).params;
}

describe('buildBearerChallenge', () => {
  it.each<{ name: string; challenge: BearerChallenge; header: string }>([
    { name: 'nothing', challenge: {}, header: 'Bearer' },
    {
      name: 'C3/C4/C5: no credentials',
      challenge: { resourceMetadataUrl: PRM, scopes: ['read:notes'] },
      header: `Bearer scope="read:notes", resource_metadata="${PRM}"`,
    },
    {
      name: 'C6: invalid token',
      challenge: { error: 'invalid_token', errorDescription: 'The access token is invalid', scopes: ['read:notes'], resourceMetadataUrl: PRM },
      header: `Bearer error="invalid_token", error_description="The access token is invalid", scope="read:notes", resource_metadata="${PRM}"`,
    },
    {
      name: 'C7: invalid request',
      challenge: { error: 'invalid_request', errorDescription: 'The request is malformed', resourceMetadataUrl: PRM },
      header: `Bearer error="invalid_request", error_description="The request is malformed", resource_metadata="${PRM}"`,
    },
    {
      name: 'C8/C9: insufficient scope lists every scope',
      challenge: {
        error: 'insufficient_scope',
        errorDescription: 'The access token lacks a required scope',
        scopes: ['read:notes', 'write:notes'],
        resourceMetadataUrl: PRM,
      },
      header: `Bearer error="insufficient_scope", error_description="The access token lacks a required scope", scope="read:notes write:notes", resource_metadata="${PRM}"`,
    },
  ])('$name → exact header', ({ challenge, header }) => {
    const output = buildBearerChallenge(challenge);
    expect(output).toBe(header);
    parseBearerChallenge(output);
  });

  describe('C5: no error information when credentials are absent', () => {
    it('C5: has no error param when error is undefined', () => {
      const params = built({ resourceMetadataUrl: PRM, scopes: ['a'] });
      expect(params).toEqual({ scope: 'a', resource_metadata: PRM });
      expect('error' in params).toBe(false);
    });

    it('C5: leaves out an error that sanitises to nothing', () => {
      expect(buildBearerChallenge({ error: '"\\ \r\n', resourceMetadataUrl: PRM })).toBe(`Bearer resource_metadata="${PRM}"`);
    });
  });

  describe('C2/C3: scheme and resource_metadata', () => {
    it('C2: the scheme is Bearer', () => {
      expect(buildBearerChallenge({ resourceMetadataUrl: PRM })).toMatch(/^Bearer /);
    });

    it('C3: resource_metadata carries the absolute URL unchanged', () => {
      const url = 'https://h:8443/.well-known/oauth-protected-resource/a/b/mcp?tenant=x&y=%20z';
      expect(built({ resourceMetadataUrl: url }).resource_metadata).toBe(url);
    });

    it('C3: leaves out resource_metadata when it is empty', () => {
      expect(buildBearerChallenge({ resourceMetadataUrl: '', error: 'invalid_token' })).toBe('Bearer error="invalid_token"');
    });

    it('C11: drops quotes, backslashes and whitespace from resource_metadata', () => {
      expect(built({ resourceMetadataUrl: 'https://h/x"y\\z w\r\n' }).resource_metadata).toBe('https://h/xyzw');
    });
  });

  describe('C4/C9/C10: scope', () => {
    it.each<{ scopes: string[]; scope: string | undefined }>([
      { scopes: [], scope: undefined },
      { scopes: ['a'], scope: 'a' },
      { scopes: ['b', 'a', 'c'], scope: 'b a c' },
      { scopes: ['a', 'b', 'a', 'b'], scope: 'a b' },
      { scopes: ['offline_access'], scope: undefined },
      { scopes: ['read', 'offline_access', 'write'], scope: 'read write' },
      { scopes: ['offline_access\r\n', 'read'], scope: 'read' },
      { scopes: ['OFFLINE_ACCESS'], scope: 'OFFLINE_ACCESS' },
      { scopes: ['', 'a', ''], scope: 'a' },
      { scopes: ['read notes', 'readnotes'], scope: 'readnotes' },
      { scopes: ['a"', 'a'], scope: 'a' },
      { scopes: ['"\\', ' '], scope: undefined },
      // An invalid value is left out whole, never trimmed into a scope nobody asked for.
      { scopes: ['c\\d', 'a"b', 'ünï', 'X-Injected: 1', 'ok'], scope: 'ok' },
      { scopes: ['api://x/.default', 'https://h/scope'], scope: 'api://x/.default https://h/scope' },
    ])('C9/C10: $scopes → scope=$scope', ({ scopes, scope }) => {
      const params = built({ scopes, resourceMetadataUrl: PRM });
      expect(params.scope).toBe(scope);
      expect('scope' in params).toBe(scope !== undefined);
    });

    it('C4: leaves scope out when scopes is undefined', () => {
      expect(buildBearerChallenge({ resourceMetadataUrl: PRM })).toBe(`Bearer resource_metadata="${PRM}"`);
    });

    it('C10: offline_access never appears, even among many scopes', () => {
      const params = built({ scopes: ['offline_access', 'a', 'offline_access', 'b'], error: 'insufficient_scope' });
      expect(params.scope!.split(' ')).toEqual(['a', 'b']);
    });
  });

  describe('C11: hostile content still yields an RFC 6750 header', () => {
    const hostile = [
      'simple',
      'say "hello"',
      'back\\slash',
      '\\"',
      'line\r\nInjected-Header: yes',
      'tab\there',
      'nul\u0000byte',
      'del\u007Fchar',
      'café ünïcode',
      '日本語のエラー',
      'emoji 🎉',
      'comma, separated, values',
      'x", error="forged',
      'a=b, c="d"',
      '\u2028line separator\u2029',
      '   ',
      '',
      'trailing space ',
      '"'.repeat(50),
    ];

    it.each(hostile)('C11: error_description from %j', (text) => {
      const params = built({ error: 'invalid_token', errorDescription: text, scopes: [text, 'read'], resourceMetadataUrl: PRM });
      expect(params.error).toBe('invalid_token');
      expect(params.resource_metadata).toBe(PRM);
      expect(params.error_description ?? '').toMatch(/^[\x20\x21\x23-\x5B\x5D-\x7E]*$/);
      expect(params.scope).toMatch(/^[\x21\x23-\x5B\x5D-\x7E]+(?: [\x21\x23-\x5B\x5D-\x7E]+)*$/);
    });

    it.each(hostile)('C11: error from %j', (text) => {
      const params = built({ error: text, errorDescription: text, scopes: [text], resourceMetadataUrl: PRM });
      expect(params.resource_metadata).toBe(PRM);
      for (const name of Object.keys(params)) expect(['error', 'error_description', 'scope', 'resource_metadata']).toContain(name);
      // error keeps only NQCHAR (RFC 6750 §3, no space), and is left out when nothing is left.
      const error = text.replace(/[^\x21\x23-\x5B\x5D-\x7E]/g, '') || undefined;
      expect(params.error).toBe(error);
      expect('error' in params).toBe(error !== undefined);
      expect(params.error ?? '').toMatch(/^[\x21\x23-\x5B\x5D-\x7E]*$/);
    });

    it('C11: drops quotes from error_description', () => {
      expect(buildBearerChallenge({ error: 'invalid_token', errorDescription: 'Expected "at+jwt", got "JWT"' })).toBe(
        'Bearer error="invalid_token", error_description="Expected at+jwt, got JWT"',
      );
    });

    it('C11: drops backslashes, CR/LF and non-ASCII from error_description, keeps commas and spaces', () => {
      expect(built({ error: 'invalid_token', errorDescription: 'a\\b\r\nc, d é' }).error_description).toBe('abc, d');
    });

    it('C11: trims error_description and omits it when nothing is left', () => {
      expect(built({ error: 'invalid_token', errorDescription: '  padded  ' }).error_description).toBe('padded');
      expect(buildBearerChallenge({ error: 'invalid_token', errorDescription: ' \r\n"é" ' })).toBe('Bearer error="invalid_token"');
    });

    it('C11: a forged parameter inside a value cannot add a parameter', () => {
      const params = built({ error: 'invalid_token", scope="admin', errorDescription: 'x", error="forged' });
      expect(params).toEqual({ error: 'invalid_token,scope=admin', error_description: 'x, error=forged' });
    });

    it('C11: error keeps only NQCHAR (no spaces)', () => {
      expect(built({ error: 'invalid token\t' }).error).toBe('invalidtoken');
    });

    it('C11: each parameter appears at most once, in a fixed order', () => {
      const header = buildBearerChallenge({ error: 'e', errorDescription: 'd', scopes: ['s', 's'], resourceMetadataUrl: PRM });
      expect(header).toBe(`Bearer error="e", error_description="d", scope="s", resource_metadata="${PRM}"`);
      for (const name of ['error', 'error_description', 'scope', 'resource_metadata']) {
        expect(header.split(`${name}="`).length - 1).toBe(1);
      }
    });

    it('C11: the header never contains a control character', () => {
      const header = buildBearerChallenge({
        error: 'a\r\n',
        errorDescription: 'b\r\n\u0000',
        scopes: ['c\n'],
        resourceMetadataUrl: 'https://h/\r\nX: y',
      });
      expect([...header].every((char) => char >= ' ' && char <= '~')).toBe(true);
    });
  });
});
