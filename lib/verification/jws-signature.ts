import { constants, verify, type KeyObject, type VerifyKeyObjectInput, type VerifyPublicKeyInput } from 'node:crypto';

/** How one asymmetric JWS algorithm checks a signature with Node's crypto (RFC 7518 §3.3–3.5, RFC 8037 §3.1). */
interface AlgorithmProfile {
  /** The digest Node hashes the signing input with; `null` for EdDSA, which hashes internally. */
  digest: string | null;
  /** Node's `asymmetricKeyType` values a key for this algorithm may have. */
  keyTypes: readonly string[];
  /** ECDSA: the key's curve (OpenSSL name) and the exact length of a JWS signature (R ‖ S, RFC 7518 §3.4). */
  curve?: string;
  signatureLength?: number;
  /** RSASSA-PSS: the salt is as long as the digest (RFC 7518 §3.5). */
  pssSaltLength?: number;
}

const rsa = (bits: number): AlgorithmProfile => ({ digest: `sha${bits}`, keyTypes: ['rsa'] });
const pss = (bits: number): AlgorithmProfile => ({ digest: `sha${bits}`, keyTypes: ['rsa', 'rsa-pss'], pssSaltLength: bits / 8 });
const ecdsa = (bits: number, curve: string, signatureLength: number): AlgorithmProfile => ({
  digest: `sha${bits}`,
  keyTypes: ['ec'],
  curve,
  signatureLength,
});

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
  ['EdDSA', { digest: null, keyTypes: ['ed25519', 'ed448'] }],
  ['Ed25519', { digest: null, keyTypes: ['ed25519'] }],
]);

/** RFC 7518 §3.3 / §3.5: RSA keys of 2048 bits or more. */
const MIN_RSA_MODULUS_BITS = 2048;

/**
 * Whether `key` may verify signatures of algorithm `alg`: a public key of the algorithm's type, on the
 * algorithm's curve, and long enough. Checked once per key and algorithm, never per token; it is what
 * keeps an RSA key from checking an ECDSA token and any key from checking an HMAC (or `none`) one.
 */
export function keyFitsAlgorithm(alg: string, key: KeyObject): boolean {
  const profile = PROFILES.get(alg);
  if (!profile || key.type !== 'public' || !profile.keyTypes.includes(key.asymmetricKeyType ?? '')) return false;
  const details = key.asymmetricKeyDetails ?? {};
  if (profile.curve !== undefined) return details.namedCurve === profile.curve;
  if (profile.digest !== null && profile.keyTypes.includes('rsa')) return (details.modulusLength ?? 0) >= MIN_RSA_MODULUS_BITS;
  return true;
}

/**
 * Checks a JWS signature over its signing input (`BASE64URL(header) '.' BASE64URL(payload)`) with a key
 * that {@link keyFitsAlgorithm} accepted for `alg`. Node's `crypto.verify` with a callback runs the check as
 * one job on libuv's thread pool: the event loop serves other requests meanwhile, and under load the checks
 * spread over the cores. Measured against checking in place (the synchronous call) and against jose's
 * WebCrypto `subtle.verify`, it gave the most requests per second and the least CPU per new token.
 * Any problem (unknown algorithm, malformed signature) is `false`, never an exception or a rejection.
 */
export function verifyJwsSignature(alg: string, key: KeyObject, signingInput: Buffer, signature: Buffer): Promise<boolean> {
  const profile = PROFILES.get(alg);
  // ECDSA JWS signatures are fixed-length R ‖ S, not DER: anything else is refused before OpenSSL sees it.
  if (!profile || (profile.signatureLength !== undefined && signature.length !== profile.signatureLength)) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      verify(profile.digest, signingInput, verifyInput(profile, key), signature, (error, valid) => resolve(error === null && valid));
    } catch {
      resolve(false);
    }
  });
}

function verifyInput(profile: AlgorithmProfile, key: KeyObject): KeyObject | VerifyKeyObjectInput | VerifyPublicKeyInput {
  if (profile.pssSaltLength !== undefined) return { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: profile.pssSaltLength };
  if (profile.signatureLength !== undefined) return { key, dsaEncoding: 'ieee-p1363' };
  return key;
}
