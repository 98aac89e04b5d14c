import { Injectable } from '@nestjs/common';

/** The claims of an API token, as your token service or database keeps them. */
export interface ApiTokenClaims {
  iss: string;
  sub: string;
  client_id: string;
  scope: string;
  aud: string;
  exp: number;
}

/** Stands in for your token service: API tokens issued by your own application. */
@Injectable()
export class TokenService {
  private readonly tokens = new Map<string, ApiTokenClaims>();

  issue(token: string, claims: ApiTokenClaims): void {
    this.tokens.set(token, claims);
  }

  async lookUp(token: string): Promise<ApiTokenClaims | undefined> {
    return Promise.resolve(this.tokens.get(token));
  }
}
