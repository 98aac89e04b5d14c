import { constants, generateKeyPairSync, KeyObject, sign, type SignKeyObjectInput } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import fc from 'fast-check';
import { createLocalJWKSet, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessTokenVerifier, InvalidTokenFailure, McpAuthModule, type AuthInfo } from '../../lib/index.js';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../../lib/mcp-auth.constants.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../../lib/options/resolved-options.js';
import { startLoopbackIssuer, type LoopbackIssuer } from './fixtures/loopback-issuer.js';

/**
 * T21, the differential test: fast-check makes tokens — valid ones, signed by RS*, PS*, ES* and EdDSA keys
 * made here, and mutations of their header, claims, bytes, signature and encoding — and every token our
 * verifier accepts, `jose.jwtVerify` with the equivalent options must accept too, with the same claims.
 * Where we refuse what jose accepts, the reason must be one of the categories in which we are deliberately
 * stricter ({@link DELIBERATELY_STRICTER}); any other refusal of a token jose accepts fails the test too.
 *
 * `npm test` runs a fixed seed and DIFFERENTIAL_RUNS (default 2000) cases; `npm run fuzz` runs 100 000
 * with a fresh seed. A failure prints its seed and the shrunk token; replay it with FUZZ_SEED=<seed>.
 */
const RUNS = Number(process.env.DIFFERENTIAL_RUNS ?? 2000);
const SEED = process.env.FUZZ_SEED === 'random' ? undefined : Number(process.env.FUZZ_SEED ?? 20260729);
// About a millisecond per case (an RSA signature, two verifications); room for slow, shared machines.
const TIMEOUT = Math.max(60_000, RUNS * 20);

/**
 * Where we refuse tokens jose accepts, on purpose, keyed by our own failure detail. Nothing else may differ.
 * - non-canonical base64url: `=` padding, set pad bits, the standard alphabet — one spelling per signing input;
 * - `typ`: RFC 9068 §4 (lenient mode still refuses `dpop+jwt` and other types);
 * - ID tokens: RFC 9068 §5, RFC 8725 §3.12 (`nonce`, `at_hash`, `c_hash`, `s_hash`);
 * - `crit`: no extension is understood, not even `b64: true`;
 * - `cty: JWT`: no nested JWTs;
 * - a byte order mark before the JSON (jose's decoder strips it; RFC 8259 §8.1 lets a parser refuse it) and a
 *   header or payload that is not UTF-8 (T17): both refused as "not a well-formed JWT", a message shared with
 *   JSON that is really malformed, so these two are recognised by the token's bytes ({@link malformedJwtCategory});
 * - `iat` in the future beyond the clock tolerance;
 * - an RSA signature shorter than the modulus (RFC 8017 §8.1.2, §8.2.2 step 1): jose, through WebCrypto,
 *   accepts a PS* signature that lost its leading zero byte. Our refusal says only "signature invalid", so
 *   this one is recognised by the signature's length ({@link shortRsaSignature}), and since jose cannot be
 *   the oracle for it, the property itself asserts that we refuse every such token (T19).
 */
const DELIBERATELY_STRICTER: ReadonlyMap<string, string> = new Map([
  ['The token is not a canonically encoded compact JWS', 'non-canonical base64url'],
  ['The token type is not an access token type', 'typ policy'],
  ['The token is an ID token, not an access token', 'ID token claims'],
  ['The token header has critical extensions', 'crit'],
  ['Nested JWTs are not accepted', 'cty JWT'],
  ['The token was issued in the future', 'future iat'],
]);

const SHORT_RSA_SIGNATURE = 'RSA signature shorter than the modulus';

/**
 * Why a token we call "not a well-formed JWT" may still be one jose accepts, told from the token's bytes and
 * not from our message (the same message covers JSON that is really malformed, which must never be excused):
 * a header or payload that begins with a UTF-8 byte order mark, or that is not UTF-8 at all (T17).
 */
function malformedJwtCategory(token: string): string | undefined {
  const parts = token.split('.').slice(0, 2).map((segment) => Buffer.from(segment, 'base64url'));
  if (parts.some((bytes) => bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])))) return 'byte order mark';
  const strict = new TextDecoder('utf-8', { fatal: true });
  const notUtf8 = parts.some((bytes) => {
    try {
      strict.decode(bytes);
      return false;
    } catch {
      return true;
    }
  });
  return notUtf8 ? 'not UTF-8 (T17)' : undefined;
}

/** Whether a token is an RS* or PS* token whose signature is not the 256 bytes of the test's 2048-bit keys. */
function shortRsaSignature(token: string): boolean {
  const [header, , signature = ''] = token.split('.');
  try {
    const { alg } = JSON.parse(Buffer.from(header!, 'base64url').toString()) as { alg?: unknown };
    return typeof alg === 'string' && /^(RS|PS)/.test(alg) && Buffer.from(signature, 'base64url').length < 256;
  } catch {
    return false;
  }
}

const RESOURCE = 'http://127.0.0.1/mcp';
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'] as const;
type Alg = (typeof ALGORITHMS)[number];

/** The order n of each ECDSA curve: (r, s) and (r, n − s) are both valid signatures. */
const CURVE_ORDER: Record<string, bigint> = {
  ES256: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  ES384: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
  ES512: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
};

interface SigningKey {
  alg: Alg;
  kid: string;
  privateKey: KeyObject;
}

const isRsa = (alg: Alg) => alg.startsWith('RS') || alg.startsWith('PS');

function generate(alg: Alg): { publicKey: KeyObject; privateKey: KeyObject } {
  if (isRsa(alg)) return generateKeyPairSync('rsa', { modulusLength: 2048 });
  if (alg === 'EdDSA') return generateKeyPairSync('ed25519');
  return generateKeyPairSync('ec', { namedCurve: { ES256: 'P-256', ES384: 'P-384', ES512: 'P-521' }[alg as 'ES256'] });
}

function signWith(key: SigningKey, alg: Alg, input: string): Buffer {
  const bits = Number(alg.slice(2));
  const data = Buffer.from(input);
  if (alg === 'EdDSA') return sign(null, data, key.privateKey);
  const options: SignKeyObjectInput = alg.startsWith('PS')
    ? { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: bits / 8 }
    : alg.startsWith('ES')
      ? { key: key.privateKey, dsaEncoding: 'ieee-p1363' }
      : { key: key.privateKey };
  return sign(`sha${bits}`, data, options);
}

const b64 = (bytes: Buffer) => bytes.toString('base64url');
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** A time claim `seconds` from the moment the token is signed. */
class FromNow {
  constructor(readonly seconds: number) {}
}
const fromNow = (seconds: number) => new FromNow(seconds);

/** What a generated case is: how the token was made, then changed after signing. */
interface Case {
  /** A token made from the fields below, or one of the zero-led tokens made at set-up (T19). */
  base: 'generated' | 'zero-led';
  key: 'published' | 'blank' | 'attacker';
  alg: Alg;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  bytes: 'none' | 'bom-header' | 'bom-payload' | 'not-utf8-sub' | 'not-utf8-header' | 'whitespace' | 'duplicate-iss';
  signature: 'none' | 'flip' | 'drop-first' | 'append-zero' | 'prepend-zero' | 'truncate' | 'high-s' | 'der' | 'empty';
  encoding: 'none' | 'pad' | 'pad-bits' | 'standard-alphabet' | 'extra-part' | 'swap';
  at: number;
}

describe('T21: differential against jose.jwtVerify', () => {
  let issuer: LoopbackIssuer;
  let app: INestApplicationContext;
  let verifier: AccessTokenVerifier;
  let resource: ResolvedProtectedResource;
  let joseKeys: ReturnType<typeof createLocalJWKSet>;
  const published = new Map<Alg, SigningKey>();
  const attackers = new Map<Alg, SigningKey>();
  let blank: SigningKey;
  const zeroLed: string[] = [];

  beforeAll(async () => {
    const jwks: JWK[] = [];
    // Keys nobody publishes, under the published kids: one RSA key does for every RS* and PS* algorithm.
    const attackerRsa = generate('RS256').privateKey;
    for (const alg of ALGORITHMS) {
      const { publicKey, privateKey } = generate(alg);
      published.set(alg, { alg, kid: `${alg}-key`, privateKey });
      attackers.set(alg, { alg, kid: `${alg}-key`, privateKey: isRsa(alg) ? attackerRsa : generate(alg).privateKey });
      jwks.push({ ...publicKey.export({ format: 'jwk' }), kid: `${alg}-key`, alg, use: 'sig' });
    }
    // A second ES256 key, published with kid "": a kid-less ES256 token matches two keys and must be refused (T18).
    const second = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    blank = { alg: 'ES256', kid: '', privateKey: second.privateKey };
    jwks.push({ ...second.publicKey.export({ format: 'jwk' }), kid: '', alg: 'ES256', use: 'sig' });

    issuer = await startLoopbackIssuer();
    await issuer.publish([], jwks);
    // One valid token per RSA algorithm whose signature begins with 0 (one in 256): a fresh jti gives a fresh one.
    const now = Math.floor(Date.now() / 1000);
    for (const alg of ['PS256', 'PS384', 'PS512', 'RS256'] as const) {
      const key = published.get(alg)!;
      const header = b64(Buffer.from(JSON.stringify({ alg, kid: key.kid, typ: 'at+jwt' })));
      for (let jti = 0; zeroLed.length < ['PS256', 'PS384', 'PS512', 'RS256'].indexOf(alg) + 1; jti++) {
        const claims = { iss: issuer.issuer, aud: RESOURCE, sub: 'user-1', iat: now, exp: now + 86_400, jti: `${jti}` };
        const input = `${header}.${b64(Buffer.from(JSON.stringify(claims)))}`;
        const signature = signWith(key, alg, input);
        if (signature[0] === 0) zeroLed.push(`${input}.${b64(signature)}`);
      }
    }
    joseKeys = createLocalJWKSet({ keys: jwks });
    app = await NestFactory.createApplicationContext(
      McpAuthModule.forRoot({
        protectedResources: [{ resource: RESOURCE, authorizationServers: [issuer.issuer] }],
        jwt: { algorithms: [...ALGORITHMS] },
      }),
      { logger: false },
    );
    verifier = app.get(AccessTokenVerifier);
    resource = app.get<ResolvedMcpAuthOptions>(MCP_AUTH_RESOLVED_OPTIONS).resources[0]!;
  });

  afterAll(async () => {
    await app?.close();
    await issuer?.close();
  });

  /** Valid most of the time, so that the accepting side of the property is exercised as much as the refusing one. */
  function caseArbitrary(): fc.Arbitrary<Case> {
    // Times are relative, made absolute when the token is signed: a long run never drifts onto a boundary.
    const often = <T>(valid: T, ...others: T[]) => fc.oneof({ weight: 6, arbitrary: fc.constant(valid) }, fc.constantFrom(...others));
    const absent = undefined;
    const header = fc.record({
      kid: often<unknown>('real', absent, '', 'other-key', 7, null),
      typ: often<unknown>('at+jwt', absent, 'JWT', 'AT+JWT', 'application/at+jwt', 'dpop+jwt', 'id_token+jwt', 1),
      alg: often<unknown>('same', 'other', 'none', 'HS256', absent, 'rs256'),
      extra: often<Record<string, unknown>>({}, { crit: ['b64'], b64: true }, { crit: ['exp'] }, { cty: 'JWT' }, { cty: 'jwt' }, { jku: 'http://127.0.0.1:9/jwks' }, { x5u: 'http://127.0.0.1:9/c' }, { b64: false }),
    });
    const claims = fc.record({
      iss: often<unknown>(issuer.issuer, `${issuer.issuer}/`, absent, 42, 'https://evil.example'),
      aud: often<unknown>(RESOURCE, [RESOURCE, 'https://other.example'], 'https://other.example', absent, [], `${RESOURCE}/`, [7]),
      exp: often<unknown>(fromNow(600), fromNow(-600), absent, 'later', fromNow(1e12), null),
      nbf: often<unknown>(absent, fromNow(-600), fromNow(600), 'soon'),
      iat: often<unknown>(fromNow(0), absent, fromNow(600), fromNow(-86_400), 'now'),
      sub: fc.oneof(fc.constant('user-1'), fc.string({ maxLength: 12 }), fc.string({ unit: 'binary', maxLength: 6 })),
      scope: fc.constantFrom('read:notes', 'a b', absent),
      idToken: often<Record<string, unknown>>({}, { nonce: 'n' }, { at_hash: 'h' }, { c_hash: 'h' }, { s_hash: 'h' }),
      extra: fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 })),
    });
    return fc.record({
      base: fc.oneof({ weight: 19, arbitrary: fc.constant('generated' as const) }, fc.constant('zero-led' as const)),
      key: fc.oneof({ weight: 8, arbitrary: fc.constant('published' as const) }, fc.constantFrom('blank' as const, 'attacker' as const)),
      alg: fc.constantFrom(...ALGORITHMS),
      header: header.map(({ extra, ...rest }) => ({ ...rest, ...extra })),
      claims: claims.map(({ idToken, extra, ...rest }) => ({ ...extra, ...rest, ...idToken })),
      bytes: often<Case['bytes']>('none', 'bom-header', 'bom-payload', 'not-utf8-sub', 'not-utf8-header', 'whitespace', 'duplicate-iss'),
      signature: often<Case['signature']>('none', 'flip', 'drop-first', 'append-zero', 'prepend-zero', 'truncate', 'high-s', 'der', 'empty'),
      encoding: often<Case['encoding']>('none', 'pad', 'pad-bits', 'standard-alphabet', 'extra-part', 'swap'),
      at: fc.nat(),
    });
  }

  /** The token a case describes: header and claims serialised (and their bytes changed), signed, then changed. */
  function tokenFor(spec: Case): string {
    if (spec.base === 'zero-led') return zeroLedToken(spec);
    const key = spec.key === 'blank' ? blank : (spec.key === 'attacker' ? attackers : published).get(spec.alg)!;
    const signAs = spec.key === 'blank' ? 'ES256' : spec.alg;
    const { kid, alg, ...rest } = spec.header;
    const header: Record<string, unknown> = { ...rest };
    if (alg === 'same') header.alg = signAs;
    else if (alg === 'other') header.alg = ALGORITHMS[(ALGORITHMS.indexOf(signAs) + 1 + (spec.at % 9)) % ALGORITHMS.length];
    else if (alg !== undefined) header.alg = alg;
    if (kid === 'real') header.kid = key.kid;
    else if (kid !== undefined) header.kid = kid;
    for (const name of Object.keys(header)) if (header[name] === undefined) delete header[name];
    const now = Math.floor(Date.now() / 1000);
    const claims = Object.fromEntries(
      Object.entries(spec.claims)
        .filter(([, value]) => value !== undefined)
        .map(([name, value]) => [name, value instanceof FromNow ? now + value.seconds : value]),
    );

    let headerBytes = Buffer.from(JSON.stringify(header));
    let payloadBytes = Buffer.from(JSON.stringify(claims));
    const bom = Buffer.from([0xef, 0xbb, 0xbf]);
    const notUtf8 = [Buffer.from([0xff, 0xfe]), Buffer.from([0xc0, 0xaf]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0x80])][spec.at % 4]!;
    switch (spec.bytes) {
      case 'bom-header':
        headerBytes = Buffer.concat([bom, headerBytes]);
        break;
      case 'bom-payload':
        payloadBytes = Buffer.concat([bom, payloadBytes]);
        break;
      case 'not-utf8-sub': {
        const [before, after] = JSON.stringify({ ...claims, sub: '@@' }).split('"@@"') as [string, string];
        payloadBytes = Buffer.concat([Buffer.from(`${before}"`), notUtf8, Buffer.from(`"${after}`)]);
        break;
      }
      case 'not-utf8-header':
        headerBytes = Buffer.concat([headerBytes.subarray(0, -1), Buffer.from(',"x":"'), notUtf8, Buffer.from('"}')]);
        break;
      case 'whitespace':
        payloadBytes = Buffer.from(` \n${JSON.stringify(claims, null, 1)}\t`);
        break;
      case 'duplicate-iss':
        payloadBytes = Buffer.concat([Buffer.from('{"iss":"https://evil.example",'), payloadBytes.subarray(1)]);
        break;
    }

    const signingInput = `${b64(headerBytes)}.${b64(payloadBytes)}`;
    return encode(`${signingInput}.${b64(mutateSignature(signWith(key, signAs, signingInput), spec, signAs))}`, spec);
  }

  /** A valid token whose signature begins with a zero byte: its shorter twin must be refused (T19). */
  function zeroLedToken(spec: Case): string {
    const token = zeroLed[spec.at % zeroLed.length]!;
    const [header, payload, signature] = token.split('.') as [string, string, string];
    return encode(`${header}.${payload}.${b64(mutateSignature(Buffer.from(signature, 'base64url'), spec, 'PS256'))}`, spec);
  }

  function mutateSignature(signature: Buffer, spec: Case, alg: Alg): Buffer {
    const at = spec.at % Math.max(signature.length, 1);
    switch (spec.signature) {
      case 'flip':
        return Buffer.from(signature.map((byte, index) => (index === at ? byte ^ (1 << spec.at % 8) : byte)));
      case 'drop-first':
        return signature.subarray(1);
      case 'append-zero':
        return Buffer.concat([signature, Buffer.alloc(1)]);
      case 'prepend-zero':
        return Buffer.concat([Buffer.alloc(1), signature]);
      case 'truncate':
        return signature.subarray(0, at);
      case 'empty':
        return Buffer.alloc(0);
      case 'high-s': {
        const order = CURVE_ORDER[alg];
        if (!order) return signature;
        const half = signature.length / 2;
        const s = BigInt(`0x${signature.subarray(half).toString('hex')}`);
        return Buffer.concat([signature.subarray(0, half), Buffer.from((order - s).toString(16).padStart(half * 2, '0'), 'hex')]);
      }
      case 'der': {
        if (!CURVE_ORDER[alg]) return signature;
        const half = signature.length / 2;
        const integer = (bytes: Buffer) => {
          let trimmed = bytes;
          while (trimmed.length > 1 && trimmed[0] === 0 && trimmed[1]! < 0x80) trimmed = trimmed.subarray(1);
          if (trimmed[0]! >= 0x80) trimmed = Buffer.concat([Buffer.alloc(1), trimmed]);
          return Buffer.concat([Buffer.from([0x02, trimmed.length]), trimmed]);
        };
        const body = Buffer.concat([integer(signature.subarray(0, half)), integer(signature.subarray(half))]);
        return Buffer.concat([Buffer.from(body.length < 128 ? [0x30, body.length] : [0x30, 0x81, body.length]), body]);
      }
      default:
        return signature;
    }
  }

  function encode(token: string, spec: Case): string {
    const parts = token.split('.');
    const index = spec.at % 3;
    const part = parts[index]!;
    switch (spec.encoding) {
      case 'pad':
        parts[index] = `${part}${'='.repeat((4 - (part.length % 4)) % 4 || 1)}`;
        break;
      case 'pad-bits':
        if (part.length % 4 !== 0 && part.length > 0) parts[index] = part.slice(0, -1) + ALPHABET[ALPHABET.indexOf(part.at(-1)!) ^ 1];
        break;
      case 'standard-alphabet':
        parts[index] = part.replaceAll('-', '+').replaceAll('_', '/');
        break;
      case 'extra-part':
        parts.push(parts[2]!);
        break;
      case 'swap':
        [parts[0], parts[1]] = [parts[1]!, parts[0]!];
        break;
    }
    return parts.join('.');
  }

  async function ours(token: string): Promise<{ accepted: AuthInfo } | { refused: string }> {
    try {
      return { accepted: await verifier.verify(token, resource) };
    } catch (error) {
      // Anything but an invalid-token refusal (a 503, a TypeError) is a bug whatever jose says.
      if (!(error instanceof InvalidTokenFailure)) throw error;
      return { refused: error.detail };
    }
  }

  async function jose(token: string): Promise<{ accepted: Record<string, unknown> } | { refused: string }> {
    try {
      const { payload } = await jwtVerify(token, joseKeys, {
        issuer: issuer.issuer,
        audience: RESOURCE,
        algorithms: [...ALGORITHMS],
        clockTolerance: 5,
        requiredClaims: ['exp'],
      });
      return { accepted: payload };
    } catch (error) {
      return { refused: (error as { code?: string }).code ?? String(error) };
    }
  }

  it(
    'every token we accept, jose accepts with the same claims; every token jose accepts and we refuse is in a listed category',
    async () => {
      const seen = { accepted: 0, stricter: new Map<string, number>() };
      await fc.assert(
        fc.asyncProperty(caseArbitrary(), async (spec) => {
          const token = tokenFor(spec);
          const [our, their] = await Promise.all([ours(token), jose(token)]);
          if (shortRsaSignature(token)) expect(our, 'we accepted an RSA signature shorter than the modulus').toHaveProperty('refused');
          if ('accepted' in our) {
            seen.accepted++;
            expect(their, 'we accepted a token jose refuses').toHaveProperty('accepted');
            expect(our.accepted.claims).toEqual((their as { accepted: unknown }).accepted);
          } else if ('accepted' in their) {
            const short = our.refused === 'The token signature is invalid' && shortRsaSignature(token);
            const category = short
              ? SHORT_RSA_SIGNATURE
              : our.refused === 'The token is not a well-formed JWT'
                ? malformedJwtCategory(token)
                : DELIBERATELY_STRICTER.get(our.refused);
            expect(category, `we refused a token jose accepts: ${our.refused}`).toBeDefined();
            seen.stricter.set(category!, (seen.stricter.get(category!) ?? 0) + 1);
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      if (process.env.DIFFERENTIAL_REPORT) console.info(`accepted by both: ${seen.accepted} of ${RUNS}; refused by us only:`, Object.fromEntries(seen.stricter));
      // Not vacuous: a good share of the cases were valid tokens, accepted by both.
      expect(seen.accepted).toBeGreaterThan(RUNS / 10);
    },
    TIMEOUT,
  );
});
