import { Injectable } from '@nestjs/common';
import { AccessTokenVerifier, AuthInfo, authInfoFromClaims, InvalidTokenFailure, type ResolvedProtectedResource } from 'nestjs-mcp-auth';

import { TokenService } from './token.service.js';

// A class: extend AccessTokenVerifier and pass it as the `verifier` extra. It may inject the module's
// providers, e.g. JwtAccessTokenVerifier or IntrospectionAccessTokenVerifier to delegate to.
@Injectable()
export class TokenServiceVerifier extends AccessTokenVerifier {
  constructor(private readonly tokens: TokenService) {
    super();
  }

  async verify(token: string, resource: ResolvedProtectedResource): Promise<AuthInfo> {
    const claims = await this.tokens.lookUp(token);
    if (!claims || !resource.audiences.includes(claims.aud)) throw new InvalidTokenFailure('Unknown token');
    return authInfoFromClaims(token, { ...claims }, resource);
  }
}
