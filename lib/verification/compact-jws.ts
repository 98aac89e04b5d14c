const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Whether a JWS segment is the one base64url encoding of its bytes: base64url alphabet only, no `=`
 * padding, no impossible length, and zero pad bits in the last character (RFC 7515 §2, RFC 4648 §3.5).
 *
 * Base64 decoders are lenient — they accept `sig==` and a last character whose unused bits are set — so
 * without this check one signed token has many spellings that all verify. A client could then slip a
 * revoked or rate-limited token past anything that compares tokens as strings (a deny-list, a cache key,
 * a log search). One token, one string.
 */
export function isCanonicalBase64url(segment: string): boolean {
  if (!BASE64URL.test(segment)) return false;
  const remainder = segment.length % 4;
  if (remainder === 0) return true;
  if (remainder === 1) return false; // 6 bits cannot end a byte
  // 2 characters carry 1 byte (4 unused bits), 3 characters carry 2 bytes (2 unused bits).
  const lastValue = BASE64URL_ALPHABET.indexOf(segment[segment.length - 1]!);
  return (lastValue & (remainder === 2 ? 0b1111 : 0b11)) === 0;
}

/**
 * Whether a token is shaped as a signed compact JWS (RFC 7515 §7.1): exactly three non-empty canonical
 * base64url segments. Rules out JWE (five segments), unsecured JWTs (empty signature) and re-spelled tokens
 * before anything is decoded.
 */
export function isCompactJws(token: string): boolean {
  const segments = token.split('.');
  return segments.length === 3 && segments.every(isCanonicalBase64url);
}
