import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';

export type DevSigningAlgorithm = 'RS256' | 'ES256';

/**
 * Generates a fresh private signing JWK for one run of the development authorization server.
 *
 * Keys live only in memory: nothing is ever written to disk or committed, and a restart
 * invalidates every token issued before it, which is what a development server should do.
 * The `kid` is the RFC 7638 thumbprint so it is stable for the key and unique across runs.
 */
export async function generateSigningJwk(alg: DevSigningAlgorithm): Promise<JWK> {
  // extractable: oidc-provider takes keys as JWKs, so the private key has to be exported.
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const privateJwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(await exportJWK(publicKey));
  return { ...privateJwk, kid, alg, use: 'sig' };
}
