import { AsyncLocalStorage } from 'node:async_hooks';
import { Injectable } from '@nestjs/common';
import type { AuthInfo } from '../verification/auth-info.interface.js';

const storage = new AsyncLocalStorage<AuthInfo>();

/** The current caller, for code outside dependency injection (parameter decorators); see {@link McpAuthContext}. */
export function currentAuthInfo(): AuthInfo | undefined {
  return storage.getStore();
}

/**
 * The caller's {@link AuthInfo} for the request being handled, readable from any provider that runs
 * within it (an MCP tool, a service it calls), without passing it down by hand. Backed by
 * AsyncLocalStorage; set for each request that `BearerAuthGuard` let through, never shared between
 * requests (MCP 2026-07-28 statelessness).
 */
@Injectable()
export class McpAuthContext {
  /** The current caller, or `undefined` outside an authenticated request. */
  get(): AuthInfo | undefined {
    return storage.getStore();
  }

  /** The current caller; throws when called outside an authenticated request. */
  getOrThrow(): AuthInfo {
    const auth = storage.getStore();
    if (!auth) {
      throw new Error(
        'McpAuthContext: no authenticated request in scope. Call it while handling a request guarded by BearerAuthGuard.',
      );
    }
    return auth;
  }

  /** Runs `callback` with `auth` as the current caller (used by the interceptor; handy in tests). */
  run<T>(auth: AuthInfo, callback: () => T): T {
    return storage.run(auth, callback);
  }
}
