const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/**
 * Whether a JWS segment is the one base64url encoding of its bytes: base64url alphabet only, no `=`
 * padding, no impossible length, and zero pad bits in the last character (RFC 7515 §2, RFC 4648 §3.5).
 *
 * Base64 decoders are lenient — they accept `sig==` and a last character whose unused bits are set — so
 * without this check the same signed bytes would have many spellings. With it, the signing input (the
 * first two segments) has exactly one spelling for what the issuer signed. The signature segment does not:
 * an ECDSA signature (r, s) has a twin (r, n − s) that verifies as well, and an issuer may sign the same
 * claims twice. So a deny-list, rate limit or log search must key on the signing input, or on `iss` and
 * `jti`, never on the whole token string.
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

/** A compact JWS taken apart, nothing verified yet. */
export interface DecodedCompactJws {
  /** The JOSE header (a JSON object). */
  header: Record<string, unknown>;
  /** The payload, parsed as a JWT claims set (a JSON object). */
  claims: Record<string, unknown>;
  /** `BASE64URL(header) '.' BASE64URL(payload)`: the bytes the signature covers. */
  signingInput: Buffer;
  /** The signature bytes. */
  signature: Buffer;
}

/**
 * Takes apart a token that {@link isCompactJws} accepted (RFC 7519 §7.2, short of verifying): `undefined`
 * unless its header and payload are UTF-8 JSON objects.
 */
export function decodeCompactJws(token: string): DecodedCompactJws | undefined {
  const headerEnd = token.indexOf('.');
  const payloadEnd = token.lastIndexOf('.');
  const header = jsonObject(token.slice(0, headerEnd));
  const claims = header && jsonObject(token.slice(headerEnd + 1, payloadEnd));
  if (!header || !claims) return undefined;
  return {
    header,
    claims,
    signingInput: Buffer.from(token.slice(0, payloadEnd), 'latin1'),
    signature: Buffer.from(token.slice(payloadEnd + 1), 'base64url'),
  };
}

/**
 * Strict UTF-8 (RFC 7515 §5.2 step 8, RFC 7519 §7.2 step 10): bytes that are not UTF-8 are an error, not
 * U+FFFD, which would let different signed bytes read as the same claim (`FF FE` and `FE FF` as "��").
 * A byte order mark is kept, so that JSON.parse refuses it as it refuses any other stray character.
 */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function jsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(UTF8.decode(Buffer.from(segment, 'base64url')));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
