/** What a Bearer challenge carries (RFC 6750 §3, RFC 9728 §5.1, MCP scope challenges). */
export interface BearerChallenge {
  /** Absolute URL of the protected resource metadata document (RFC 9728 `resource_metadata`). */
  resourceMetadataUrl?: string;
  /** Scopes the client should request. */
  scopes?: readonly string[];
  /** RFC 6750 error code; omitted when the request carried no credentials. */
  error?: string;
  /** Human-readable detail. */
  errorDescription?: string;
}

// RFC 6750 §3: scope-token = 1*NQCHAR; error and error_description = *NQSCHAR (NQSCHAR adds space).
const NOT_NQCHAR = /[^\x21\x23-\x5B\x5D-\x7E]/g;
const NOT_NQSCHAR = /[^\x20\x21\x23-\x5B\x5D-\x7E]/g;
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/;

/**
 * Builds a `WWW-Authenticate: Bearer …` value that always satisfies the RFC 6750 grammar, whatever it is
 * given: characters a parameter may not hold are dropped rather than escaped, because RFC 6750 forbids
 * `"` and `\` in these values outright, and one bad header is enough to break a strict client's parser.
 */
export function buildBearerChallenge(challenge: BearerChallenge): string {
  const parameters = challengeParameters(challenge);
  return parameters.length > 0 ? `Bearer ${parameters.join(', ')}` : 'Bearer';
}

/** What a DPoP challenge carries (RFC 9449 §7.1): a Bearer challenge's parameters and the accepted proof algorithms. */
export interface DpopChallenge extends BearerChallenge {
  /** JWS algorithms accepted for proofs (`algs`). */
  algorithms: readonly string[];
}

/** Builds a `WWW-Authenticate: DPoP …` value, with the grammar guarantees of {@link buildBearerChallenge}. */
export function buildDpopChallenge(challenge: DpopChallenge): string {
  const parameters = challengeParameters(challenge);
  const algs = challenge.algorithms.filter((alg) => SCOPE_TOKEN.test(alg)).join(' ');
  if (algs) parameters.push(`algs="${algs}"`);
  return parameters.length > 0 ? `DPoP ${parameters.join(', ')}` : 'DPoP';
}

function challengeParameters(challenge: BearerChallenge): string[] {
  const parameters: string[] = [];
  if (challenge.error !== undefined) {
    const error = challenge.error.replace(NOT_NQCHAR, '');
    if (error) parameters.push(`error="${error}"`);
  }
  if (challenge.errorDescription !== undefined) {
    const description = challenge.errorDescription.replace(NOT_NQSCHAR, '').trim();
    if (description) parameters.push(`error_description="${description}"`);
  }
  const scope = scopeParameter(challenge.scopes);
  if (scope) parameters.push(`scope="${scope}"`);
  if (challenge.resourceMetadataUrl) {
    // A URL is a quoted-string here (RFC 9728 §5.1); a URL we built never holds `"` or `\`, but drop them anyway.
    parameters.push(`resource_metadata="${challenge.resourceMetadataUrl.replace(NOT_NQCHAR, '')}"`);
  }
  return parameters;
}

/**
 * Space-separated, de-duplicated scope tokens, with `offline_access` left out (MCP 2026-07-28, C10).
 * A value that is not a valid scope token is left out whole, never trimmed into one: `c\d` must not
 * become a `cd` the client would then go and ask for.
 */
function scopeParameter(scopes: readonly string[] | undefined): string {
  if (!scopes) return '';
  const tokens = new Set<string>();
  for (const scope of scopes) {
    if (SCOPE_TOKEN.test(scope) && scope !== 'offline_access') tokens.add(scope);
  }
  return [...tokens].join(' ');
}
