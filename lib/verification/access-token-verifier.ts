import type { MaybePromise } from '../common/maybe-promise.js';
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
   * `verify()`, but answering synchronously (and throwing synchronously) whenever it can: the built-in JWT
   * verifier does for a token it verified recently, which is what MCP clients send on every request. The
   * guard calls this, so such a request costs it no promise at all. The default defers to `verify()`;
   * override both or neither, with the same outcome.
   */
  verifySyncIfPossible(token: string, resource: ResolvedProtectedResource): MaybePromise<AuthInfo> {
    return this.verify(token, resource);
  }
}
