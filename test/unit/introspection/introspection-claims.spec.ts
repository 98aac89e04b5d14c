import { describe, expect, it } from 'vitest';
import { InvalidTokenFailure } from '../../../lib/errors/authentication-failures.js';
import { verifyIntrospectionClaims } from '../../../lib/introspection/introspection-claims.js';

const ISSUER = 'https://as.example.com';
const RESOURCE = 'https://api.example.com/mcp';
const NOW = 1_900_000_000;
const expected = { issuer: ISSUER, audiences: [RESOURCE, 'api://notes'], clockToleranceSeconds: 5, now: NOW };
const active = { active: true, iss: ISSUER, aud: RESOURCE, exp: NOW + 60, scope: 'read:notes', client_id: 'c' };

describe('verifyIntrospectionClaims', () => {
  it('accepts an active response for the resource and fills in iss when the server left it out', () => {
    const { iss: _iss, ...withoutIssuer } = active;
    expect(verifyIntrospectionClaims(withoutIssuer, expected)).toEqual({ ...withoutIssuer, iss: ISSUER });
    expect(verifyIntrospectionClaims({ ...active, aud: ['other', 'api://notes'] }, expected).aud).toEqual(['other', 'api://notes']);
  });

  it.each([
    ['T7: another issuer', { iss: 'https://evil.example.com' }],
    ['T7: a trailing-slash issuer', { iss: `${ISSUER}/` }],
    ['I3: another audience', { aud: 'https://api.example.com/other' }],
    ['I3: no audience at all', { aud: undefined }],
    ['I3: a prefix of the audience', { aud: 'https://api.example.com' }],
    ['T9: expired beyond the tolerance', { exp: NOW - 6 }],
    ['T9: a non-numeric exp', { exp: 'soon' }],
    ['T9: nbf in the future beyond the tolerance', { nbf: NOW + 6 }],
    ['a refresh-token type', { token_type: 'refresh_token' }],
    ['K3: token_type DPoP without a key binding', { token_type: 'DPoP' }],
    ['K3: token_type DPoP with another confirmation (mTLS)', { token_type: 'DPoP', cnf: { 'x5t#S256': 'abc' } }],
  ])('refuses %s', (_name, change) => {
    expect(() => verifyIntrospectionClaims({ ...active, ...change }, expected)).toThrow(InvalidTokenFailure);
  });

  it('K1: leaves a key binding to the guard: token_type DPoP with cnf.jkt passes, cnf and all', () => {
    const bound = { ...active, token_type: 'DPoP', cnf: { jkt: 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs' } };
    expect(verifyIntrospectionClaims(bound, expected).cnf).toEqual(bound.cnf);
  });

  it('T9: honours the clock tolerance on exp and nbf, and accepts token_type Bearer in any case', () => {
    expect(() => verifyIntrospectionClaims({ ...active, exp: NOW - 4, nbf: NOW + 4, token_type: 'bearer' }, expected)).not.toThrow();
  });
});
