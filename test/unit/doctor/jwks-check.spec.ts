import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { jwksCheck } from '../../../lib/doctor/jwks-check.js';
import { DEFAULT_ALLOWED_ALGORITHMS } from '../../../lib/mcp-auth.constants.js';

const ALL = [...DEFAULT_ALLOWED_ALGORITHMS];
const uri = 'https://as.example.com/jwks';
const jwk = (key: ReturnType<typeof generateKeyPairSync>['publicKey']) => key.export({ format: 'jwk' });
const rsa2048 = jwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey);
const rsa1024 = jwk(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey);
const p256 = jwk(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey);
const document = (...keys: unknown[]) => ({ kind: 'document' as const, document: { keys } });

describe('jwksCheck', () => {
  it('passes with a key an accepted algorithm fits, naming it by kid and algorithms only', () => {
    const check = jwksCheck(uri, document({ ...rsa2048, kid: 'r1' }, { ...p256, kid: 'e1', alg: 'ES256' }), ALL);
    expect(check.status).toBe('pass');
    expect(check.detail).toBe('2 keys; usable: kid "r1" (RS256, RS384, RS512, PS256, PS384, PS512), kid "e1" (ES256)');
    expect(JSON.stringify(check)).not.toContain(rsa2048.n);
    expect(JSON.stringify(check)).not.toContain(p256.x);
  });

  it('fails when no key is usable: HMAC, short RSA, encryption keys, algorithms we were told not to accept', () => {
    const check = jwksCheck(
      uri,
      document({ kty: 'oct', k: 'c2VjcmV0', kid: 'h', alg: 'HS256' }, { ...rsa1024, kid: 'short' }, { ...rsa2048, kid: 'enc', use: 'enc' }, { ...p256, alg: 'ES256' }),
      ['RS256'],
    );
    expect(check.status).toBe('fail');
    expect(check.detail).toBe('4 keys; usable: none; not usable: kid "h" (oct HS256), kid "short" (RSA), kid "enc" (RSA, use enc), key #3 (EC ES256)');
    expect(check.fix).toContain('HMAC (oct) keys are never accepted');
    expect(check.detail).not.toContain('c2VjcmV0');
  });

  it('fails on an unreachable JWKS or one without "keys"', () => {
    expect(jwksCheck(uri, { kind: 'unreachable', outcome: 'HTTP 503' }, ALL)).toMatchObject({ status: 'fail', detail: `${uri}: HTTP 503` });
    expect(jwksCheck(uri, { kind: 'document', document: { not: 'keys' } }, ALL)).toMatchObject({ status: 'fail' });
    expect(jwksCheck(uri, { kind: 'document', document: null }, ALL)).toMatchObject({ status: 'fail' });
    expect(jwksCheck(uri, document('garbage'), ALL)).toMatchObject({ status: 'fail', detail: '1 key; usable: none; not usable: key #0 (no kty)' });
  });
});
