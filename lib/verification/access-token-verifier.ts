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

  /**
   * The {@link AuthInfo} `verify()` would give for a token it verified recently and still trusts, found
   * with no I/O and no promise; `undefined` whenever `verify()` has to run. The guard asks this first, so a
   * client that reuses its token (as MCP clients do) costs no asynchronous work. The default knows nothing.
   */
  verifyFromCache(_token: string, _resource: ResolvedProtectedResource): AuthInfo | undefined {
    return undefined;
  }
}
