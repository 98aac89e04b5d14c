import { Inject, Injectable } from '@nestjs/common';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import { AuthenticationFailure, InvalidRequestFailure } from '../errors/authentication-failures.js';
import { parseBearerToken } from '../guards/authorization-header.js';
import type { ResolvedMcpAuthOptions, ResolvedProtectedResource } from '../options/resolved-options.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import type { AuthInfo } from './auth-info.interface.js';

/** Structurally the MCP SDK v2 `OAuthTokenVerifier`. */
export interface OAuthTokenVerifier {
  verifyAccessToken(token: string): Promise<AuthInfo>;
}

interface SdkOAuthErrors {
  OAuthError: new (code: string, message: string) => Error;
}

/**
 * Offers our verifier to code that uses the MCP SDK's own bearer helpers (`requireBearerAuth`,
 * `verifyBearerToken`) instead of the Nest guard. The SDK answers 401 only for its own `OAuthError`
 * class, so failures are rethrown as that class, loaded from `@modelcontextprotocol/server` when installed.
 * The SDK splits the header on a space and hands over whatever follows, so the token gets the guard's
 * checks first (at most 16 KB, token68): nothing reaches the verifier that the guard would have refused.
 */
@Injectable()
export class McpSdkTokenVerifier {
  private sdkErrors?: Promise<SdkOAuthErrors | undefined>;

  constructor(
    private readonly verifier: AccessTokenVerifier,
    @Inject(MCP_AUTH_RESOLVED_OPTIONS) private readonly options: ResolvedMcpAuthOptions,
  ) {}

  /** An `OAuthTokenVerifier` that accepts tokens for the given resource identifier. */
  forResource(resource: string): OAuthTokenVerifier {
    const target = this.findResource(resource);
    return {
      verifyAccessToken: async (token) => {
        try {
          const parsed = parseBearerToken(token);
          if (parsed.kind === 'malformed') throw new InvalidRequestFailure(parsed.reason);
          return await this.verifier.verify(token, target);
        } catch (error) {
          if (!(error instanceof AuthenticationFailure)) throw error;
          const sdk = await this.loadSdkErrors();
          if (!sdk) throw error;
          throw new sdk.OAuthError(sdkErrorCode(error), error.publicDescription ?? 'Unauthorized');
        }
      },
    };
  }

  private findResource(resource: string): ResolvedProtectedResource {
    const target = this.options.resources.find((candidate) => candidate.resource === resource);
    if (!target) throw new Error(`McpSdkTokenVerifier: ${resource} is not a configured protected resource`);
    return target;
  }

  private loadSdkErrors(): Promise<SdkOAuthErrors | undefined> {
    this.sdkErrors ??= import('@modelcontextprotocol/server')
      .then((module: Record<string, unknown>) => (typeof module.OAuthError === 'function' ? (module as unknown as SdkOAuthErrors) : undefined))
      .catch(() => undefined);
    return this.sdkErrors;
  }
}

/**
 * The SDK answers `invalid_token` with 401, `server_error` with 500 and any other code with 400: an outage
 * must not look like a bad token, and a malformed one is a 400 as it is from the guard.
 */
function sdkErrorCode(failure: AuthenticationFailure): 'server_error' | 'invalid_request' | 'invalid_token' {
  if (failure.status === 503) return 'server_error';
  return failure.error === 'invalid_request' ? 'invalid_request' : 'invalid_token';
}
