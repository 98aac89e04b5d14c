import { hash } from 'node:crypto';

/**
 * The key under which anything about a token is cached: a SHA-256 of the scope it was checked for (a
 * resource, an issuer) and the token, so no cache ever holds a raw token (RFC 9700 §4.9.3) and a result for
 * one scope is never found under another. One-shot hashing: several times cheaper than a Hash object here.
 */
export function tokenHash(scope: string, token: string): string {
  return hash('sha256', `${scope}\n${token}`, 'base64url');
}
