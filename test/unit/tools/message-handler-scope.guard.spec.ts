import { describe, expect, it } from 'vitest';
import { InsufficientScopeFailure, MissingCredentialsFailure } from '../../../lib/errors/authentication-failures.js';
import { compileScopeHierarchy } from '../../../lib/scopes/scope-matching.js';
import { MessageHandlerScopeGuard } from '../../../lib/tools/message-handler-scope.guard.js';
import type { AuthInfo } from '../../../lib/verification/auth-info.interface.js';

function guardFor(requiredScopes: string[], current: AuthInfo | undefined): MessageHandlerScopeGuard {
  return new MessageHandlerScopeGuard({
    name: 'NotesMcpTools.purgeNotes',
    requiredScopes,
    hierarchy: compileScopeHierarchy({ 'notes:admin': ['write:notes'] }),
    currentAuth: () => current,
  });
}

const callerWith = (scopes: string[]) => ({ scopes, subject: 'user-1' }) as AuthInfo;

describe('MessageHandlerScopeGuard', () => {
  it('refuses a message handled outside an authenticated request', () => {
    expect(() => guardFor(['notes:admin'], undefined).canActivate()).toThrow(MissingCredentialsFailure);
  });

  it('refuses a caller without every required scope, naming the handler and the scopes', () => {
    expect(() => guardFor(['notes:admin'], callerWith(['read:notes', 'write:notes'])).canActivate()).toThrow(
      new InsufficientScopeFailure(['notes:admin'], 'NotesMcpTools.purgeNotes requires the scopes: notes:admin'),
    );
  });

  it('lets a caller with the scopes through, hierarchy applied', () => {
    expect(guardFor(['notes:admin'], callerWith(['notes:admin'])).canActivate()).toBe(true);
    expect(guardFor(['write:notes'], callerWith(['notes:admin'])).canActivate()).toBe(true);
  });

  it('needs only an authenticated caller when the handler declares no scopes', () => {
    expect(guardFor([], callerWith([])).canActivate()).toBe(true);
  });
});
