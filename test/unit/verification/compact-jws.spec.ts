import { describe, expect, it } from 'vitest';
import { isCanonicalBase64url, isCompactJws } from '../../../lib/verification/compact-jws.js';

const encode = (bytes: number[]) => Buffer.from(bytes).toString('base64url');

describe('isCanonicalBase64url', () => {
  it.each([
    ['one byte', encode([0xff])],
    ['two bytes', encode([0xff, 0xfe])],
    ['three bytes', encode([0xff, 0xfe, 0xfd])],
    ['a JSON header', encode([...Buffer.from('{"alg":"RS256"}')])],
  ])('accepts the encoding of %s', (_name, segment) => {
    expect(isCanonicalBase64url(segment)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['padded', `${encode([0xff])}==`],
    ['standard base64 characters', '+/+/'],
    ['a dot', 'ab.c'],
    ['whitespace', 'ab c'],
    ['an impossible length (4n + 1)', 'abcde'],
    ['non-zero pad bits after one byte', '_x'], // "_w" is canonical for 0xff
    ['non-zero pad bits after two bytes', '__5'], // "__4" is canonical for 0xff 0xfe
    ['non-ASCII', 'abcé'],
  ])('refuses %s', (_name, segment) => {
    expect(isCanonicalBase64url(segment)).toBe(false);
  });

  it('agrees with decode-then-encode for every segment of two and three characters', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    for (const first of alphabet) {
      for (const last of alphabet) {
        for (const segment of [`${first}${last}`, `A${first}${last}`]) {
          const roundTrip = Buffer.from(segment, 'base64url').toString('base64url');
          expect(isCanonicalBase64url(segment)).toBe(roundTrip === segment);
        }
      }
    }
  });
});

describe('isCompactJws', () => {
  const header = encode([...Buffer.from('{"alg":"RS256"}')]);
  const payload = encode([...Buffer.from('{"sub":"a"}')]);
  const signature = encode([1, 2, 3, 4, 5]);

  it('accepts three canonical parts', () => {
    expect(isCompactJws(`${header}.${payload}.${signature}`)).toBe(true);
  });

  it.each([
    ['an empty signature (unsecured JWT)', `${header}.${payload}.`],
    ['an empty payload', `${header}..${signature}`],
    ['two parts', `${header}.${payload}`],
    ['five parts (JWE)', `${header}.${payload}.${signature}.${signature}.${signature}`],
    ['a padded signature', `${header}.${payload}.${signature}=`],
  ])('refuses %s', (_name, token) => {
    expect(isCompactJws(token)).toBe(false);
  });
});
