import { describe, expect, it } from 'vitest';
import { McpAuthContext } from '../../../lib/context/mcp-auth-context.js';
import type { AuthInfo } from '../../../lib/verification/auth-info.interface.js';

const auth = { subject: 'alice' } as AuthInfo;

describe('McpAuthContext', () => {
  const context = new McpAuthContext();

  it('has no caller outside a request', () => {
    expect(context.get()).toBeUndefined();
    expect(() => context.getOrThrow()).toThrow(/no authenticated request in scope/);
  });

  it('exposes the caller inside run(), across awaits, and forgets it afterwards (T15)', async () => {
    const seen = await context.run(auth, async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      return [context.get(), context.getOrThrow()];
    });
    expect(seen).toEqual([auth, auth]);
    expect(context.get()).toBeUndefined();
  });
});
