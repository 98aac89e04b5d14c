import { describe, expect, it } from 'vitest';
import { InvalidTokenFailure } from '../../../lib/errors/authentication-failures.js';
import { validateJwtClaims, type JwtClaimsPolicy } from '../../../lib/verification/jwt-claims-validation.js';

const NOW = 1_800_000_000;
const TOLERANCE = 5;
const ISSUER = 'https://as.example.com';
const RESOURCE = 'https://mcp.example.com/mcp';
const ALIAS = 'api://mcp';

const POLICY: JwtClaimsPolicy = { issuer: ISSUER, audiences: [RESOURCE, ALIAS], clockToleranceSeconds: TOLERANCE, requiredClaims: [] };
const MAX_AGE = 600;
const WITH_MAX_AGE: JwtClaimsPolicy = { ...POLICY, maxTokenAgeSeconds: MAX_AGE };

/** A valid RFC 9068 claim set at {@link NOW}, with overrides; an `undefined` override drops the claim. */
function claims(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const all: Record<string, unknown> = {
    iss: ISSUER,
    aud: RESOURCE,
    sub: 'user-1',
    client_id: 'client-a',
    scope: 'read:notes',
    iat: NOW - 10,
    exp: NOW + 300,
    jti: 'jti-1',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

/** The failure `validateJwtClaims` throws, asserted to be a 401 `invalid_token`. */
function refusal(claimSet: Record<string, unknown>, policy: JwtClaimsPolicy = POLICY): InvalidTokenFailure {
  let thrown: unknown;
  try {
    validateJwtClaims(claimSet, policy, NOW);
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected the claims to be refused').toBeInstanceOf(InvalidTokenFailure);
  const failure = thrown as InvalidTokenFailure;
  expect(failure.status).toBe(401);
  expect(failure.error).toBe('invalid_token');
  return failure;
}

function expectAccepted(claimSet: Record<string, unknown>, policy: JwtClaimsPolicy = POLICY): void {
  expect(validateJwtClaims(claimSet, policy, NOW)).toBeUndefined();
}

const notAccepted = (claim: string) => `The token's "${claim}" claim is not accepted`;

describe('validateJwtClaims', () => {
  it('accepts a valid claim set, with and without a maximum age and extra required claims', () => {
    expectAccepted(claims());
    expectAccepted(claims(), WITH_MAX_AGE);
    expectAccepted(claims(), { ...POLICY, requiredClaims: ['sub', 'client_id', 'iat', 'jti'] });
  });

  it('is pure: it neither changes the claims nor the policy', () => {
    const claimSet = Object.freeze(claims());
    const policy = Object.freeze({ ...WITH_MAX_AGE, audiences: Object.freeze([RESOURCE]), requiredClaims: Object.freeze(['jti']) });
    expect(() => validateJwtClaims(claimSet, policy, NOW)).not.toThrow();
  });

  describe('required claims', () => {
    it.each([
      ['iss', POLICY],
      ['aud', POLICY],
      ['exp', POLICY],
      ['iat', WITH_MAX_AGE],
      ['sub', { ...POLICY, requiredClaims: ['sub'] }],
      ['client_id', { ...POLICY, requiredClaims: ['sub', 'client_id'] }],
      ['jti', { ...POLICY, requiredClaims: ['jti'] }],
    ])('T10: a token without "%s" is refused as lacking it', (claim, policy) => {
      expect(refusal(claims({ [claim]: undefined }), policy).detail).toBe(`The token lacks the required "${claim}" claim`);
    });

    it('T10: a required claim outside the registered ones (a custom claim) is enforced too', () => {
      const policy = { ...POLICY, requiredClaims: ['tenant'] };
      expect(refusal(claims(), policy).detail).toBe('The token lacks the required "tenant" claim');
      expectAccepted(claims({ tenant: 't-1' }), policy);
    });

    it.each(['constructor', 'toString', 'hasOwnProperty', '__proto__'])(
      'T10: a required claim named like an inherited member ("%s") must be the token\'s own',
      (claim) => {
        const policy = { ...POLICY, requiredClaims: [claim] };
        expect(refusal(claims(), policy).detail).toBe(`The token lacks the required "${claim}" claim`);
        expectAccepted(JSON.parse(JSON.stringify(claims()).replace(/^\{/, `{"${claim}":"x",`)) as Record<string, unknown>, policy);
      },
    );

    it('T10: iat and the other claims are optional when no maximum age and no required claims are configured', () => {
      expectAccepted(claims({ iat: undefined, sub: undefined, client_id: undefined, jti: undefined }));
    });
  });

  describe('iss (T7)', () => {
    it.each([
      ['a trailing slash', `${ISSUER}/`],
      ['a different case', ISSUER.toUpperCase()],
      ['a different host case only', 'https://AS.example.com'],
      ['a longer host', `${ISSUER}.evil.example`],
      ['an explicit default port', 'https://as.example.com:443'],
      ['a path', `${ISSUER}/tenant`],
      ['the empty string', ''],
      ['an array holding the issuer', [ISSUER]],
      ['a number', 42],
      ['null', null],
    ])('T7: an iss with %s is not accepted', (_name, iss) => {
      expect(refusal(claims({ iss })).detail).toBe(notAccepted('iss'));
    });
  });

  describe('aud (T8)', () => {
    it.each([
      ['the resource as a string', RESOURCE],
      ['a configured alias as a string', ALIAS],
      ['an array holding the resource', [RESOURCE]],
      ['an array holding an alias among others', ['https://other.example/mcp', ALIAS]],
      ['an array whose non-string members are ignored', [42, null, { aud: RESOURCE }, [RESOURCE], RESOURCE]],
    ])('T8: accepts %s', (_name, aud) => {
      expectAccepted(claims({ aud }));
    });

    it.each([
      ['another resource', 'https://other.example/mcp'],
      ['a trailing-slash variant that is not configured', `${RESOURCE}/`],
      ['a case variant', RESOURCE.toUpperCase()],
      ['a prefix of the resource', 'https://mcp.example.com'],
      ['the empty string', ''],
      ['an empty array', []],
      ['an array of other resources', ['https://a.example/mcp', 'https://b.example/mcp']],
      ['an array of non-strings only', [42, null, true, { aud: RESOURCE }]],
      ['an array holding the resource nested in an array', [[RESOURCE]]],
      ['a number', 42],
      ['an object', { [RESOURCE]: true }],
      ['null', null],
    ])('T8: %s is not accepted', (_name, aud) => {
      expect(refusal(claims({ aud })).detail).toBe(notAccepted('aud'));
    });

    it('T8: an empty list of accepted audiences accepts nothing', () => {
      expect(refusal(claims(), { ...POLICY, audiences: [] }).detail).toBe(notAccepted('aud'));
    });
  });

  describe('exp (T9)', () => {
    it.each([
      ['exactly now − tolerance', NOW - TOLERANCE],
      ['one second before now − tolerance', NOW - TOLERANCE - 1],
      ['long ago', NOW - 86_400],
      ['at the epoch', 0],
    ])('T9: exp %s is refused as expired', (_name, exp) => {
      expect(refusal(claims({ exp })).detail).toBe('The token has expired');
    });

    it.each([
      ['one second after now − tolerance', NOW - TOLERANCE + 1],
      ['exactly now (inside the tolerance)', NOW],
      ['in the future', NOW + 300],
      ['a fraction of a second inside the tolerance', NOW - TOLERANCE + 0.5],
    ])('T9: exp %s is accepted', (_name, exp) => {
      expectAccepted(claims({ exp }));
    });

    it.each([
      ['a numeric string', String(NOW + 300)],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['NaN', NaN],
      ['null', null],
      ['a boolean', true],
      ['an array', [NOW + 300]],
      ['an object', { value: NOW + 300 }],
    ])('T9: exp as %s is not accepted', (_name, exp) => {
      expect(refusal(claims({ exp })).detail).toBe(notAccepted('exp'));
    });
  });

  describe('nbf (T9)', () => {
    it.each([
      ['beyond the tolerance', NOW + TOLERANCE + 1],
      ['far in the future', NOW + 3600],
    ])('T9: nbf in the future %s is not accepted', (_name, nbf) => {
      expect(refusal(claims({ nbf })).detail).toBe(notAccepted('nbf'));
    });

    it.each([
      ['exactly now + tolerance', NOW + TOLERANCE],
      ['inside the tolerance', NOW + 1],
      ['now', NOW],
      ['in the past', NOW - 60],
    ])('T9: nbf %s is accepted', (_name, nbf) => {
      expectAccepted(claims({ nbf }));
    });

    it.each([
      ['a numeric string', String(NOW - 60)],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['NaN', NaN],
      ['null', null],
    ])('T9: nbf as %s is not accepted', (_name, nbf) => {
      expect(refusal(claims({ nbf })).detail).toBe(notAccepted('nbf'));
    });
  });

  describe('iat (T9, T10)', () => {
    it.each([
      ['beyond the tolerance', NOW + TOLERANCE + 1, POLICY],
      ['far in the future', NOW + 3600, POLICY],
      ['beyond the tolerance, under a maximum age', NOW + TOLERANCE + 1, WITH_MAX_AGE],
    ])('T9: iat in the future %s is refused', (_name, iat, policy) => {
      expect(refusal(claims({ iat }), policy).detail).toBe('The token was issued in the future');
    });

    it.each([
      ['exactly now + tolerance', NOW + TOLERANCE],
      ['inside the tolerance', NOW + 1],
      ['now', NOW],
    ])('T9: iat %s is accepted', (_name, iat) => {
      expectAccepted(claims({ iat }));
      expectAccepted(claims({ iat }), WITH_MAX_AGE);
    });

    it.each([
      ['a numeric string', String(NOW)],
      ['Infinity', Infinity],
      ['-Infinity', -Infinity],
      ['NaN', NaN],
      ['null', null],
    ])('T9: iat as %s is not accepted, with or without a maximum age', (_name, iat) => {
      expect(refusal(claims({ iat })).detail).toBe(notAccepted('iat'));
      expect(refusal(claims({ iat }), WITH_MAX_AGE).detail).toBe(notAccepted('iat'));
    });

    it.each([
      ['one second over the maximum age + tolerance', NOW - MAX_AGE - TOLERANCE - 1],
      ['a day old', NOW - 86_400],
    ])('T10: under a maximum age, a token issued %s is refused as expired', (_name, iat) => {
      expect(refusal(claims({ iat }), WITH_MAX_AGE).detail).toBe('The token has expired');
    });

    it.each([
      ['exactly the maximum age + tolerance', NOW - MAX_AGE - TOLERANCE],
      ['inside the tolerance past the maximum age', NOW - MAX_AGE - 1],
      ['exactly the maximum age', NOW - MAX_AGE],
      ['well within the maximum age', NOW - 60],
    ])('T10: under a maximum age, a token issued %s ago is accepted', (_name, iat) => {
      expectAccepted(claims({ iat }), WITH_MAX_AGE);
    });

    it('T10: without a maximum age, an old iat is accepted while exp holds', () => {
      expectAccepted(claims({ iat: NOW - 86_400 * 365 }));
    });

    it('T10: a maximum age of zero allows only the tolerance', () => {
      const policy = { ...POLICY, maxTokenAgeSeconds: 0 };
      expectAccepted(claims({ iat: NOW - TOLERANCE }), policy);
      expect(refusal(claims({ iat: NOW - TOLERANCE - 1 }), policy).detail).toBe('The token has expired');
    });
  });

  it('T9: a zero tolerance makes every boundary exact', () => {
    const policy = { ...WITH_MAX_AGE, clockToleranceSeconds: 0 };
    expect(refusal(claims({ exp: NOW }), policy).detail).toBe('The token has expired');
    expectAccepted(claims({ exp: NOW + 1 }), policy);
    expect(refusal(claims({ nbf: NOW + 1 }), policy).detail).toBe(notAccepted('nbf'));
    expectAccepted(claims({ nbf: NOW }), policy);
    expect(refusal(claims({ iat: NOW + 1 }), policy).detail).toBe('The token was issued in the future');
    expect(refusal(claims({ iat: NOW - MAX_AGE - 1 }), policy).detail).toBe('The token has expired');
    expectAccepted(claims({ iat: NOW - MAX_AGE }), policy);
  });
});
