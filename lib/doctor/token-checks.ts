import { AuthenticationFailure } from '../errors/authentication-failures.js';
import type { ClaimsMapper } from '../options/mcp-auth-options.interface.js';
import type { ResolvedProtectedResource } from '../options/resolved-options.js';
import { missingScopes, type CompiledScopeHierarchy } from '../scopes/scope-matching.js';
import { isAcceptedTokenType } from '../verification/jwt-access-token-verifier.js';
import { validateJwtClaims } from '../verification/jwt-claims-validation.js';
import { audienceFromClaims, authInfoFromClaims } from '../verification/token-claims.js';
import { fail, pass, type DoctorCheck } from './doctor-check.js';
import { audienceFixFor, PROVIDER_PRESETS, type PresetName } from './provider-presets.js';

/** The token is no JWS at all: nothing else about it can be checked. */
export function malformedTokenCheck(): DoctorCheck {
  return fail(
    'Token is a signed JWT',
    'The token is not a canonically encoded compact JWS (three base64url parts)',
    'Pass the access token itself (not the ID token, not "Bearer …"); for opaque tokens use --token-format opaque',
  );
}

/** The JOSE header's `alg` is one the verifier accepts. */
export function algorithmCheck(alg: unknown, algorithms: readonly string[]): DoctorCheck {
  const title = 'Token algorithm accepted';
  if (typeof alg === 'string' && algorithms.includes(alg)) return pass(title, alg);
  return fail(
    title,
    `alg is ${JSON.stringify(alg ?? null)}; accepted: ${algorithms.join(', ')}`,
    'Have the authorization server sign access tokens with an asymmetric algorithm (RS256, ES256…); HS256 and none are never accepted',
  );
}

/** What resolving the key and checking the signature came to. */
export type SignatureOutcome =
  | { kind: 'verified'; kid: string | undefined }
  | { kind: 'bad-signature'; kid: string | undefined }
  | { kind: 'no-key'; reason: string }
  | { kind: 'unavailable'; reason: string };

export function signatureCheck(outcome: SignatureOutcome): DoctorCheck {
  const title = 'Token signature and key';
  switch (outcome.kind) {
    case 'verified':
      return pass(title, `verified with ${outcome.kid === undefined ? 'the only fitting key' : `kid ${JSON.stringify(outcome.kid)}`} from the JWKS`);
    case 'bad-signature':
      return fail(title, 'The signature does not verify with the published key', 'The token was altered, or signed by another server that reuses the kid: get a fresh token from this issuer');
    case 'no-key':
      return fail(title, outcome.reason, 'The token was signed with a key this issuer does not publish: check that it comes from this issuer, and that a rotated key is published before use');
    case 'unavailable':
      return fail(title, outcome.reason, 'Make the JWKS reachable from the resource server');
  }
}

/** `iss` equals the configured issuer exactly (T7); a preset may know why it does not. */
export function issuerClaimCheck(claims: Readonly<Record<string, unknown>>, issuer: string, preset: PresetName | undefined): DoctorCheck {
  const title = 'Token iss is the issuer';
  const iss = claims.iss;
  if (iss === issuer) return pass(title, issuer);
  const specific = typeof iss === 'string' && preset !== undefined ? PROVIDER_PRESETS[preset].issuerFix?.(issuer, iss) : undefined;
  return fail(
    title,
    `iss is ${JSON.stringify(iss ?? null)}, expected exactly ${JSON.stringify(issuer)}`,
    specific ?? 'Get the token from the configured issuer, or configure the issuer the token names (byte for byte, trailing slash included)',
  );
}

/** `aud` holds one of the resource's accepted audiences (T8), with the provider's fix when it does not. */
export function audienceCheck(claims: Readonly<Record<string, unknown>>, resource: ResolvedProtectedResource, preset: PresetName | undefined): DoctorCheck {
  const title = `Token aud accepted by ${resource.resource}`;
  const audience = audienceFromClaims(claims);
  const accepted = audience.find((value) => resource.audiences.includes(value));
  if (accepted !== undefined) return pass(title, `aud contains ${accepted}`);
  return fail(
    title,
    audience.length === 0 ? 'The token has no aud claim' : `aud is ${JSON.stringify(audience)}; accepted: ${JSON.stringify(resource.audiences)}`,
    audienceFixFor(preset, resource.resource, audience),
  );
}

/** The JOSE `typ` passes the `jwt.typ` policy (T6). */
export function typeCheck(typ: unknown, policy: 'strict' | 'lenient'): DoctorCheck {
  const title = `Token typ (${policy})`;
  const shown = typ === undefined ? 'no typ' : `typ ${JSON.stringify(typ)}`;
  if (isAcceptedTokenType(typ, policy)) return pass(title, shown);
  return fail(
    title,
    `${shown} is not an access token type under the ${policy} policy`,
    policy === 'strict'
      ? 'Have the authorization server issue RFC 9068 tokens (typ at+jwt), or use jwt.typ "lenient"'
      : 'This is not an access token (an ID token or another JWT): send the access token',
  );
}

/**
 * `exp` (required), `nbf` and `iat`, by the verifier's own `validateJwtClaims` with `iss` and `aud` set
 * aside (their own lines say what is wrong with them).
 */
export function lifetimeCheck(claims: Readonly<Record<string, unknown>>, clockToleranceSeconds: number, nowSeconds: number): DoctorCheck {
  const title = 'Token exp / nbf / iat';
  const timesOnly = { ...claims, iss: 'iss', aud: 'aud' };
  try {
    validateJwtClaims(timesOnly, { issuer: 'iss', audiences: ['aud'], clockToleranceSeconds, requiredClaims: [] }, nowSeconds);
  } catch (error) {
    const reason = error instanceof AuthenticationFailure ? error.detail : String(error);
    const exp = claims.exp;
    return fail(
      title,
      `${reason}${typeof exp === 'number' ? ` (exp ${describeFromNow(exp, nowSeconds)})` : ''}`,
      'Get a fresh token; if it was just issued, check the clocks of the authorization server and this host (NTP)',
    );
  }
  return pass(title, `expires ${describeFromNow(claims.exp as number, nowSeconds)}`);
}

/** Every `--scope` is granted, read the way the preset (or the standard claims) read them, hierarchy applied. */
export function scopeCheck(
  token: string,
  claims: Readonly<Record<string, unknown>>,
  resource: ResolvedProtectedResource,
  required: readonly string[],
  context: { mapClaims?: ClaimsMapper; hierarchy: CompiledScopeHierarchy },
): DoctorCheck {
  const title = 'Token scopes';
  const granted = authInfoFromClaims(token, claims, resource, context.mapClaims).scopes;
  const missing = missingScopes(required, granted, context.hierarchy);
  const shown = `granted: ${granted.join(' ') || '(none)'}; required: ${required.join(' ')}`;
  if (missing.length === 0) return pass(title, shown);
  return fail(title, `${shown}; missing: ${missing.join(' ')}`, `Request the token with scope="${missing.join(' ')}" and let the client be granted it${context.mapClaims ? '' : ' (or pick the --preset whose claims carry the scopes)'}`);
}

/** What the library's JWT verifier itself said about the token for one resource. */
export function verdictCheck(resource: string, outcome: { accepted: true } | { accepted: false; reason: string }): DoctorCheck {
  const title = `Guard's verifier accepts the token for ${resource}`;
  return outcome.accepted ? pass(title, 'accepted') : fail(title, outcome.reason, 'Fix the failing checks above');
}

function describeFromNow(epochSeconds: number, nowSeconds: number): string {
  const delta = epochSeconds - nowSeconds;
  const span = humanSpan(Math.abs(delta));
  return delta >= 0 ? `in ${span}` : `${span} ago`;
}

function humanSpan(seconds: number): string {
  if (seconds < 120) return `${seconds}s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}
