import { createHash } from 'node:crypto';

// RFC 7638 §3.2: the members each key type's thumbprint covers, in lexicographic order.
const REQUIRED_MEMBERS: Readonly<Record<string, readonly string[]>> = {
  RSA: ['e', 'kty', 'n'],
  EC: ['crv', 'kty', 'x', 'y'],
  OKP: ['crv', 'kty', 'x'],
};

/**
 * The RFC 7638 SHA-256 thumbprint of a public JWK, base64url-encoded: what `cnf.jkt` holds for a DPoP-bound
 * token (RFC 9449 §6.1). `undefined` for a key type without a defined thumbprint or a required member that
 * is not a string.
 */
export function jwkThumbprint(jwk: Readonly<Record<string, unknown>>): string | undefined {
  const members = typeof jwk.kty === 'string' && Object.hasOwn(REQUIRED_MEMBERS, jwk.kty) ? REQUIRED_MEMBERS[jwk.kty]! : undefined;
  if (!members) return undefined;
  const canonical: Record<string, string> = {};
  for (const member of members) {
    const value = jwk[member];
    if (typeof value !== 'string') return undefined;
    canonical[member] = value;
  }
  // JSON.stringify keeps insertion order, which is the lexicographic order above, and adds no whitespace.
  return createHash('sha256').update(JSON.stringify(canonical)).digest('base64url');
}
