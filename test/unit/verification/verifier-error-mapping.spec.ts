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

describe('redact', () => {
  it('removes the token and any long part of it', () => {
    const signature = TOKEN.split('.')[2]!;
    expect(redact(`sig ${signature} whole ${TOKEN}`, TOKEN)).toBe('sig [token] whole [token]');
  });
});
