import { describe, expect, it } from 'vitest';
import { MAX_TOKEN_LENGTH, parseAuthorizationHeader } from '../../../lib/guards/authorization-header.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('parseAuthorizationHeader', () => {
  it.each([
    { header: `Bearer ${JWT}`, token: JWT },
    { header: `bearer ${JWT}`, token: JWT },
    { header: `BEARER ${JWT}`, token: JWT },
    { header: `bEaReR ${JWT}`, token: JWT },
    { header: `Bearer   ${JWT}`, token: JWT },
    { header: 'Bearer abc', token: 'abc' },
    { header: 'Bearer a-b.c_d~e+f/g', token: 'a-b.c_d~e+f/g' },
    { header: 'Bearer abc=', token: 'abc=' },
    { header: 'Bearer abc==', token: 'abc==' },
    { header: 'Bearer 0123456789', token: '0123456789' },
  ])('T3: $header → bearer token', ({ header, token }) => {
    expect(parseAuthorizationHeader([header])).toEqual({ kind: 'bearer', token });
  });

  it.each([
    { why: 'no header', values: [] },
    { why: 'an empty header', values: [''] },
    { why: 'a whitespace-only header', values: ['   '] },
    { why: 'a tab-only header', values: ['\t'] },
    { why: 'Basic credentials', values: ['Basic dXNlcjpwYXNz'] },
    { why: 'Basic alone', values: ['Basic'] },
    { why: 'a scheme that only starts with DPoP', values: [`DPoPx ${JWT}`] },
    { why: 'Digest with params', values: ['Digest username="x", realm="y"'] },
    { why: 'a scheme that only starts with Bearer', values: [`Bearerx ${JWT}`] },
    { why: 'a scheme that ends with Bearer', values: [`XBearer ${JWT}`] },
  ])('C5: $why → absent (a bare challenge)', ({ values }) => {
    expect(parseAuthorizationHeader(values)).toEqual({ kind: 'absent' });
  });

  it.each([`DPoP ${JWT}`, `dpop ${JWT}`, `DPOP   ${JWT}`])('K1: %s → the DPoP-bound token (RFC 9449 §7.1; the scheme is case-insensitive)', (value) => {
    expect(parseAuthorizationHeader([value])).toEqual({ kind: 'dpop', token: JWT });
  });

  it.each([
    { value: 'DPoP', reason: 'The DPoP credentials are empty' },
    { value: 'DPoP a b', reason: 'The DPoP-bound token is not token68 syntax' },
    { value: `DPoP ${'a'.repeat(16 * 1024 + 1)}`, reason: 'The DPoP-bound token is too long' },
  ])('K1: $value → malformed DPoP credentials', ({ value, reason }) => {
    expect(parseAuthorizationHeader([value])).toEqual({ kind: 'malformed', reason });
  });

  it.each([
    { why: 'two Authorization headers', values: [`Bearer ${JWT}`, `Bearer ${JWT}`], reason: 'More than one Authorization header' },
    { why: 'two headers, one of them empty', values: ['', `Bearer ${JWT}`], reason: 'More than one Authorization header' },
    { why: 'a Bearer and a Basic header', values: [`Bearer ${JWT}`, 'Basic x'], reason: 'More than one Authorization header' },
    { why: 'Bearer alone', values: ['Bearer'], reason: 'The Bearer credentials are empty' },
    { why: 'bearer alone, lower case', values: ['bearer'], reason: 'The Bearer credentials are empty' },
    { why: 'Bearer and spaces', values: ['Bearer   '], reason: 'The Bearer credentials are empty' },
    { why: 'a tab after the scheme', values: [`Bearer\t${JWT}`], reason: 'The Authorization header has no valid scheme' },
    { why: 'a trailing tab', values: [`Bearer ${JWT}\t`], reason: 'The bearer token is not token68 syntax' },
    { why: 'a trailing space', values: [`Bearer ${JWT} `], reason: 'The bearer token is not token68 syntax' },
    { why: 'trailing junk after a space', values: [`Bearer ${JWT} junk`], reason: 'The bearer token is not token68 syntax' },
    { why: 'two tokens separated by a comma', values: [`Bearer ${JWT},${JWT}`], reason: 'The bearer token is not token68 syntax' },
    { why: 'auth-params instead of a token', values: ['Bearer token="abc"'], reason: 'The bearer token is not token68 syntax' },
    { why: 'padding in the middle', values: ['Bearer ab=c'], reason: 'The bearer token is not token68 syntax' },
    { why: 'padding only', values: ['Bearer ='], reason: 'The bearer token is not token68 syntax' },
    { why: 'a quoted token', values: [`Bearer "${JWT}"`], reason: 'The bearer token is not token68 syntax' },
    { why: 'non-ASCII in the token', values: ['Bearer abcé'], reason: 'The bearer token is not token68 syntax' },
    { why: 'a non-ASCII token', values: ['Bearer 日本'], reason: 'The bearer token is not token68 syntax' },
    { why: 'a CR/LF in the token', values: ['Bearer abc\r\nX-Injected: 1'], reason: 'The bearer token is not token68 syntax' },
    { why: 'a NUL in the token', values: ['Bearer abc\u0000'], reason: 'The bearer token is not token68 syntax' },
    { why: 'a too-long token', values: [`Bearer ${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`], reason: 'The bearer token is too long' },
    { why: 'a too-long token that is also not token68', values: [`Bearer ${'é'.repeat(MAX_TOKEN_LENGTH + 1)}`], reason: 'The bearer token is too long' },
    { why: 'no scheme at all', values: ['"quoted"'], reason: 'The Authorization header has no valid scheme' },
    { why: 'a scheme glued to a separator', values: ['Basic,abc'], reason: 'The Authorization header has no valid scheme' },
    { why: 'leading whitespace', values: [`  Bearer ${JWT}`], reason: 'The Authorization header has no valid scheme' },
    { why: 'a separator, then a word that could be a scheme', values: ['/ x'], reason: 'The Authorization header has no valid scheme' },
  ])('C7: $why → malformed', ({ values, reason }) => {
    expect(parseAuthorizationHeader(values)).toEqual({ kind: 'malformed', reason });
  });

  it('T3: accepts a token of exactly the maximum length', () => {
    const token = 'a'.repeat(MAX_TOKEN_LENGTH);
    expect(parseAuthorizationHeader([`Bearer ${token}`])).toEqual({ kind: 'bearer', token });
  });

  it('T3: the maximum is 16 KiB', () => {
    expect(MAX_TOKEN_LENGTH).toBe(16_384);
  });

  it('X2: a malformed reason never echoes the token', () => {
    const secret = 'secret-token-value é';
    for (const values of [[`Bearer ${secret}`], [`Bearer ${secret}`, 'x'], [`Bearer\t${secret}`]]) {
      const result = parseAuthorizationHeader(values);
      expect(result.kind).toBe('malformed');
      expect(JSON.stringify(result)).not.toContain('secret-token-value');
    }
  });
});
