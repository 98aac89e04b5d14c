import { createPublicKey, type JsonWebKeyInput } from 'node:crypto';
import type { MetadataFetchResult } from '../discovery/fetch-metadata-document.js';
import { keyFitsAlgorithm } from '../verification/jws-signature.js';
import { fail, pass, type DoctorCheck } from './doctor-check.js';

export const JWKS_TITLE = 'JWKS reachable, with keys our algorithms accept';

/**
 * Whether the JWKS answered with at least one signing key that one of `algorithms` can verify with, by the
 * same test the verifier applies to every key it uses (`keyFitsAlgorithm`: type, curve, RSA ≥ 2048 bits).
 * Names keys by `kid` and algorithm only: key material is never repeated.
 */
export function jwksCheck(jwksUri: string, fetched: MetadataFetchResult, algorithms: readonly string[]): DoctorCheck {
  if (fetched.kind !== 'document') {
    return fail(JWKS_TITLE, `${jwksUri}: ${fetched.outcome}`, 'Make the JWKS URL named in the metadata answer a JSON Web Key Set (RFC 7517) to this resource server');
  }
  const keys = (fetched.document as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) return fail(JWKS_TITLE, `${jwksUri} answered JSON without a "keys" array`, 'Serve a JSON Web Key Set: {"keys": [...]}');

  const usable: string[] = [];
  const unusable: string[] = [];
  keys.forEach((jwk: unknown, index) => {
    const { kid, alg, use, kty } = (typeof jwk === 'object' && jwk !== null ? jwk : {}) as Record<string, unknown>;
    const name = typeof kid === 'string' ? `kid ${JSON.stringify(kid)}` : `key #${index}`;
    const fits = use === undefined || use === 'sig' ? algorithmsFitting(jwk, typeof alg === 'string' ? [alg] : algorithms, algorithms) : [];
    if (fits.length > 0) usable.push(`${name} (${fits.join(', ')})`);
    else unusable.push(`${name} (${typeof kty === 'string' ? kty : 'no kty'}${typeof alg === 'string' ? ` ${alg}` : ''}${use === 'enc' ? ', use enc' : ''})`);
  });
  const listing = `${keys.length} key${keys.length === 1 ? '' : 's'}; usable: ${usable.join(', ') || 'none'}${unusable.length ? `; not usable: ${unusable.join(', ')}` : ''}`;
  if (usable.length === 0) {
    return fail(
      JWKS_TITLE,
      listing,
      `Sign access tokens with an asymmetric key (RSA ≥ 2048 bits, P-256/384/521, Ed25519) for one of ${algorithms.join(', ')} and publish its public half; HMAC (oct) keys are never accepted`,
    );
  }
  return pass(JWKS_TITLE, listing);
}

/** The accepted algorithms (among `candidates`) this JWK can verify; none for anything that is not a public key. */
function algorithmsFitting(jwk: unknown, candidates: readonly string[], accepted: readonly string[]): string[] {
  let key;
  try {
    key = createPublicKey({ key: jwk, format: 'jwk' } as JsonWebKeyInput);
  } catch {
    return [];
  }
  return candidates.filter((alg) => accepted.includes(alg) && keyFitsAlgorithm(alg, key));
}
