import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import { McpAuthContext } from './mcp-auth-context.js';
import { verifiedAuthInfo } from './verified-auth-info.js';

/**
 * Makes the request's verified {@link AuthInfo} current for the handler and everything it awaits. A guard
 * can't do this itself (its async context ends when it returns), so the guard records the caller on the
 * request and this interceptor, which runs right after guards, enters the context.
 *
 * Routes that name `BearerAuthGuard` in `@UseGuards()` don't need it: McpAuthModule enters the context for
 * them at no interceptor cost. Register it yourself (`APP_INTERCEPTOR`) when the guard is global (`APP_GUARD`).
 */
@Injectable()
export class McpAuthContextInterceptor implements NestInterceptor {
  constructor(private readonly context: McpAuthContext) {}

  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (executionContext.getType() !== 'http') return next.handle();
    const auth = verifiedAuthInfo(executionContext.switchToHttp().getRequest<object>());
    if (!auth) return next.handle();
    return new Observable((subscriber) => this.context.run(auth, () => next.handle().subscribe(subscriber)));
  }
}
