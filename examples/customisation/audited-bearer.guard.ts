import { Injectable } from '@nestjs/common';
import { AuthInfo, BearerAuthGuard, type HttpRequestLike } from 'nestjs-mcp-auth';

@Injectable()
export class AuditedBearerGuard extends BearerAuthGuard {
  protected override attachAuthInfo(request: HttpRequestLike, auth: AuthInfo): void {
    super.attachAuthInfo(request, auth);
    this.logger.log(`call by ${auth.principalId}`); // the guard's logger (context McpAuth); never the token
  }
}
