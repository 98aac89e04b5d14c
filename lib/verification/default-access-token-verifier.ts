import { Injectable } from '@nestjs/common';
import { IntrospectionAccessTokenVerifier } from '../introspection/introspection-access-token-verifier.js';
import type { MaybePromise } from '../common/maybe-promise.js';
import type { ResolvedProtectedResource } from '../options/resolved-options.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import type { AuthInfo } from './auth-info.interface.js';
import { JwtAccessTokenVerifier } from './jwt-access-token-verifier.js';

// Three parts, whatever they hold: the shape of a compact JWS to any JWT library, including one that decodes
// leniently (`=` padding, `+` and `/`, set pad bits). Opaque tokens (oidc-provider, Keycloak lightweight,
// Okta opaque) have no dots; a JWE has five parts and goes to introspection, where the server decrypts it.
const JWS_SHAPED = /^[^.]*\.[^.]*\.[^.]*$/;

/**
 * The verifier the module provides: each resource's tokens are checked the way its `tokenFormat` says.
 * `jwt` locally against the issuer's keys, `opaque` by introspection, `mixed` by shape: anything with the
 * three parts of a compact JWS is verified as a JWT only — a forged, expired or re-spelled one is refused,
 * never sent to the authorization server for a second opinion (which would skip the local policy: `typ`,
 * algorithms, maximum age) — and anything else is introspected.
 */
@Injectable()
export class DefaultAccessTokenVerifier extends AccessTokenVerifier {
  constructor(
    private readonly jwt: JwtAccessTokenVerifier,
    private readonly introspection: IntrospectionAccessTokenVerifier,
  ) {
    super();
  }

  override verifySyncIfPossible(token: string, resource: ResolvedProtectedResource): MaybePromise<AuthInfo> {
    return this.isJwtFor(token, resource) ? this.jwt.verifySyncIfPossible(token, resource) : this.introspection.verify(token, resource);
  }

  async verify(token: string, resource: ResolvedProtectedResource): Promise<AuthInfo> {
    return this.verifySyncIfPossible(token, resource);
  }

  /** Whether the resource checks this token as a JWT (`jwt`, or `mixed` and shaped as a compact JWS). */
  private isJwtFor(token: string, resource: ResolvedProtectedResource): boolean {
    return resource.tokenFormat === 'jwt' || (resource.tokenFormat === 'mixed' && JWS_SHAPED.test(token));
  }
}
