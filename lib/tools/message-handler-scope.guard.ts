import type { CanActivate } from '@nestjs/common';
import { guardToolMethod, type ToolMethodPolicy } from './tool-method-guard.js';

/**
 * Enforces `@RequireScopes()` on a controller's microservice message handler, such as an MCP-Nest tool.
 * `BearerAuthGuard` authenticated the HTTP request that carries the call; this checks the caller it found
 * (from `McpAuthContext`) before the handler runs, exactly as a guarded tool provider method does, and
 * refuses with `MissingCredentialsFailure` or `InsufficientScopeFailure`.
 */
export class MessageHandlerScopeGuard implements CanActivate {
  private readonly check: () => unknown;

  constructor(readonly policy: Omit<ToolMethodPolicy, 'authInfoParameters'>) {
    // The check a guarded tool method runs, with nothing to run after it.
    this.check = guardToolMethod(() => true, { ...policy, authInfoParameters: [] });
  }

  canActivate(): boolean {
    this.check();
    return true;
  }
}
