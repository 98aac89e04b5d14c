import { Logger } from '@nestjs/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenVerifier, AuthorizationServerUnavailableFailure, InvalidTokenFailure, type AuthInfo } from '../../../lib/index.js';
import type { ResolvedProtectedResource } from '../../../lib/options/resolved-options.js';
import { resolveMcpAuthOptions } from '../../../lib/options/resolved-options.js';
import { CustomAccessTokenVerifier } from '../../../lib/verification/custom-access-token-verifier.js';
import { LogCapture } from '../../fixtures/log-capture.js';

// The wrapper the module puts around an application's `verifier` class: its answers pass through as they
// come (synchronous ones stay synchronous, so the guard awaits nothing), and whatever it throws or rejects
// with is mapped the same way.

const resource = {} as ResolvedProtectedResource;
const caller = { clientId: 'c', scopes: [], roles: [] } as unknown as AuthInfo;

/** An application verifier that answers `known` at once and everything else as told. */
class ApplicationVerifier extends AccessTokenVerifier {
  constructor(private readonly otherwise: (token: string) => Promise<AuthInfo>) {
    super();
  }

  verify(token: string): Promise<AuthInfo> {
    return token === 'known' ? Promise.resolve(caller) : this.otherwise(token);
  }

  override verifySyncIfPossible(token: string) {
    if (token === 'known') return caller;
    if (token === 'broken-now') throw new Error('lookup failed for broken-now');
    return this.verify(token);
  }
}

const wrapped = (otherwise: (token: string) => Promise<AuthInfo> = () => Promise.reject(new InvalidTokenFailure('Unknown token'))) =>
  CustomAccessTokenVerifier.wrapping(new ApplicationVerifier(otherwise));

describe('CustomAccessTokenVerifier.wrapping', () => {
  // The 503s are logged at error level by design; this suite looks at what is thrown.
  beforeAll(() => Logger.overrideLogger(false));

  it("keeps the application's synchronous answer synchronous", () => {
    expect(wrapped().verifySyncIfPossible('known', resource)).toBe(caller);
  });

  it('maps a synchronous throw at once: an unexpected error is a 503, never a 500', () => {
    expect(() => wrapped().verifySyncIfPossible('broken-now', resource)).toThrow(AuthorizationServerUnavailableFailure);
  });

  it('passes our failures through and maps unexpected rejections, on both entry points', async () => {
    await expect(wrapped().verifySyncIfPossible('unknown', resource)).rejects.toBeInstanceOf(InvalidTokenFailure);
    const failing = wrapped(() => Promise.reject(new TypeError('socket hang up')));
    await expect(failing.verifySyncIfPossible('other', resource)).rejects.toBeInstanceOf(AuthorizationServerUnavailableFailure);
    await expect(failing.verify('other', resource)).rejects.toBeInstanceOf(AuthorizationServerUnavailableFailure);
    await expect(wrapped().verify('known', resource)).resolves.toBe(caller);
  });
});

describe('CustomAccessTokenVerifier.fromFunction', () => {
  const logs = new LogCapture();
  beforeAll(() => Logger.overrideLogger(logs));

  const options = resolveMcpAuthOptions({
    protectedResources: [
      { resource: 'https://api.example.com/mcp', authorizationServers: [{ issuer: 'https://mapped.example', mapClaims: () => ({ roles: ['per-server'] }) }] },
    ],
    mapClaims: () => ({ roles: ['global'] }),
    verifyAccessToken: () => ({}),
  });
  const target = options.resources[0]!;
  const TOKEN = 'an-opaque-token-of-the-application';
  const answering = (claims: unknown) => CustomAccessTokenVerifier.fromFunction(() => claims as Record<string, unknown>, options);

  it('turns the claims into the AuthInfo, with the claim mapping of the server the issuer names, else the global one', async () => {
    const mapped = await answering({ iss: 'https://mapped.example', sub: 'u', client_id: 'c' }).verify(TOKEN, target);
    expect(mapped).toMatchObject({ subject: 'u', clientId: 'c', roles: ['per-server'], claims: { iss: 'https://mapped.example', sub: 'u' } });
    expect((await answering({ iss: 'https://other.example', sub: 'u' }).verify(TOKEN, target)).roles).toEqual(['global']);
  });

  it.each([
    ['nothing', undefined],
    ['null', null],
    ['a string', 'claims'],
    ['claims without iss', { sub: 'u' }],
    ['an iss that is no string', { iss: 42 }],
  ])('answers %s with a logged 503 that says what verifyAccessToken must return', async (_name, claims) => {
    const before = logs.at('error').length;
    await expect(answering(claims).verify(TOKEN, target)).rejects.toEqual(new AuthorizationServerUnavailableFailure('The custom verifier failed'));
    const logged = logs.at('error').slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toContain('TypeError: verifyAccessToken must return the token claims, with an "iss" string');
  });

  it('logs nothing for a failure of ours: it was meant for the client', async () => {
    const before = logs.at('error').length;
    const refusing = CustomAccessTokenVerifier.fromFunction(() => Promise.reject(new InvalidTokenFailure('Unknown token')), options);
    await expect(refusing.verify(TOKEN, target)).rejects.toEqual(new InvalidTokenFailure('Unknown token'));
    expect(logs.at('error').slice(before)).toEqual([]);
  });
});
