import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import type { BoundedTtlMap } from '../common/bounded-ttl-map.js';
import { InvalidDpopProofFailure, UseDpopNonceFailure } from '../errors/authentication-failures.js';
import { decodeCompactJws, isCompactJws } from '../verification/compact-jws.js';
import { keyFitsAlgorithm, verifyJwsSignature } from '../verification/jws-signature.js';
import { jwkThumbprint } from './jwk-thumbprint.js';

/** What a proof must say about the request it came with (RFC 9449 §4.3). */
export interface DpopProofExpectations {
  /** The HTTP method of the request (`htm`). */
  method: string;
  /** The request's URL without query and fragment, built from the configured resource identifier (`htu`). */
  url: string;
  /** The access token the request presents (`ath`). */
  accessToken: string;
  /** Accepted proof algorithms, asymmetric only. */
  algorithms: readonly string[];
  /** Now, in seconds since the epoch. */
  nowSeconds: number;
  /** How far `iat` may lie from now, either way. */
  maxAgeSeconds: number;
  /** When the server requires nonces: whether a proof's `nonce` is a valid one. */
  isValidNonce?: (nonce: unknown) => boolean;
  /**
   * Public keys already imported, by RFC 7638 thumbprint (which fixes the key material): a client signs many
   * proofs with one key, and importing a JWK costs as much as checking the signature it makes.
   */
  keys?: BoundedTtlMap<string, KeyObject>;
}

/** A proof that passed every check but replay, which needs the shared store. */
export interface CheckedDpopProof {
  /** RFC 7638 thumbprint of the proof's key, to compare with the token's `cnf.jkt`. */
  thumbprint: string;
  jti: string;
}

/** Longer than any honest proof (a header with an RSA-4096 JWK, a few claims); refused before decoding. */
export const MAX_PROOF_LENGTH = 8 * 1024;
const MAX_JTI_LENGTH = 256;
/** How long an imported proof key is kept after its last use. */
const KEY_CACHE_TTL_MS = 10 * 60 * 1000;
// RFC 7517 / 7518: members only a private (or symmetric) key has. A proof carrying one leaks the key.
const PRIVATE_KEY_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/**
 * Checks a DPoP proof JWT against the request (RFC 9449 §4.3 steps 2–11, and §9 for nonces): a compact JWS
 * with `typ: dpop+jwt`, an accepted asymmetric `alg`, a public `jwk` that signed it, and claims `jti`, `htm`,
 * `htu`, `iat` (within the window), `ath` (SHA-256 of the access token), and `nonce` when required. Throws
 * {@link InvalidDpopProofFailure} naming the first defect, or {@link UseDpopNonceFailure} for a proof that is
 * valid but for its nonce, so the client learns it needs one only once it signs proofs properly.
 */
export async function checkDpopProof(proof: string, expected: DpopProofExpectations): Promise<CheckedDpopProof> {
  if (proof.length > MAX_PROOF_LENGTH || !isCompactJws(proof)) throw invalid('The DPoP proof is not a compact JWS');
  const decoded = decodeCompactJws(proof);
  if (!decoded) throw invalid('The DPoP proof header or payload is not a JSON object');
  const { header, claims } = decoded;

  if (header.typ !== 'dpop+jwt') throw invalid('The DPoP proof typ is not dpop+jwt');
  if (typeof header.alg !== 'string' || !expected.algorithms.includes(header.alg)) throw invalid('The DPoP proof alg is not accepted');
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) throw invalid('The DPoP proof has no jwk header');
  if (PRIVATE_KEY_MEMBERS.some((member) => Object.hasOwn(jwk, member))) throw invalid('The DPoP proof jwk is not a public key');
  const thumbprint = jwkThumbprint(jwk as Record<string, unknown>);
  if (!thumbprint) throw invalid('The DPoP proof jwk has no thumbprint');
  const key = expected.keys?.get(thumbprint) ?? publicKeyOf(jwk as Record<string, unknown>);
  if (!key || !keyFitsAlgorithm(header.alg, key)) throw invalid('The DPoP proof jwk does not fit its alg');
  expected.keys?.set(thumbprint, key, KEY_CACHE_TTL_MS);
  if (!(await verifyJwsSignature(header.alg, key, decoded.signingInput, decoded.signature))) {
    throw invalid('The DPoP proof signature is invalid');
  }

  const { jti, htm, htu, iat, ath } = claims;
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) throw invalid('The DPoP proof jti is missing');
  if (htm !== expected.method) throw invalid('The DPoP proof htm is not the request method');
  if (typeof htu !== 'string' || withoutQueryAndFragment(htu) !== expected.url) throw invalid('The DPoP proof htu is not the request URL');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw invalid('The DPoP proof iat is missing');
  if (Math.abs(expected.nowSeconds - iat) > expected.maxAgeSeconds) throw invalid('The DPoP proof iat is outside the accepted window');
  if (ath !== accessTokenHash(expected.accessToken)) throw invalid('The DPoP proof ath is not the hash of the access token');
  if (expected.isValidNonce && !expected.isValidNonce(claims.nonce)) {
    throw new UseDpopNonceFailure('The DPoP proof lacks a valid server nonce');
  }

  return { thumbprint, jti };
}

/** `ath` (RFC 9449 §4.2): base64url of the SHA-256 of the access token's ASCII bytes. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/**
 * A URL compared as RFC 9449 §4.3 step 9 asks (query and fragment ignored), after the WHATWG URL parser's
 * normalisation (scheme and host case, default port, dot segments), so equivalent spellings compare equal.
 */
export function withoutQueryAndFragment(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    parsed.search = '';
    parsed.hash = '';
    return parsed.href;
  } catch {
    return undefined;
  }
}

function publicKeyOf(jwk: Record<string, unknown>): KeyObject | undefined {
  try {
    const key = createPublicKey({ key: jwk as never, format: 'jwk' });
    return key.type === 'public' ? key : undefined;
  } catch {
    return undefined;
  }
}

function invalid(detail: string): InvalidDpopProofFailure {
  return new InvalidDpopProofFailure(detail);
}
