import type { ResolvedProtectedResource } from '../options/resolved-options.js';
import type { AuthInfo } from './auth-info.interface.js';

/**
 * Turns a bearer token into an {@link AuthInfo} for one protected resource, or throws an
 * `AuthenticationFailure` (`InvalidTokenFailure` → 401, `AuthorizationServerUnavailableFailure` → 503).
 *
 * The default implementation verifies JWTs; provide another class under this token to verify opaque
 * tokens or to call your own service. Scope checks are not the verifier's job: the guard does them.
 */
export abstract class AccessTokenVerifier {
  abstract verify(token: string, resource: ResolvedProtectedResource): Promise<AuthInfo>;
}
