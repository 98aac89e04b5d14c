import { ForbiddenException, UnauthorizedException } from '@nestjs/common';
import { errors } from 'jose';
import { describe, expect, it } from 'vitest';
import {
  AuthorizationServerUnavailableFailure,
  InsufficientRoleFailure,
  InvalidTokenFailure,
} from '../../../lib/errors/authentication-failures.js';
import { outcomeOfVerifierError, redact } from '../../../lib/verification/verifier-error-mapping.js';

const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MX0.c2lnbmF0dXJlLWJ5dGVzLWhlcmU';

describe('outcomeOfVerifierError', () => {
  it('keeps our failures as they are', () => {
    for (const failure of [new InvalidTokenFailure('x'), new AuthorizationServerUnavailableFailure('y'), new InsufficientRoleFailure(['r'])]) {
      expect(outcomeOfVerifierError(failure, TOKEN)).toEqual({ error: failure });
    }
  });

  it('a 401 HttpException becomes invalid_token; other HttpExceptions pass unchanged', () => {
    expect(outcomeOfVerifierError(new UnauthorizedException(), TOKEN).error).toBeInstanceOf(InvalidTokenFailure);
    const forbidden = new ForbiddenException();
    expect(outcomeOfVerifierError(forbidden, TOKEN).error).toBe(forbidden);
  });

  it('jose token errors are invalid_token, its key-fetch timeouts an outage', () => {
    expect(outcomeOfVerifierError(new errors.JWTExpired('expired', {}), TOKEN).error).toBeInstanceOf(InvalidTokenFailure);
    expect(outcomeOfVerifierError(new errors.JWSSignatureVerificationFailed(), TOKEN).error).toBeInstanceOf(InvalidTokenFailure);
    expect(outcomeOfVerifierError(new errors.JWKSTimeout(), TOKEN).error).toBeInstanceOf(AuthorizationServerUnavailableFailure);
  });

  it('anything else is a logged 503, with the token cut out of the log line', () => {
    const outcome = outcomeOfVerifierError(new Error(`token service refused ${TOKEN}`), TOKEN);
    expect(outcome.error).toBeInstanceOf(AuthorizationServerUnavailableFailure);
    expect(outcome.log).toContain('Error: token service refused [token]');
    expect(outcome.log).not.toContain(TOKEN);
    expect(outcomeOfVerifierError('a string', TOKEN).log).toContain('a string');
  });
});

describe('outcomeOfVerifierError, in its own words', () => {
  it.each([
    'ERR_JWT_EXPIRED',
    'ERR_JWT_CLAIM_VALIDATION_FAILED',
    'ERR_JWT_INVALID',
    'ERR_JWS_INVALID',
    'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
    'ERR_JWE_INVALID',
    'ERR_JWE_DECRYPTION_FAILED',
    'ERR_JOSE_ALG_NOT_ALLOWED',
    'ERR_JOSE_NOT_SUPPORTED',
    'ERR_JWKS_NO_MATCHING_KEY',
    'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
  ])('C6: jose’s %s, from whatever copy of jose, is invalid_token naming the code, not logged', (code) => {
    expect(outcomeOfVerifierError(Object.assign(new Error('x'), { code }), TOKEN)).toEqual({
      error: new InvalidTokenFailure(`The custom verifier refused the token (${code})`),
    });
  });

  it.each(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID'])('C15: jose’s %s is an outage naming the code, not logged', (code) => {
    expect(outcomeOfVerifierError(Object.assign(new Error('x'), { code }), TOKEN)).toEqual({
      error: new AuthorizationServerUnavailableFailure(`The custom verifier could not get keys (${code})`),
    });
  });

  it('C6: a 401 HttpException says so in its detail', () => {
    expect(outcomeOfVerifierError(new UnauthorizedException(), TOKEN)).toEqual({ error: new InvalidTokenFailure('The custom verifier answered 401') });
  });

  it.each([
    ['an error with a code jose does not use', Object.assign(new Error('connect refused'), { code: 'ECONNREFUSED' })],
    ['null', null],
    ['undefined', undefined],
  ])('C15: %s is the generic logged outage', (_name, thrown) => {
    const outcome = outcomeOfVerifierError(thrown, TOKEN);
    expect(outcome.error).toEqual(new AuthorizationServerUnavailableFailure('The custom verifier failed'));
    expect(outcome.log).toMatch(/^The custom access token verifier threw; answering 503\. /);
  });

  it('logs the stack when there is one, and nothing in its place when there is none', () => {
    const withStack = new Error('boom');
    expect(outcomeOfVerifierError(withStack, TOKEN).log).toBe(`The custom access token verifier threw; answering 503. Error: boom\n${withStack.stack}`);
    const withoutStack = Object.assign(new Error('boom'), { stack: undefined });
    expect(outcomeOfVerifierError(withoutStack, TOKEN).log).toBe('The custom access token verifier threw; answering 503. Error: boom\n');
  });
});

describe('redact', () => {
  it('X2: leaves text alone when there is no token to cut out', () => {
    expect(redact('nothing to hide', '')).toBe('nothing to hide');
  });

  it('X2: cuts out a part of 16 characters or more, and leaves shorter ones (they are no identity, and too common)', () => {
    const token = `${'a'.repeat(16)}.${'b'.repeat(15)}.sig`;
    expect(redact(`p ${'a'.repeat(16)} q ${'b'.repeat(15)} sig`, token)).toBe(`p [token] q ${'b'.repeat(15)} sig`);
  });

  it('removes the token and any long part of it', () => {
    const signature = TOKEN.split('.')[2]!;
    expect(redact(`sig ${signature} whole ${TOKEN}`, TOKEN)).toBe('sig [token] whole [token]');
  });
});
