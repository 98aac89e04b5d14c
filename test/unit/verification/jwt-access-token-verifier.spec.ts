import { KeyObject, sign } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuthorizationServerRegistry } from '../../../lib/discovery/authorization-server-registry.js';
import { AuthorizationServerUnavailableFailure, InvalidTokenFailure } from '../../../lib/errors/authentication-failures.js';
import type { McpAuthModuleOptions } from '../../../lib/options/mcp-auth-options.interface.js';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';
import { JwtAccessTokenVerifier } from '../../../lib/verification/jwt-access-token-verifier.js';
import { startLoopbackIssuer, type LoopbackIssuer } from '../../security/fixtures/loopback-issuer.js';
import { createSigningKey, signAccessToken, type TestSigningKey } from '../../fixtures/token-signer.js';

// The JWT verifier on its own, against real loopback issuers: which check refuses a token, in its own words
// (the detail `showErrorDetails` shows), and what the verified-token cache and the key sets remember. The
// same refusals over HTTP, on both adapters: test/security/token-attacks.e2e-spec.ts.

const resource = 'http://127.0.0.1/mcp';
let key: TestSigningKey;
let issuer: LoopbackIssuer;
let other: LoopbackIssuer;

function verifierFor(options: Omit<McpAuthModuleOptions, 'protectedResources'> & { protectedResources?: McpAuthModuleOptions['protectedResources'] } = {}) {
  const resolved = resolveMcpAuthOptions({ protectedResources: [{ resource, authorizationServers: [issuer.issuer] }], ...options });
  const verifier = new JwtAccessTokenVerifier(resolved, new AuthorizationServerRegistry(resolved));
  return { verifier, resource: resolved.resources[0]! };
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token signed with the issuer's key under exactly this header and these claims, which jose would not sign. */
function signRaw(header: Record<string, unknown>, claims: Record<string, unknown>): string {
  const input = `${base64url({ alg: 'RS256', kid: key.kid, typ: 'at+jwt', ...header })}.${base64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), KeyObject.from(key.privateKey)).toString('base64url')}`;
}

function accessClaims(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return { iss: issuer.issuer, aud: resource, sub: 'user-123', client_id: 'test-client', iat: now, exp: now + 300, jti: 'j', ...extra };
}

async function refusal(answer: () => unknown): Promise<Error> {
  try {
    await answer();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the token to be refused');
}

beforeAll(async () => {
  Logger.overrideLogger(false);
  key = await createSigningKey('RS256');
  [issuer, other] = await Promise.all([startLoopbackIssuer([key]), startLoopbackIssuer([key])]);
});

afterAll(async () => {
  Logger.overrideLogger(['log', 'error', 'warn', 'debug', 'verbose', 'fatal']);
  await Promise.all([issuer?.close(), other?.close()]);
});

describe('JwtAccessTokenVerifier', () => {
  const lenient = () => verifierFor();
  const strict = () => verifierFor({ jwt: { typ: 'strict' } });

  it('accepts a valid access token (the control case)', async () => {
    const { verifier, resource: target } = lenient();
    const auth = await verifier.verify(await signAccessToken(key, { issuer: issuer.issuer, audience: resource }), target);
    expect(auth).toMatchObject({ clientId: 'test-client', subject: 'user-123' });
  });

  it.each([
    ['not three canonical parts', 'a.b', 'The token is not a canonically encoded compact JWS'],
    ['a payload that is no JSON object', `${base64url({ alg: 'RS256' })}.${Buffer.from('[]').toString('base64url')}.AAAA`, 'The token is not a well-formed JWT'],
  ])('T5: %s is refused before anything else', async (_name, token, detail) => {
    const { verifier, resource: target } = lenient();
    expect(await refusal(() => verifier.verify(token, target))).toEqual(new InvalidTokenFailure(detail));
  });

  it.each([
    ['alg none', { alg: 'none' }, 'The token algorithm is not allowed'],
    ['alg HS256', { alg: 'HS256' }, 'The token algorithm is not allowed'],
    ['no alg', { alg: undefined }, 'The token algorithm is not allowed'],
    ['an alg that is no string', { alg: ['RS256'] }, 'The token algorithm is not allowed'],
    ['typ dpop+jwt', { typ: 'dpop+jwt' }, 'The token type is not an access token type'],
    ['a typ that is no string', { typ: 1 }, 'The token type is not an access token type'],
    ['cty JWT (a nested JWT)', { cty: 'JWT' }, 'Nested JWTs are not accepted'],
    ['cty jwt', { cty: 'jwt' }, 'Nested JWTs are not accepted'],
    ['crit', { crit: ['b64'], b64: false }, 'The token header has critical extensions'],
    ['a kid that is no string', { kid: 7 }, 'The token key id is not a string'],
  ])('T4/T5/T6: a header with %s is refused in its own words', async (_name, header, detail) => {
    const { verifier, resource: target } = lenient();
    expect(await refusal(() => verifier.verify(signRaw(header, accessClaims()), target))).toEqual(new InvalidTokenFailure(detail));
  });

  it('T4: a cty that does not name a JWT is no nested JWT', async () => {
    const { verifier, resource: target } = lenient();
    await expect(verifier.verify(signRaw({ cty: 'json' }, accessClaims()), target)).resolves.toBeDefined();
  });

  it.each([['at+jwt'], ['application/at+jwt'], ['AT+JWT'], ['JWT'], ['application/jwt'], [undefined]])('T6: lenient mode accepts typ %s', async (typ) => {
    const { verifier, resource: target } = lenient();
    await expect(verifier.verify(signRaw({ typ }, accessClaims()), target)).resolves.toBeDefined();
  });

  it.each([['at+jwt'], ['application/at+jwt'], ['Application/AT+JWT']])('T6: strict mode accepts typ %s', async (typ) => {
    const { verifier, resource: target } = strict();
    await expect(verifier.verify(signRaw({ typ }, accessClaims()), target)).resolves.toBeDefined();
  });

  it.each([['JWT'], ['application/jwt'], [undefined]])('T6: strict mode refuses typ %s', async (typ) => {
    const { verifier, resource: target } = strict();
    expect(await refusal(() => verifier.verify(signRaw({ typ }, accessClaims()), target))).toEqual(
      new InvalidTokenFailure('The token type is not an access token type'),
    );
  });

  it('T7: a token that names no issuer is refused as such, before any trust decision', async () => {
    const { verifier, resource: target } = lenient();
    expect(await refusal(() => verifier.verify(signRaw({}, accessClaims({ iss: undefined })), target))).toEqual(
      new InvalidTokenFailure('The token names no issuer'),
    );
    expect(await refusal(() => verifier.verify(signRaw({}, accessClaims({ iss: 42 })), target))).toEqual(
      new InvalidTokenFailure('The token names no issuer'),
    );
  });

  it.each([['nonce'], ['at_hash'], ['c_hash'], ['s_hash']])('T16: a signed token carrying the ID-token claim %s is refused', async (claim) => {
    const { verifier, resource: target } = lenient();
    expect(await refusal(() => verifier.verify(signRaw({}, accessClaims({ [claim]: 'x' })), target))).toEqual(
      new InvalidTokenFailure('The token is an ID token, not an access token'),
    );
  });

  it('a server’s own claim mapping wins over the global one', async () => {
    const { verifier, resource: target } = verifierFor({
      protectedResources: [{ resource, authorizationServers: [{ issuer: issuer.issuer, mapClaims: () => ({ roles: ['server'] }) }] }],
      mapClaims: () => ({ roles: ['global'] }),
    });
    expect((await verifier.verify(signRaw({}, accessClaims()), target)).roles).toEqual(['server']);
  });

  it('C15: the key fetch backs off for at most 5 s after a JWKS failure, even when retryAfterSeconds is longer', async () => {
    const { verifier, resource: target } = verifierFor({ retryAfterSeconds: 60 });
    issuer.jwksMode = 'error';
    try {
      expect(await refusal(() => verifier.verify(signRaw({}, accessClaims()), target))).toBeInstanceOf(AuthorizationServerUnavailableFailure);
    } finally {
      issuer.jwksMode = 'keys';
    }
    // Still backing off just before the 5 s are over, refetching just after (a 60 s backoff would still refuse).
    const realNow = Date.now.bind(Date);
    const startedAt = realNow();
    const clock = vi.spyOn(Date, 'now');
    try {
      clock.mockImplementation(() => startedAt + 4_500);
      expect(await refusal(() => verifier.verify(signRaw({}, accessClaims()), target))).toBeInstanceOf(AuthorizationServerUnavailableFailure);
      clock.mockImplementation(() => startedAt + 5_100);
      await expect(verifier.verify(signRaw({}, accessClaims()), target)).resolves.toMatchObject({ subject: 'user-123' });
    } finally {
      clock.mockRestore();
    }
  });

  it('C15: the key fetch backs off for retryAfterSeconds when that is shorter than 5 s', async () => {
    const { verifier, resource: target } = verifierFor({ retryAfterSeconds: 1 });
    issuer.jwksMode = 'error';
    try {
      expect(await refusal(() => verifier.verify(signRaw({}, accessClaims()), target))).toBeInstanceOf(AuthorizationServerUnavailableFailure);
    } finally {
      issuer.jwksMode = 'keys';
    }
    // retryAfterSeconds 1 caps the backoff at 1 s here; a backoff of max(1, 5) would still refuse.
    await new Promise((done) => setTimeout(done, 1_300));
    await expect(verifier.verify(signRaw({}, accessClaims()), target)).resolves.toBeDefined();
  });

  it('keeps the key set of every configured issuer: the cap counts them on top of the tenants', async () => {
    const resolved = resolveMcpAuthOptions({
      protectedResources: [{ resource, authorizationServers: [issuer.issuer, other.issuer] }],
      tenants: { maxTenants: 1 },
    });
    const verifier = new JwtAccessTokenVerifier(resolved, new AuthorizationServerRegistry(resolved));
    const target = resolved.resources[0]!;
    const fetchesBefore = [issuer.jwksFetches(), other.jwksFetches()];
    for (const from of [issuer, other, issuer, other]) await verifier.verify(signRaw({}, accessClaims({ iss: from.issuer })), target);
    expect([issuer.jwksFetches() - fetchesBefore[0]!, other.jwksFetches() - fetchesBefore[1]!]).toEqual([1, 1]);
  });

  describe('the verified-token cache', () => {
    it('answers a token verified twice synchronously, with the same result', async () => {
      for (const jwt of [{}, { maxTokenAgeSeconds: 600 }]) {
        const { verifier, resource: target } = verifierFor({ jwt });
        const token = signRaw({}, accessClaims());
        await verifier.verifySyncIfPossible(token, target);
        const second = await verifier.verifySyncIfPossible(token, target);
        const third = verifier.verifySyncIfPossible(token, target);
        expect(third, JSON.stringify(jwt)).not.toBeInstanceOf(Promise);
        expect(third).toEqual(second);
      }
    });

    it('is not used when switched off: every answer is a new verification', async () => {
      const { verifier, resource: target } = verifierFor({ jwt: { cache: false } });
      const token = signRaw({}, accessClaims());
      // Each verification completes before the next, so a cache that was on would answer the later ones at once.
      for (let i = 0; i < 3; i++) {
        const answer = verifier.verifySyncIfPossible(token, target);
        expect(answer).toBeInstanceOf(Promise);
        await expect(answer).resolves.toMatchObject({ subject: expect.any(String) });
      }
    });

    it('T9: forgets a token once it expires', async () => {
      const { verifier, resource: target } = verifierFor({ jwt: { clockToleranceSeconds: 0 } });
      // Expires in 2 s, whatever the sub-second clock.
      const token = signRaw({}, accessClaims({ exp: Math.floor(Date.now() / 1000) + 2 }));
      await verifier.verifySyncIfPossible(token, target);
      await verifier.verifySyncIfPossible(token, target);
      expect(verifier.verifySyncIfPossible(token, target)).not.toBeInstanceOf(Promise);
      await new Promise((done) => setTimeout(done, 3_100));
      expect(await refusal(() => verifier.verifySyncIfPossible(token, target))).toEqual(new InvalidTokenFailure('The token has expired'));
    });

    it('T9/T10: forgets a token once it passes its maximum age, long before its exp', async () => {
      const { verifier, resource: target } = verifierFor({ jwt: { maxTokenAgeSeconds: 60, clockToleranceSeconds: 0 } });
      // Issued 57 s ago: a minute old in 3 s, whatever the sub-second clock.
      const token = signRaw({}, accessClaims({ iat: Math.floor(Date.now() / 1000) - 57 }));
      await verifier.verifySyncIfPossible(token, target);
      await verifier.verifySyncIfPossible(token, target);
      expect(verifier.verifySyncIfPossible(token, target)).not.toBeInstanceOf(Promise);
      await new Promise((done) => setTimeout(done, 4_100));
      expect(await refusal(() => verifier.verifySyncIfPossible(token, target))).toEqual(new InvalidTokenFailure('The token has expired'));
    });
  });
});
