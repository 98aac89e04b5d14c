import { constants, createSecretKey, generateKeyPairSync, KeyObject, randomBytes, sign, verify } from 'node:crypto';
import { CompactSign, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyFitsAlgorithm, verifyJwsSignature } from '../../../lib/verification/jws-signature.js';

/** What a verifier gets from a compact JWS: the bytes the signature covers, and the signature. */
interface SignedInput {
  signingInput: Buffer;
  signature: Buffer;
}

/** The algorithms whose keys and signatures jose makes; EdDSA over Ed448 (which we refuse) is signed with node:crypto below. */
const JOSE_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'] as const;
type JoseAlgorithm = (typeof JOSE_ALGORITHMS)[number];

const PAYLOAD = new TextEncoder().encode(JSON.stringify({ iss: 'https://as.example.com', sub: 'user-1' }));

/** The signing input and signature of a compact JWS, as a verifier takes it apart. */
function partsOf(token: string): SignedInput {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  return { signingInput: Buffer.from(`${header}.${payload}`), signature: Buffer.from(signature, 'base64url') };
}

function flipByte(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index]! ^= 0x01;
  return copy;
}

/** Whether the call threw or rejected; a verifier that does either on attacker input is a bug even when it means "no". */
async function outcome(alg: string, key: KeyObject, input: SignedInput): Promise<boolean | 'threw' | 'rejected'> {
  let pending: Promise<boolean>;
  try {
    pending = verifyJwsSignature(alg, key, input.signingInput, input.signature);
  } catch {
    return 'threw';
  }
  return pending.catch(() => 'rejected' as const);
}

interface SignedFixture extends SignedInput {
  publicKey: KeyObject;
  privateKey: KeyObject;
}

const fixtures = new Map<string, SignedFixture>();
const fixture = (alg: string) => fixtures.get(alg)!;

beforeAll(async () => {
  await Promise.all(
    JOSE_ALGORITHMS.map(async (alg: JoseAlgorithm) => {
      const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true });
      const token = await new CompactSign(PAYLOAD).setProtectedHeader({ alg }).sign(privateKey);
      fixtures.set(alg, { ...partsOf(token), publicKey: KeyObject.from(publicKey), privateKey: KeyObject.from(privateKey) });
    }),
  );
  // EdDSA over Ed448 (RFC 8037), which jose's WebCrypto keys do not cover.
  const ed448 = generateKeyPairSync('ed448');
  const signingInput = Buffer.from(`${Buffer.from(JSON.stringify({ alg: 'EdDSA' })).toString('base64url')}.${Buffer.from(PAYLOAD).toString('base64url')}`);
  fixtures.set('EdDSA/Ed448', { signingInput, signature: sign(null, signingInput, ed448.privateKey), ...ed448 });
});

const SIGNED = JOSE_ALGORITHMS.map((alg) => [alg, alg] as const);

describe('verifyJwsSignature', () => {
  describe.each(SIGNED)('%s (%s)', (alg, name) => {
    it('T4: verifies a genuine signature with a key that fits', async () => {
      const { publicKey, ...input } = fixture(name);
      expect(keyFitsAlgorithm(alg, publicKey)).toBe(true);
      expect(await outcome(alg, publicKey, input)).toBe(true);
    });

    it('T4: refuses the signature with one bit flipped, first or last byte', async () => {
      const { publicKey, signingInput, signature } = fixture(name);
      expect(await outcome(alg, publicKey, { signingInput, signature: flipByte(signature, 0) })).toBe(false);
      expect(await outcome(alg, publicKey, { signingInput, signature: flipByte(signature, signature.length - 1) })).toBe(false);
    });

    it('T4: refuses an altered signing input (one bit of the payload, or a byte appended)', async () => {
      const { publicKey, signingInput, signature } = fixture(name);
      expect(await outcome(alg, publicKey, { signingInput: flipByte(signingInput, signingInput.length - 1), signature })).toBe(false);
      expect(await outcome(alg, publicKey, { signingInput: Buffer.concat([signingInput, Buffer.from('A')]), signature })).toBe(false);
    });

    it('T4: refuses a genuine signature checked with another key of the same kind', async () => {
      const { publicKey, signingInput, signature } = fixture(name);
      const otherKey = freshPublicKeyLike(publicKey);
      expect(keyFitsAlgorithm(alg, otherKey)).toBe(true);
      expect(await outcome(alg, otherKey, { signingInput, signature })).toBe(false);
    });

    it.each([
      ['empty', 0],
      ['one byte', 1],
      ['64 random bytes', 64],
      ['256 random bytes', 256],
      ['the signature’s length, random', -1],
    ])('T4: a garbage signature (%s) is false, never an exception', async (_name, length) => {
      const { publicKey, signingInput, signature } = fixture(name);
      const garbage = randomBytes(length === -1 ? signature.length : length);
      expect(await outcome(alg, publicKey, { signingInput, signature: garbage })).toBe(false);
    });
  });

  it('T4: an ES256 signature in DER (Node’s default encoding) is refused; the same key’s R ‖ S signature verifies', async () => {
    const { publicKey, privateKey, signingInput } = fixture('ES256');
    const der = sign('sha256', signingInput, privateKey);
    expect(der[0]).toBe(0x30); // an ASN.1 SEQUENCE: really DER
    expect(await outcome('ES256', publicKey, { signingInput, signature: der })).toBe(false);
    const p1363 = sign('sha256', signingInput, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(await outcome('ES256', publicKey, { signingInput, signature: p1363 })).toBe(true);
  });

  it.each([
    ['ES256', 64],
    ['ES384', 96],
    ['ES512', 132],
  ])('T4: a %s signature of the wrong length (not %i bytes) is refused', async (alg, length) => {
    const { publicKey, signingInput, signature } = fixture(alg);
    expect(signature).toHaveLength(length);
    for (const wrong of [signature.subarray(0, length - 1), Buffer.concat([signature, Buffer.alloc(1)]), Buffer.concat([Buffer.alloc(1), signature])]) {
      expect(await outcome(alg, publicKey, { signingInput, signature: wrong })).toBe(false);
    }
  });

  it.each([
    ['RS256', 'PS256'],
    ['PS256', 'RS256'],
    ['RS256', 'RS384'],
    ['PS384', 'PS256'],
    ['ES384', 'ES256'],
  ])('T5: a genuine %s signature checked as %s is refused', async (signedAs, checkedAs) => {
    const { publicKey, signingInput, signature } = fixture(signedAs);
    expect(await outcome(checkedAs, publicKey, { signingInput, signature })).toBe(false);
  });

  it.each([['HS256'], ['none'], ['NONE'], ['rs256'], ['ES256K'], ['RSA-OAEP'], [''], ['__proto__'], ['constructor']])(
    'T5: the unknown algorithm %j is false without throwing, even over a genuine RS256 signature',
    async (alg) => {
      const { publicKey, ...input } = fixture('RS256');
      expect(await outcome(alg, publicKey, input)).toBe(false);
    },
  );

  it('T5: a key that does not fit (ES256 over an RSA key, RS256 over an EC key, a P-384 key for ES256) is false, not an exception', async () => {
    expect(await outcome('ES256', fixture('RS256').publicKey, { ...fixture('ES256') })).toBe(false);
    expect(await outcome('RS256', fixture('ES256').publicKey, { ...fixture('RS256') })).toBe(false);
    expect(await outcome('ES256', fixture('ES384').publicKey, { ...fixture('ES256') })).toBe(false);
    expect(await outcome('EdDSA', fixture('RS256').publicKey, { ...fixture('EdDSA') })).toBe(false);
  });

  it('T20: an RSA-PSS key (id-RSASSA-PSS) is refused for PS256 even with a genuine signature, as jose 6 refuses it', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa-pss', { modulusLength: 2048, hashAlgorithm: 'sha256', mgf1HashAlgorithm: 'sha256' });
    const { signingInput } = fixture('PS256');
    const signature = sign('sha256', signingInput, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    expect(keyFitsAlgorithm('PS256', publicKey)).toBe(false);
    expect(await outcome('PS256', publicKey, { signingInput, signature })).toBe(false);
  });

  it('T20: EdDSA over Ed448 is refused even with a genuine signature, as jose 6 refuses it', async () => {
    const { publicKey, ...input } = fixture('EdDSA/Ed448');
    expect(verify(null, input.signingInput, publicKey, input.signature)).toBe(true); // the signature is genuine
    expect(await outcome('EdDSA', publicKey, input)).toBe(false);
    expect(await outcome('Ed25519', publicKey, input)).toBe(false);
  });

  it.each([
    ['RS256', 'an EC P-256 key and a DER ECDSA signature', () => ecdsaDer('sha256')],
    ['PS256', 'an EC P-256 key and a DER ECDSA signature', () => ecdsaDer('sha256')],
    ['RS512', 'an EC P-256 key and a DER ECDSA signature over SHA-512', () => ecdsaDer('sha512')],
    ['EdDSA', 'an RSA key and an RS256 signature', () => ({ ...fixture('RS256') })],
    ['Ed25519', 'an RSA key and an RS256 signature', () => ({ ...fixture('RS256') })],
    ['RS256', 'a 1024-bit RSA key and its genuine signature', () => rsa1024Signature()],
    ['RS256', 'an RSA private key and a genuine signature', () => ({ ...fixture('RS256'), publicKey: fixture('RS256').privateKey })],
  ])('T20: %s checked with %s is false, though crypto.verify alone would say true', async (alg, _name, signed) => {
    const { publicKey, signingInput, signature } = signed();
    expect(nodeVerifyAlone(alg, publicKey, signingInput, signature)).toBe(true); // the danger is real
    expect(await outcome(alg, publicKey, { signingInput, signature })).toBe(false);
  });

  it.each([['RS256'], ['PS256'], ['RS512'], ['PS512']])(
    'T19: an %s signature is exactly the modulus length: with its leading zero byte dropped, or a zero byte added, it is refused',
    async (alg) => {
      const { publicKey, privateKey } = fixture(alg);
      const { signingInput, signature: zeroLed } = zeroLedSignature(alg, privateKey, fixture(alg).signingInput);
      expect(await outcome(alg, publicKey, { signingInput, signature: zeroLed })).toBe(true);
      expect(await outcome(alg, publicKey, { signingInput, signature: zeroLed.subarray(1) })).toBe(false);
      expect(await outcome(alg, publicKey, { signingInput, signature: Buffer.concat([Buffer.alloc(1), zeroLed]) })).toBe(false);
    },
  );

  it('T19: a modulus that is not a whole number of bytes (2052 bits) takes signatures of 257 bytes', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2052 });
    const { signingInput } = fixture('RS256');
    const signature = sign('sha256', signingInput, privateKey);
    expect(signature).toHaveLength(257);
    expect(await outcome('RS256', publicKey, { signingInput, signature })).toBe(true);
  });

  it('T19: an Ed25519 signature is exactly 64 bytes', async () => {
    const { publicKey, signingInput, signature } = fixture('EdDSA');
    expect(signature).toHaveLength(64);
    expect(await outcome('EdDSA', publicKey, { signingInput, signature: Buffer.concat([signature, Buffer.alloc(1)]) })).toBe(false);
  });

  it('T4: a PS256 signature with a salt other than the digest length is refused (RFC 7518 §3.5)', async () => {
    const { publicKey, privateKey, signingInput } = fixture('PS256');
    const withSalt = (saltLength: number) => sign('sha256', signingInput, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
    expect(await outcome('PS256', publicKey, { signingInput, signature: withSalt(32) })).toBe(true);
    expect(await outcome('PS256', publicKey, { signingInput, signature: withSalt(0) })).toBe(false);
    expect(await outcome('PS256', publicKey, { signingInput, signature: withSalt(64) })).toBe(false);
  });
});

describe('keyFitsAlgorithm', () => {
  const rsa1024 = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const rsa2040 = generateKeyPairSync('rsa', { modulusLength: 2040 });
  const rsaPss1024 = generateKeyPairSync('rsa-pss', { modulusLength: 1024 });
  const rsaPss2048 = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
  const p256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  const p521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
  const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
  const ed25519 = generateKeyPairSync('ed25519');
  const ed448 = generateKeyPairSync('ed448');
  const x25519 = generateKeyPairSync('x25519');

  it.each([
    ['RS256', 'RSA 2048', () => fixture('RS256').publicKey],
    ['RS512', 'RSA 2048', () => fixture('RS256').publicKey],
    ['PS256', 'RSA 2048', () => fixture('RS256').publicKey],
    ['ES256', 'EC P-256', () => p256.publicKey],
    ['ES384', 'EC P-384', () => p384.publicKey],
    ['ES512', 'EC P-521', () => p521.publicKey],
    ['EdDSA', 'Ed25519', () => ed25519.publicKey],
    ['Ed25519', 'Ed25519', () => ed25519.publicKey],
  ])('T5: %s accepts a public %s key', (alg, _name, key) => {
    expect(keyFitsAlgorithm(alg, key())).toBe(true);
  });

  it.each([
    ['ES256', 'an RSA key', () => fixture('RS256').publicKey],
    ['ES256', 'an EC P-384 key (wrong curve)', () => p384.publicKey],
    ['ES256', 'an EC secp256k1 key (ES256K’s curve)', () => secp256k1.publicKey],
    ['ES384', 'an EC P-256 key', () => p256.publicKey],
    ['ES512', 'an EC P-384 key', () => p384.publicKey],
    ['RS256', 'a 1024-bit RSA key', () => rsa1024.publicKey],
    ['RS512', 'a 1024-bit RSA key', () => rsa1024.publicKey],
    ['PS256', 'a 1024-bit RSA key', () => rsa1024.publicKey],
    ['PS512', 'a 1024-bit RSA-PSS key', () => rsaPss1024.publicKey],
    ['RS256', 'a 2040-bit RSA key (just under 2048)', () => rsa2040.publicKey],
    ['PS256', 'a 2040-bit RSA key (just under 2048)', () => rsa2040.publicKey],
    ['RS256', 'an RSA-PSS key (PSS only)', () => rsaPss2048.publicKey],
    ['RS256', 'an RSA private key', () => fixture('RS256').privateKey],
    ['PS256', 'an RSA private key', () => fixture('PS256').privateKey],
    ['ES256', 'an EC private key', () => fixture('ES256').privateKey],
    ['EdDSA', 'an Ed25519 private key', () => fixture('EdDSA').privateKey],
    ['RS256', 'an Ed25519 key', () => ed25519.publicKey],
    ['ES256', 'an Ed25519 key', () => ed25519.publicKey],
    ['Ed25519', 'an Ed448 key', () => ed448.publicKey],
    ['EdDSA', 'an Ed448 key (T20: jose 6 refuses it)', () => ed448.publicKey],
    ['PS256', 'an RSA-PSS 2048 key (T20: jose 6 refuses it)', () => rsaPss2048.publicKey],
    ['PS512', 'an RSA-PSS 2048 key', () => rsaPss2048.publicKey],
    ['EdDSA', 'an X25519 (key agreement) key', () => x25519.publicKey],
    ['EdDSA', 'an EC P-256 key', () => p256.publicKey],
    ['HS256', 'an RSA key', () => fixture('RS256').publicKey],
    ['HS256', 'a secret key', () => createSecretKey(randomBytes(32))],
    ['RS256', 'a secret key', () => createSecretKey(randomBytes(256))],
    ['none', 'an RSA key', () => fixture('RS256').publicKey],
    ['none', 'an EC key', () => p256.publicKey],
    ['rs256', 'an RSA key (algorithm names are case-sensitive)', () => fixture('RS256').publicKey],
    ['', 'an RSA key', () => fixture('RS256').publicKey],
  ])('T5: %s refuses %s', (alg, _name, key) => {
    expect(keyFitsAlgorithm(alg, key())).toBe(false);
  });
});

/** What `crypto.verify` says with nothing but the algorithm's digest: the check verifyJwsSignature must not leave to it. */
function nodeVerifyAlone(alg: string, key: KeyObject, signingInput: Buffer, signature: Buffer): boolean {
  const digest = alg.startsWith('Ed') ? null : `sha${alg.slice(2)}`;
  try {
    return verify(digest, signingInput, alg.startsWith('PS') ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } : key, signature);
  } catch {
    return false;
  }
}

function ecdsaDer(digest: string): SignedFixture {
  const { publicKey, privateKey, signingInput } = fixture('ES256');
  return { publicKey, privateKey, signingInput, signature: sign(digest, signingInput, privateKey) };
}

function rsa1024Signature(): SignedFixture {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
  const { signingInput } = fixture('RS256');
  return { publicKey, privateKey, signingInput, signature: sign('sha256', signingInput, privateKey) };
}

/**
 * A genuine RS* or PS* signature whose first byte is zero (about one in 256). PSS is randomised, so the same
 * input is signed again; PKCS #1 v1.5 is not, so a counter is appended to the input instead.
 */
function zeroLedSignature(alg: string, privateKey: KeyObject, baseInput: Buffer): SignedInput {
  const digest = `sha${alg.slice(2)}`;
  for (let attempt = 0; attempt < 100_000; attempt++) {
    if (alg.startsWith('PS')) {
      const pss = { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 };
      const signature = sign(digest, baseInput, pss);
      if (signature[0] === 0) return { signingInput: baseInput, signature };
    } else {
      const signingInput = Buffer.concat([baseInput, Buffer.from(String(attempt))]);
      const signature = sign(digest, signingInput, privateKey);
      if (signature[0] === 0) return { signingInput, signature };
    }
  }
  throw new Error('no zero-led signature');
}

/** A new public key of the same type as `key`: RSA with its modulus length, EC on its curve, or the same Edwards curve. */
function freshPublicKeyLike(key: KeyObject): KeyObject {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return generateKeyPairSync('rsa', { modulusLength: details.modulusLength! }).publicKey;
    case 'ec':
      return generateKeyPairSync('ec', { namedCurve: details.namedCurve! }).publicKey;
    case 'ed25519':
      return generateKeyPairSync('ed25519').publicKey;
    case 'ed448':
      return generateKeyPairSync('ed448').publicKey;
    default:
      throw new Error(`no fresh key for ${key.asymmetricKeyType}`);
  }
}
