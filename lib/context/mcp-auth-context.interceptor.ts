import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Observable } from 'rxjs';
import type { AuthInfo } from '../verification/auth-info.interface.js';
import { McpAuthContext } from './mcp-auth-context.js';

/**
 * Makes the request's {@link AuthInfo} current for the handler and everything it awaits. A guard can't do
 * this itself (its async context ends when it returns), so the guard attaches `req.auth` and this
 * interceptor, which runs right after guards, enters the context. Requests without `req.auth` pass untouched.
 */
@Injectable()
export class McpAuthContextInterceptor implements NestInterceptor {
  constructor(private readonly context: McpAuthContext) {}

  intercept(executionContext: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (executionContext.getType() !== 'http') return next.handle();
    const auth = executionContext.switchToHttp().getRequest<{ auth?: AuthInfo }>().auth;
    if (!auth) return next.handle();
    return new Observable((subscriber) => this.context.run(auth, () => next.handle().subscribe(subscriber)));
  }
}
