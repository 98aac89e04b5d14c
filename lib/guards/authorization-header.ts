/** What the request's credentials turned out to be. */
export type AuthorizationHeaderParseResult =
  | { kind: 'bearer'; token: string }
  /** `DPoP <token>` (RFC 9449 §7.1): a DPoP-bound token, to be presented with a `DPoP` proof header. */
  | { kind: 'dpop'; token: string }
  /** No Authorization header, an empty one, or another scheme (e.g. `Basic`): a bare challenge. */
  | { kind: 'absent' }
  /** A header that claims Bearer but breaks the syntax, or more than one header: 400. */
  | { kind: 'malformed'; reason: string };

/**
 * Longest token we are willing to look at. Real access tokens stay well under this (an Entra token with
 * group claims is a few KB); anything longer is rejected before any parsing or cryptography.
 */
export const MAX_TOKEN_LENGTH = 16 * 1024;

// OAuth 2.1 §5.1.1: credentials = "Bearer" 1*SP b64token; b64token (token68) = 1*(ALPHA/DIGIT/"-._~+/") *"=".
const BEARER_SCHEME = /^bearer(?: +|$)/i;
const DPOP_SCHEME = /^dpop(?: +|$)/i;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const SCHEME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+/;

/**
 * Parses the Authorization header values of one request. Takes every value that arrived (Node keeps only
 * the first `Authorization` header in `req.headers`, so the caller passes what `rawHeaders` holds).
 */
export function parseAuthorizationHeader(values: readonly string[]): AuthorizationHeaderParseResult {
  if (values.length > 1) return { kind: 'malformed', reason: 'More than one Authorization header' };
  const value = values[0];
  if (value === undefined) return { kind: 'absent' };
  // The shape every client sends, `Bearer <token>`, is recognised without a regular expression over the
  // header; anything else takes the general path below.
  if (value.charCodeAt(6) === 32 && value.charCodeAt(7) !== 32 && value.slice(0, 6).toLowerCase() === 'bearer') {
    return parseBearerToken(value.slice(7));
  }
  if (value.trim() === '') return { kind: 'absent' };

  const scheme = SCHEME.exec(value);
  if (DPOP_SCHEME.test(value)) {
    return parseCredentials(value.slice(value.search(/ |$/)).replace(/^ +/, ''), 'dpop');
  }
  if (!BEARER_SCHEME.test(value)) {
    // Another scheme is "no Bearer credentials" (RFC 6750 §3.1); garbage with no scheme at all is malformed.
    return scheme && (value.length === scheme[0].length || value[scheme[0].length] === ' ')
      ? { kind: 'absent' }
      : { kind: 'malformed', reason: 'The Authorization header has no valid scheme' };
  }

  return parseBearerToken(value.slice(value.search(/ |$/)).replace(/^ +/, ''));
}

/**
 * Checks the credentials after `Bearer` and its spaces: not empty, at most {@link MAX_TOKEN_LENGTH}, token68.
 * Also used where a token arrives without our header parsing (the MCP SDK's bearer helpers), so that every
 * path has the same limits.
 */
export function parseBearerToken(token: string): AuthorizationHeaderParseResult {
  return parseCredentials(token, 'bearer');
}

/** The same limits for the token of either scheme. */
function parseCredentials(token: string, kind: 'bearer' | 'dpop'): AuthorizationHeaderParseResult {
  const [scheme, noun] = kind === 'bearer' ? ['Bearer', 'bearer token'] : ['DPoP', 'DPoP-bound token'];
  if (token === '') return { kind: 'malformed', reason: `The ${scheme} credentials are empty` };
  if (token.length > MAX_TOKEN_LENGTH) return { kind: 'malformed', reason: `The ${noun} is too long` };
  if (!TOKEN68.test(token)) return { kind: 'malformed', reason: `The ${noun} is not token68 syntax` };
  return { kind, token };
}
