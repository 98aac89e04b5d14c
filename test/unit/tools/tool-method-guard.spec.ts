import { describe, expect, it, vi } from 'vitest';
import { InsufficientRoleFailure, InsufficientScopeFailure, MissingCredentialsFailure } from '../../../lib/errors/authentication-failures.js';
import { compileScopeHierarchy } from '../../../lib/scopes/scope-matching.js';
import { guardToolMethod, type ToolMethodPolicy } from '../../../lib/tools/tool-method-guard.js';
import type { AuthInfo } from '../../../lib/verification/auth-info.interface.js';
import { withHiddenToken } from '../../../lib/verification/token-claims.js';

function authWith(scopes: string[], roles: string[] = []): AuthInfo {
  return withHiddenToken(
    {
      clientId: 'client-a',
      scopes,
      roles,
      issuer: 'https://as.example.com',
      subject: 'user-1',
      audience: ['https://api.example.com/mcp'],
      principalId: 'https://as.example.com#user-1',
      principalType: 'user' as const,
      claims: {},
    },
    'raw.token.value',
  );
}

function policy(overrides: Partial<ToolMethodPolicy> = {}): ToolMethodPolicy {
  return {
    name: 'NotesTools.createNote',
    requiredScopes: [],
    authInfoParameters: [],
    hierarchy: compileScopeHierarchy({ 'notes:admin': ['write:notes'], 'write:notes': ['read:notes'] }),
    currentAuth: () => undefined,
    ...overrides,
  };
}

describe('guardToolMethod', () => {
  it('C12: refuses a caller without every required role, after the scopes pass', () => {
    const method = vi.fn((..._args: unknown[]) => 'ran');
    const guarded = guardToolMethod(
      method,
      policy({ requiredScopes: ['read:notes'], requiredRoles: ['editor', 'publisher'], currentAuth: () => authWith(['read:notes'], ['editor']) }),
    );
    expect(() => guarded()).toThrow(InsufficientRoleFailure);
    expect(() => guarded()).toThrow('NotesTools.createNote requires the roles: editor publisher');
    expect(method).not.toHaveBeenCalled();
  });

  it('a missing scope is reported before a missing role (the scope can be stepped up)', () => {
    const guarded = guardToolMethod(() => 'ran', policy({ requiredScopes: ['write:notes'], requiredRoles: ['editor'], currentAuth: () => authWith([]) }));
    expect(() => guarded()).toThrow(InsufficientScopeFailure);
  });

  it('runs for a caller holding every required role', () => {
    const guarded = guardToolMethod(() => 'ran', policy({ requiredRoles: ['editor'], currentAuth: () => authWith([], ['viewer', 'editor']) }));
    expect(guarded()).toBe('ran');
  });

  it('refuses to run without an authenticated caller', () => {
    const method = vi.fn((..._args: unknown[]) => 'ran');
    const guarded = guardToolMethod(method, policy({ requiredScopes: ['read:notes'] }));
    expect(() => guarded({ text: 'x' })).toThrow(MissingCredentialsFailure);
    expect(() => guarded({ text: 'x' })).toThrow(
      'NotesTools.createNote requires an authenticated caller and was called outside an authenticated request',
    );
    expect(method).not.toHaveBeenCalled();
  });

  it('refuses to run without an authenticated caller even when no scope is required', () => {
    const method = vi.fn((..._args: unknown[]) => 'ran');
    expect(() => guardToolMethod(method, policy())()).toThrow(MissingCredentialsFailure);
    expect(method).not.toHaveBeenCalled();
  });

  it.each([
    { granted: [], required: ['read:notes'] },
    { granted: ['read:notes'], required: ['write:notes'] },
    { granted: ['read:notes'], required: ['read:notes', 'write:notes'] },
    { granted: ['write:notes'], required: ['notes:admin'] },
    { granted: ['other'], required: ['read:notes', 'other', 'write:notes'] },
  ])('T12/C9: granted $granted, required $required → refused, naming every required scope', ({ granted, required }) => {
    const method = vi.fn((..._args: unknown[]) => 'ran');
    const guarded = guardToolMethod(method, policy({ requiredScopes: required, currentAuth: () => authWith(granted) }));
    let thrown: unknown;
    try {
      guarded();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InsufficientScopeFailure);
    expect((thrown as InsufficientScopeFailure).requiredScopes).toEqual(required);
    expect((thrown as InsufficientScopeFailure).status).toBe(403);
    expect((thrown as InsufficientScopeFailure).detail).toBe(`NotesTools.createNote requires the scopes: ${required.join(' ')}`);
    expect(method).not.toHaveBeenCalled();
  });

  it.each([
    { granted: ['read:notes'], required: [] },
    { granted: ['read:notes'], required: ['read:notes'] },
    { granted: ['write:notes'], required: ['read:notes'] },
    { granted: ['notes:admin'], required: ['read:notes', 'write:notes'] },
    { granted: ['read:notes', 'write:notes'], required: ['write:notes', 'read:notes'] },
  ])('T12: granted $granted, required $required → runs', ({ granted, required }) => {
    const method = vi.fn((..._args: unknown[]) => 'ran');
    const guarded = guardToolMethod(method, policy({ requiredScopes: required, currentAuth: () => authWith(granted) }));
    expect(guarded('input')).toBe('ran');
    expect(method).toHaveBeenCalledWith('input');
  });

  it('checks the caller on every call, never caching it', () => {
    let current: AuthInfo | undefined = authWith(['read:notes']);
    const guarded = guardToolMethod(() => 'ran', policy({ requiredScopes: ['read:notes'], currentAuth: () => current }));
    expect(guarded()).toBe('ran');
    current = undefined;
    expect(() => guarded()).toThrow(MissingCredentialsFailure);
    current = authWith([]);
    expect(() => guarded()).toThrow(InsufficientScopeFailure);
  });

  it('X1: injects the AuthInfo at the @AuthInfo() parameter index, replacing what the caller passed', () => {
    const auth = authWith(['read:notes']);
    const method = vi.fn((..._args: unknown[]) => undefined);
    const guarded = guardToolMethod(method, policy({ authInfoParameters: [{ index: 1 }], currentAuth: () => auth }));
    guarded({ text: 'x' }, 'forged');
    expect(method).toHaveBeenCalledWith({ text: 'x' }, auth);
    expect(method.mock.calls[0]![1]).toBe(auth);
  });

  it('injects one field of the AuthInfo, and several parameters at once', () => {
    const auth = authWith(['read:notes']);
    const method = vi.fn((..._args: unknown[]) => undefined);
    const guarded = guardToolMethod(
      method,
      policy({
        authInfoParameters: [{ index: 2, field: 'subject' }, { index: 0, field: 'scopes' }, { index: 3 }],
        currentAuth: () => auth,
      }),
    );
    guarded(undefined, 'input');
    expect(method).toHaveBeenCalledWith(['read:notes'], 'input', 'user-1', auth);
  });

  it('X1: a token field read through @AuthInfo(\'token\') gets the raw token, though it is non-enumerable', () => {
    const method = vi.fn((..._args: unknown[]) => undefined);
    guardToolMethod(method, policy({ authInfoParameters: [{ index: 0, field: 'token' }], currentAuth: () => authWith([]) }))();
    expect(method).toHaveBeenCalledWith('raw.token.value');
  });

  it('keeps this, the return value, thrown errors and the method name', async () => {
    class NotesTools {
      prefix = 'note:';
      createNote(text: string): string {
        return this.prefix + text;
      }
      async fail(): Promise<never> {
        throw new Error('tool failed');
      }
    }
    const tools = new NotesTools();
    const auth = () => authWith([]);
    tools.createNote = guardToolMethod(NotesTools.prototype.createNote as (...args: unknown[]) => unknown, policy({ currentAuth: auth })) as (
      text: string,
    ) => string;
    tools.fail = guardToolMethod(NotesTools.prototype.fail as (...args: unknown[]) => unknown, policy({ currentAuth: auth })) as () => Promise<never>;
    expect(tools.createNote('hi')).toBe('note:hi');
    expect(tools.createNote.name).toBe('createNote');
    await expect(tools.fail()).rejects.toThrow('tool failed');
  });
});
