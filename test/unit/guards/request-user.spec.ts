import { describe, expect, it } from 'vitest';
import { requestUserFromAuthInfo } from '../../../lib/guards/request-user.js';
import { compileScopeHierarchy } from '../../../lib/scopes/scope-matching.js';
import type { AuthInfo } from '../../../lib/verification/auth-info.interface.js';
import { withHiddenToken } from '../../../lib/verification/token-claims.js';

function caller(scopes: string[], claims: Record<string, unknown> = {}, sub: string | null = 'user-1', roles: string[] = []): AuthInfo {
  const subject = sub ?? undefined;
  return withHiddenToken(
    {
      clientId: 'client-a',
      scopes,
      roles,
      issuer: 'https://as.example.com',
      subject,
      audience: ['https://api.example.com/mcp'],
      principalId: 'https://as.example.com#sub:user-1',
      principalType: 'user',
      claims: { iss: 'https://as.example.com', sub: subject, client_id: 'client-a', scope: scopes.join(' '), ...claims },
    },
    'raw.token.value',
  );
}

const noHierarchy = compileScopeHierarchy({});

describe('requestUserFromAuthInfo', () => {
  it('holds the verified claims with sub, client_id, iss, scope and scopes normalised', () => {
    const user = requestUserFromAuthInfo(caller(['read:notes', 'write:notes'], { email: 'a@example.com', jti: 'j-1' }), noHierarchy);
    expect(user).toMatchObject({
      sub: 'user-1',
      client_id: 'client-a',
      iss: 'https://as.example.com',
      scope: 'read:notes write:notes',
      scopes: ['read:notes', 'write:notes'],
      roles: [],
      email: 'a@example.com',
      jti: 'j-1',
    });
  });

  it('T12: scope and scopes include what the granted scopes imply through the hierarchy', () => {
    const hierarchy = compileScopeHierarchy({ 'notes:admin': ['write:notes'], 'write:notes': ['read:notes'] });
    const user = requestUserFromAuthInfo(caller(['notes:admin']), hierarchy);
    expect([...user.scopes].sort()).toEqual(['notes:admin', 'read:notes', 'write:notes']);
    expect(user.scope.split(' ').sort()).toEqual(['notes:admin', 'read:notes', 'write:notes']);
  });

  it('scope and scopes come from the AuthInfo (mapped claims), not from the raw scope claim', () => {
    const user = requestUserFromAuthInfo(caller(['read:notes'], { scope: undefined, permissions: ['read:notes'] }), noHierarchy);
    expect(user.scope).toBe('read:notes');
    expect(user.scopes).toEqual(['read:notes']);
  });

  it("takes the AuthInfo's roles (claim mappings applied), not the raw roles claim", () => {
    const auth = caller([], { roles: ['from-the-claim'], realm_access: { roles: ['auditor'] } }, 'user-1', ['auditor']);
    const user = requestUserFromAuthInfo(auth, noHierarchy);
    expect(user.roles).toEqual(['auditor']);
    user.roles.push('changed');
    expect(auth.roles).toEqual(['auditor']);
  });

  it('has no sub for a token without one', () => {
    expect(requestUserFromAuthInfo(caller(['read:notes'], {}, null), noHierarchy).sub).toBeUndefined();
  });

  it('X1: never holds the raw token', () => {
    const user = requestUserFromAuthInfo(caller(['read:notes']), noHierarchy);
    expect(JSON.stringify(user)).not.toContain('raw.token.value');
    expect(Object.values(user)).not.toContain('raw.token.value');
  });
});
