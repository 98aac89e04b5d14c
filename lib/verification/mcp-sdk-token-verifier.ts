import { Inject, Injectable } from '@nestjs/common';
import { MCP_AUTH_RESOLVED_OPTIONS } from '../mcp-auth.constants.js';
import { AuthenticationFailure } from '../errors/authentication-failures.js';
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
          return await this.verifier.verify(token, target);
        } catch (error) {
          if (!(error instanceof AuthenticationFailure)) throw error;
          const sdk = await this.loadSdkErrors();
          if (!sdk) throw error;
          // The SDK maps invalid_token to 401 and server_error to 500; an outage must not look like a bad token.
          throw new sdk.OAuthError(error.status === 503 ? 'server_error' : 'invalid_token', error.publicDescription ?? 'Unauthorized');
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
