import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_LENGTH } from '../../lib/guards/authorization-header.js';
import { ADAPTERS } from '../fixtures/http-app.js';
import {
  expectAccepted,
  expectInvalidRequest,
  expectInvalidToken,
  expectNoCredentials,
  expectNoSecretsLeaked,
  expectRefusal,
  HOSTILE_TEXT,
  setUpCatalogue,
} from './fixtures/catalogue.js';
import type { Outcome } from './fixtures/security-app.js';

/**
 * The attack catalogue, part 2: where the token travels (only the Authorization header counts, T2) and
 * what the answers look like (RFC 6750 grammar with hostile text forced into every error path, C11).
 * Requests are written to the socket byte for byte, so the server sees exactly what an attacker sends.
 */
describe.each(ADAPTERS)('attack catalogue: transport and responses (%s)', (adapter) => {
  const catalogue = setUpCatalogue(adapter);

  /** Node's HTTP parser refused the request before any application code: no challenge, nothing ran. */
  function expectRefusedByNode(outcome: Outcome, status: 400 | 431) {
    expect(outcome.status).toBe(status);
    expect(outcome.challenges).toEqual([]);
    expect(outcome.handlerRuns).toBe(0);
  }

  describe('transport', () => {
    it('T2: a valid token only in ?access_token= is not read: no credentials', async () => {
      const token = await catalogue.token();
      expectNoCredentials(await catalogue.lenient.send({ path: `/mcp?access_token=${token}` }));
    });

    it('T2: a valid token only in a form body is not read: no credentials, and no error', async () => {
      const token = await catalogue.token();
      const outcome = await catalogue.lenient.send({
        method: 'POST',
        headers: [['Content-Type', 'application/x-www-form-urlencoded']],
        body: `access_token=${token}`,
      });
      expectNoCredentials(outcome);
    });

    it('C7: two Authorization headers, even both valid, → 400 invalid_request', async () => {
      const token = await catalogue.token();
      expectInvalidRequest(await catalogue.lenient.send({ headers: [['Authorization', `Bearer ${token}`], ['Authorization', `Bearer ${token}`]] }));
      expectInvalidRequest(await catalogue.lenient.send({ headers: [['authorization', `Bearer ${token}`], ['AUTHORIZATION', 'Basic dXNlcjpwYXNz']] }));
    });

    it('T3: the scheme is case-insensitive', async () => {
      const token = await catalogue.token();
      for (const scheme of ['bearer', 'BEARER', 'bEaReR']) expectAccepted(await catalogue.lenient.send({ authorization: `${scheme} ${token}` }));
    });

    it('T3: "Bearer" followed by two spaces is accepted (credentials = "Bearer" 1*SP token68)', async () => {
      expectAccepted(await catalogue.lenient.send({ authorization: `Bearer  ${await catalogue.token()}` }));
    });

    it('T3: a tab between scheme and token is not the grammar → 400 invalid_request', async () => {
      expectInvalidRequest(await catalogue.lenient.send({ authorization: `Bearer\t${await catalogue.token()}` }));
    });

    it('T3: trailing whitespace is optional whitespace that Node strips before anyone sees it → accepted', async () => {
      const token = await catalogue.token();
      expectAccepted(await catalogue.lenient.send({ authorization: `Bearer ${token}\t` }));
      expectAccepted(await catalogue.lenient.send({ authorization: `Bearer ${token}  ` }));
    });

    it.each([
      ['a second word', (token: string) => `Bearer ${token} junk`],
      ['a comma and a parameter', (token: string) => `Bearer ${token}, realm="x"`],
      ['a quoted token', (token: string) => `Bearer "${token}"`],
      ['an inner space', (token: string) => `Bearer ${token.slice(0, 10)} ${token.slice(10)}`],
    ])('C7: Bearer credentials with %s → 400 invalid_request', async (_name, authorization) => {
      expectInvalidRequest(await catalogue.lenient.send({ authorization: authorization(await catalogue.token()) }));
    });

    it.each([
      ['Basic', 'Basic dXNlcjpwYXNz'],
      ['DPoP', 'DPoP abc.def.ghi'],
      ['Digest', 'Digest username="a", realm="b"'],
      ['an empty value', ''],
      ['only spaces', '   '],
      // `Bearer` glued to a JWT is one longer token68-shaped word: syntactically another scheme.
      ['a scheme glued to the token', 'BearereyJhbGciOiJSUzI1NiJ9.e30.c2ln'],
    ])('C5: %s in Authorization is no Bearer credentials → 401 without error', async (_name, authorization) => {
      expectNoCredentials(await catalogue.lenient.send({ authorization }));
    });

    it('C7: "Bearer" with nothing after it → 400 invalid_request', async () => {
      expectInvalidRequest(await catalogue.lenient.send({ authorization: 'Bearer' }));
      expectInvalidRequest(await catalogue.lenient.send({ authorization: 'Bearer ' }));
    });

    it('a 100 KB token is refused by Node itself with 431, before Nest, the guard or the verifier', async () => {
      const before = catalogue.first.jwksFetches();
      expectRefusedByNode(await catalogue.lenient.send({ authorization: `Bearer ${'a'.repeat(100 * 1024)}` }), 431);
      expect(catalogue.first.jwksFetches()).toBe(before);
    });

    it('a 15 KB token68 string (within Node’s limit) reaches the verifier and is refused without a network request', async () => {
      const before = catalogue.first.jwksFetches();
      expectInvalidToken(await catalogue.lenient.send({ authorization: `Bearer ${'a'.repeat(15 * 1024)}` }));
      // JWT-shaped but garbage: still refused on structure alone.
      expectInvalidToken(await catalogue.lenient.send({ authorization: `Bearer ${'a'.repeat(5 * 1024)}.${'b'.repeat(5 * 1024)}.${'c'.repeat(5 * 1024)}` }));
      expect(catalogue.first.jwksFetches()).toBe(before);
    });

    it('a 15 KB value that is not token68 is refused by the guard, before the verifier', async () => {
      expectInvalidRequest(await catalogue.lenient.send({ authorization: `Bearer ${'a!'.repeat(7 * 1024)}` }));
    });

    it('with Node’s header limit raised, a token longer than MAX_TOKEN_LENGTH is refused by the guard, unparsed', async () => {
      const before = catalogue.first.jwksFetches();
      const outcome = await catalogue.strict.send({ authorization: `Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}` });
      expectInvalidRequest(outcome, 'The bearer token is too long');
      expect(catalogue.first.jwksFetches()).toBe(before);
      // And a real token one character short of the limit is not refused for its length.
      expectInvalidToken(await catalogue.strict.send({ authorization: `Bearer ${'a'.repeat(MAX_TOKEN_LENGTH)}` }), 'The token is not a canonically encoded compact JWS');
    });

    it.each([
      ['a Latin-1 byte (é as 0xE9)', Buffer.from('Bearer abc\xe9def', 'latin1')],
      ['UTF-8 bytes (é as 0xC3 0xA9)', Buffer.from('Bearer abcédef', 'utf8')],
      ['an emoji in UTF-8', Buffer.from('Bearer abc😀def', 'utf8')],
      ['a non-ASCII scheme', Buffer.from('Bëarer abcdef', 'utf8')],
    ])('non-ASCII: %s reaches the guard and is malformed → 400 invalid_request', async (_name, authorization) => {
      expectInvalidRequest(await catalogue.lenient.send({ authorization }));
    });

    it.each([
      ['NUL', Buffer.from('Bearer abc\x00def', 'latin1')],
      ['a control character', Buffer.from('Bearer abc\x01def', 'latin1')],
      ['DEL', Buffer.from('Bearer abc\x7fdef', 'latin1')],
      ['a bare CR', Buffer.from('Bearer abc\rdef', 'latin1')],
    ])('non-ASCII: %s is refused by Node’s HTTP parser with 400, never a 5xx', async (_name, authorization) => {
      expectRefusedByNode(await catalogue.lenient.send({ authorization }), 400);
    });

    it('a non-ASCII byte inside an otherwise valid token is malformed, not a valid token', async () => {
      const token = await catalogue.token();
      const authorization = Buffer.concat([Buffer.from(`Bearer ${token.slice(0, 20)}`), Buffer.from([0xff]), Buffer.from(token.slice(20))]);
      expectInvalidRequest(await catalogue.lenient.send({ authorization }));
    });
  });

  describe('responses', () => {
    it('C11: an invalid_token failure with hostile detail yields a grammatical challenge and no injected header', async () => {
      const outcome = await catalogue.hostile.send({ authorization: 'Bearer invalid-token' });
      expectInvalidToken(outcome, HOSTILE_TEXT);
      expect(outcome.raw.headers['set-cookie']).toBeUndefined();
    });

    it('C11: an invalid_request failure with hostile detail yields a grammatical challenge', async () => {
      expectInvalidRequest(await catalogue.hostile.send({ authorization: 'Bearer invalid-request' }), HOSTILE_TEXT);
    });

    it('C10 C11: an insufficient_scope failure naming hostile scopes keeps only the valid scope tokens, unaltered', async () => {
      const outcome = await catalogue.hostile.send({ authorization: 'Bearer insufficient-scope' });
      // Of the seven scopes named, only read:notes is a valid scope token other than offline_access.
      expectRefusal(outcome, 403, 'insufficient_scope', HOSTILE_TEXT);
      expect(outcome.raw.headers['x-injected']).toBeUndefined();
    });

    it('C15: an outage failure with hostile detail is a 503 with Retry-After and a JSON body, no challenge', async () => {
      const outcome = await catalogue.hostile.send({ authorization: 'Bearer outage' });
      expect(outcome.status).toBe(503);
      expect(outcome.retryAfter).toBe('5');
      expect(outcome.challenges).toEqual([]);
      expect(outcome.body).toEqual({ error: 'temporarily_unavailable', error_description: HOSTILE_TEXT });
      expect(outcome.raw.headers['set-cookie']).toBeUndefined();
    });

    it('C11: every challenge of the whole catalogue is one grammatical Bearer challenge', () => {
      // AttackClient parsed each one strictly as it arrived (and refuses two); here: nothing slipped through unparsed.
      const challenges = [catalogue.lenient, catalogue.strict, catalogue.hostile].flatMap((client) => client.responses.flatMap((response) => response.headers['www-authenticate'] ?? []));
      expect(challenges.length).toBeGreaterThan(20);
      for (const challenge of challenges) expect(challenge).toMatch(/^Bearer [\x20-\x7e]+$/);
    });
  });

  it('X2: no token, signature or key material, and no stack trace, in any log line or response', () => {
    expectNoSecretsLeaked(catalogue);
  });
});
