import { CompactSign, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { decodeCompactJws, isCanonicalBase64url, isCompactJws } from '../../../lib/verification/compact-jws.js';

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
    ['an impossible length (4n + 1) whose last character has no low bits set', 'abcdA'],
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

describe('decodeCompactJws', () => {
  const header = { alg: 'ES256', typ: 'at+jwt', kid: 'key-1' };
  const claims = { iss: 'https://as.example.com', aud: ['https://mcp.example.com/mcp'], sub: 'usér-1', exp: 1_800_000_000, nested: { a: [1, null] } };
  const json = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

  it('returns the header, the claims, the signing input (the first two parts’ bytes) and the signature bytes of a real token', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await new CompactSign(Buffer.from(JSON.stringify(claims))).setProtectedHeader(header).sign(privateKey);
    const [encodedHeader, encodedPayload, encodedSignature] = token.split('.') as [string, string, string];

    const decoded = decodeCompactJws(token);

    expect(decoded).toBeDefined();
    expect(decoded!.header).toEqual(header);
    expect(decoded!.claims).toEqual(claims);
    expect(decoded!.signingInput).toBeInstanceOf(Buffer);
    expect(decoded!.signingInput.equals(Buffer.from(`${encodedHeader}.${encodedPayload}`, 'ascii'))).toBe(true);
    expect(decoded!.signature).toBeInstanceOf(Buffer);
    expect(decoded!.signature.equals(Buffer.from(encodedSignature, 'base64url'))).toBe(true);
    expect(decoded!.signature).toHaveLength(64); // ES256: R ‖ S
  });

  it('decodes a UTF-8 payload without touching the signing input', () => {
    const token = `${json({ alg: 'RS256' })}.${json({ sub: 'ünïcödé €' })}.${encode([1, 2, 3])}`;
    const decoded = decodeCompactJws(token)!;
    expect(decoded.claims).toEqual({ sub: 'ünïcödé €' });
    expect(decoded.signingInput.toString('latin1')).toBe(token.slice(0, token.lastIndexOf('.')));
    expect([...decoded.signature]).toEqual([1, 2, 3]);
  });

  const encodedText = (text: string) => Buffer.from(text).toString('base64url');
  const notObjects: [string, string][] = [
    ['not JSON', encodedText('not json')],
    ['truncated JSON', encodedText('{"alg":"RS256"')],
    ['a JSON array', json(['alg', 'RS256'])],
    ['JSON null', json(null)],
    ['a JSON number', json(42)],
    ['a JSON string', json('{"alg":"RS256"}')],
    ['JSON true', json(true)],
  ];

  it.each(notObjects)('is undefined when the header is %s', (_name, encodedHeader) => {
    const token = `${encodedHeader}.${json(claims)}.${encode([1, 2, 3])}`;
    expect(isCompactJws(token)).toBe(true); // only the JSON is wrong
    expect(decodeCompactJws(token)).toBeUndefined();
  });

  it.each(notObjects)('is undefined when the payload is %s', (_name, encodedPayload) => {
    const token = `${json(header)}.${encodedPayload}.${encode([1, 2, 3])}`;
    expect(isCompactJws(token)).toBe(true);
    expect(decodeCompactJws(token)).toBeUndefined();
  });

  /** `{"sub":"<bytes>"}` (or the header `{"alg":"RS256","kid":"<bytes>"}`) with raw bytes inside the string, base64url-encoded. */
  const withRawBytes = (prefix: string, bytes: number[]) => Buffer.concat([Buffer.from(prefix), Buffer.from(bytes), Buffer.from('"}')]).toString('base64url');
  const notUtf8: [string, number[]][] = [
    ['FF FE (no UTF-8 byte at all)', [0xff, 0xfe]],
    ['a lone continuation byte', [0x61, 0x80]],
    ['an overlong encoding of "/"', [0xc0, 0xaf]],
    ['an encoded surrogate (CESU-8)', [0xed, 0xa0, 0x80]],
    ['a truncated three-byte sequence', [0xe2, 0x82]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ];

  it.each(notUtf8)('T17: is undefined when a payload string holds %s (never read as U+FFFD)', (_name, bytes) => {
    const token = `${json(header)}.${withRawBytes('{"sub":"', bytes)}.${encode([1, 2, 3])}`;
    expect(isCompactJws(token)).toBe(true);
    expect(decodeCompactJws(token)).toBeUndefined();
  });

  it.each(notUtf8)('T17: is undefined when a header string holds %s', (_name, bytes) => {
    const token = `${withRawBytes('{"alg":"RS256","kid":"', bytes)}.${json(claims)}.${encode([1, 2, 3])}`;
    expect(decodeCompactJws(token)).toBeUndefined();
  });

  it('T17: two different invalid byte strings do not collapse into one claim value', () => {
    const decode = (bytes: number[]) => decodeCompactJws(`${json(header)}.${withRawBytes('{"sub":"', bytes)}.${encode([1])}`);
    expect(decode([0xff, 0xfe])).toBeUndefined();
    expect(decode([0xfe, 0xff])).toBeUndefined();
  });

  it('T17: decodes every valid UTF-8 length, one to four bytes, in header and payload', () => {
    const text = 'a é € 😀';
    const token = `${json({ alg: 'RS256', kid: text })}.${json({ sub: text })}.${encode([1])}`;
    expect(decodeCompactJws(token)).toMatchObject({ header: { kid: text }, claims: { sub: text } });
  });

  it('T17: a byte order mark before the JSON is refused, in the header or the payload', () => {
    const withBom = (value: unknown) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(value))]).toString('base64url');
    expect(decodeCompactJws(`${withBom(header)}.${json(claims)}.${encode([1])}`)).toBeUndefined();
    expect(decodeCompactJws(`${json(header)}.${withBom(claims)}.${encode([1])}`)).toBeUndefined();
  });

  it('returns an empty object header or payload as an object (refusing it is the verifier’s job)', () => {
    const decoded = decodeCompactJws(`${json({})}.${json({})}.${encode([1])}`);
    expect(decoded?.header).toEqual({});
    expect(decoded?.claims).toEqual({});
  });

  it('keeps a "__proto__" member as plain data, never as the prototype', () => {
    const token = `${encodedText('{"alg":"RS256","__proto__":{"polluted":true}}')}.${json(claims)}.${encode([1])}`;
    const decoded = decodeCompactJws(token)!;
    expect(Object.getPrototypeOf(decoded.header)).toBe(Object.prototype);
    expect((decoded.header as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });
});
