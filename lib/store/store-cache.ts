import { Logger } from '@nestjs/common';
import { MCP_AUTH_LOGGER_CONTEXT } from '../mcp-auth.constants.js';
import type { McpAuthStore } from './mcp-auth-store.js';

/** Log at most one store failure per this many milliseconds, so an outage doesn't flood the log. */
const FAILURE_LOG_INTERVAL_MS = 30_000;

/**
 * A JSON cache over the {@link McpAuthStore} that treats the store as an optimisation: a failing store
 * (Redis down, a timeout) reads as a miss and a failed write is dropped, so requests go on being checked
 * with the authorization server. Used for data that can always be fetched again; never for replay
 * protection, which must fail closed.
 */
export class StoreCache<T> {
  private readonly logger = new Logger(MCP_AUTH_LOGGER_CONTEXT);
  private lastFailureLog = 0;

  constructor(
    private readonly store: McpAuthStore,
    /** Namespace of this cache's keys, e.g. `introspection:`. */
    private readonly namespace: string,
    /** Checks what comes back, so a corrupt or foreign value is a miss rather than trusted. */
    private readonly isValue: (value: unknown) => value is T,
  ) {}

  async get(key: string): Promise<T | undefined> {
    let text: string | undefined;
    try {
      text = await this.store.get(this.namespace + key);
    } catch (error) {
      this.reportFailure('read', error);
      return undefined;
    }
    if (text === undefined) return undefined;
    try {
      const value = JSON.parse(text) as unknown;
      return this.isValue(value) ? value : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: T, ttlMs: number): Promise<void> {
    if (!(ttlMs >= 1)) return;
    try {
      await this.store.set(this.namespace + key, JSON.stringify(value), Math.floor(ttlMs));
    } catch (error) {
      this.reportFailure('write', error);
    }
  }

  private reportFailure(operation: 'read' | 'write', error: unknown): void {
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.lastFailureLog = now;
    // Only the error's own message: keys are hashes and values never reach this line.
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(`The shared store failed to ${operation} ${this.namespace}* (${reason}); carrying on without it`);
  }
}
