import { Logger } from '@nestjs/common';
import { isPromise, type MaybePromise } from '../common/maybe-promise.js';
import { MCP_AUTH_LOGGER_CONTEXT } from '../mcp-auth.constants.js';
import type { VerifyAccessTokenFunction } from '../options/mcp-auth-options.interface.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import type { AuthInfo } from './auth-info.interface.js';
import { authInfoFromClaims } from './token-claims.js';
import { outcomeOfVerifierError } from './verifier-error-mapping.js';

/**
 * Puts application verification code — an `AccessTokenVerifier` subclass given as the `verifier` extra,
 * or the `verifyAccessToken` function — behind the guard, with what it throws mapped to the right answer
 * (see {@link outcomeOfVerifierError}: our failures keep their status, anything unexpected is a logged 503).
 */
export class CustomAccessTokenVerifier extends AccessTokenVerifier {
  private readonly logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);

  constructor(private readonly delegate: (token: string, resource: ResolvedProtectedResource) => MaybePromise<AuthInfo>) {
    super();
  }

  /** Wraps an application `AccessTokenVerifier` instance, keeping its synchronous answers synchronous. */
  static wrapping(verifier: AccessTokenVerifier): CustomAccessTokenVerifier {
    return new CustomAccessTokenVerifier((token, resource) => verifier.verifySyncIfPossible(token, resource));
  }

  /**
   * Wraps a `verifyAccessToken` function: its claims become the AuthInfo, with the claim mapping of the
   * configured server whose issuer they name, else the global one.
   */
  static fromFunction(verify: VerifyAccessTokenFunction, options: ResolvedMcpAuthOptions): CustomAccessTokenVerifier {
    return new CustomAccessTokenVerifier(async (token, resource) => {
      const claims: unknown = await verify(token, resource);
      if (typeof claims !== 'object' || claims === null || typeof (claims as Record<string, unknown>).iss !== 'string') {
        throw new TypeError('verifyAccessToken must return the token claims, with an "iss" string');
      }
      const issuer = (claims as { iss: string }).iss;
      const mapClaims = options.authorizationServers.get(issuer)?.mapClaims ?? options.mapClaims;
      return authInfoFromClaims(token, { ...claims }, resource, mapClaims);
    });
  }

  async verify(token: string, resource: ResolvedProtectedResource): Promise<AuthInfo> {
    return this.verifySyncIfPossible(token, resource);
  }

  /** The delegate's answer, with whatever it throws or rejects with mapped the same way. */
  override verifySyncIfPossible(token: string, resource: ResolvedProtectedResource): MaybePromise<AuthInfo> {
    let answer: MaybePromise<AuthInfo>;
    try {
      answer = this.delegate(token, resource);
    } catch (thrown) {
      throw this.mapped(thrown, token);
    }
    return isPromise(answer)
      ? answer.catch((thrown: unknown) => {
          throw this.mapped(thrown, token);
        })
      : answer;
  }

  private mapped(thrown: unknown, token: string): Error {
    const { error, log } = outcomeOfVerifierError(thrown, token);
    if (log) this.logger.error(log);
    return error;
  }
}
