import { constants, verify, type KeyObject, type VerifyKeyObjectInput, type VerifyPublicKeyInput } from 'node:crypto';

/** How one asymmetric JWS algorithm checks a signature with Node's crypto (RFC 7518 §3.3–3.5, RFC 8037 §3.1). */
interface AlgorithmProfile {
  /** The digest Node hashes the signing input with; `null` for EdDSA, which hashes internally. */
  digest: string | null;
  /** Node's `asymmetricKeyType` a key for this algorithm must have. */
  keyType: 'rsa' | 'ec' | 'ed25519';
  /** ECDSA: the key's curve (OpenSSL name) and the exact length of a JWS signature (R ‖ S, RFC 7518 §3.4). */
  curve?: string;
  signatureLength?: number;
  /** RSASSA-PSS: the salt is as long as the digest (RFC 7518 §3.5). */
  pssSaltLength?: number;
}

const rsa = (bits: number): AlgorithmProfile => ({ digest: `sha${bits}`, keyType: 'rsa' });
// Plain `rsa` keys only, as in jose 6: a JWK cannot describe an `rsa-pss` key (id-RSASSA-PSS), so one would
// have to come from code handing us a KeyObject, and the restrictions such a key carries would be a second policy.
const pss = (bits: number): AlgorithmProfile => ({ digest: `sha${bits}`, keyType: 'rsa', pssSaltLength: bits / 8 });
const ecdsa = (bits: number, curve: string, signatureLength: number): AlgorithmProfile => ({
  digest: `sha${bits}`,
  keyType: 'ec',
  curve,
  signatureLength,
});
// Ed25519 only, as in jose 6 and WebCrypto: `EdDSA` over Ed448 is refused.
const eddsa: AlgorithmProfile = { digest: null, keyType: 'ed25519' };

const PROFILES: ReadonlyMap<string, AlgorithmProfile> = new Map([
  ['RS256', rsa(256)],
  ['RS384', rsa(384)],
  ['RS512', rsa(512)],
  ['PS256', pss(256)],
  ['PS384', pss(384)],
  ['PS512', pss(512)],
  ['ES256', ecdsa(256, 'prime256v1', 64)],
  ['ES384', ecdsa(384, 'secp384r1', 96)],
  ['ES512', ecdsa(512, 'secp521r1', 132)],
  ['EdDSA', eddsa],
  ['Ed25519', eddsa],
]);

/** RFC 7518 §3.3 / §3.5: RSA keys of 2048 bits or more. */
const MIN_RSA_MODULUS_BITS = 2048;

/**
 * Whether `key` may verify signatures of algorithm `alg`: a public key of the algorithm's type, on the
 * algorithm's curve, and long enough. It is what keeps an RSA key from checking an ECDSA token and any key
 * from checking an HMAC (or `none`) one. The key sets ask once per key and algorithm, to refuse a key that
 * does not fit with a clear reason; {@link verifyJwsSignature} asks again for every signature, so that no
 * caller can get it wrong (Node caches a KeyObject's details: the check costs nanoseconds).
 */
export function keyFitsAlgorithm(alg: string, key: KeyObject): boolean {
  const profile = PROFILES.get(alg);
  return profile !== undefined && keyFits(profile, key);
}

/**
 * Checks a JWS signature over its signing input (`BASE64URL(header) '.' BASE64URL(payload)`). A key that
 * does not fit `alg` makes it `false`: left to itself, `crypto.verify` checks whatever the key can check —
 * a DER ECDSA signature under `RS256` with an EC key, an RS256 signature under `EdDSA` with an RSA key.
 *
 * Node's `crypto.verify` with a callback runs the check as one job on libuv's thread pool: the event loop
 * serves other requests meanwhile, and under load the checks spread over the cores. Measured against
 * checking in place (the synchronous call) and against jose's WebCrypto `subtle.verify`, it gave the most
 * requests per second and the least CPU per new token. Any problem (unknown algorithm, a key that does not
 * fit, a malformed signature) is `false`, never an exception or a rejection.
 */
export function verifyJwsSignature(alg: string, key: KeyObject, signingInput: Buffer, signature: Buffer): Promise<boolean> {
  const profile = PROFILES.get(alg);
  if (!profile || !keyFits(profile, key) || signature.length !== signatureLength(profile, key)) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify(profile.digest, signingInput, verifyInput(profile, key), signature, (error, valid) => resolve(error === null && valid));
    } catch {
      resolve(false);
    }
  });
}

function keyFits(profile: AlgorithmProfile, key: KeyObject): boolean {
  if (key.type !== 'public' || key.asymmetricKeyType !== profile.keyType) return false;
  const details = key.asymmetricKeyDetails ?? {};
  if (profile.curve !== undefined) return details.namedCurve === profile.curve;
  if (profile.keyType === 'rsa') return (details.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS;
  return true;
}

/**
 * The one length a signature may have, for a key that fits: ECDSA's fixed `R ‖ S` (RFC 7518 §3.4: a DER
 * signature is refused before OpenSSL sees it), RSA's modulus length in bytes (RFC 8017 §8.1.2 and §8.2.2,
 * step 1: OpenSSL lets a PSS signature that lost its leading zero byte through, which would give such a
 * token a second spelling), Ed25519's 64 bytes (RFC 8032 §5.1.7).
 */
function signatureLength(profile: AlgorithmProfile, key: KeyObject): number {
  if (profile.signatureLength !== undefined) return profile.signatureLength;
  if (profile.keyType === 'rsa') return Math.ceil(key.asymmetricKeyDetails!.modulusLength! / 8);
  return 64;
}

function verifyInput(profile: AlgorithmProfile, key: KeyObject): KeyObject | VerifyKeyObjectInput | VerifyPublicKeyInput {
  if (profile.pssSaltLength !== undefined) return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: profile.pssSaltLength };
  if (profile.signatureLength !== undefined) return { key, dsaEncoding: 'ieee-p1363' };
  return key;
}
