import { describe, expect, it } from 'vitest';
import { auth0Claims, cognitoClaims, entraIdClaims, keycloakClaims, oktaClaims } from '../../../lib/claims/provider-claim-mappers.js';

describe('claim mapping presets', () => {
  it('keycloak: realm roles, the named clients’ roles, azp, the realm as tenant', () => {
    const mapped = keycloakClaims({ clients: ['notes-api'] })({
      iss: 'https://sso.example.com/realms/acme',
      azp: 'mcp-inspector',
      scope: 'openid notes:read',
      realm_access: { roles: ['offline_access', 'notes-user'] },
      resource_access: { 'notes-api': { roles: ['editor'] }, account: { roles: ['manage-account'] } },
    });
    expect(mapped).toEqual({ scopes: ['openid', 'notes:read'], roles: ['offline_access', 'notes-user', 'editor'], clientId: 'mcp-inspector', tenant: 'acme' });
  });

  it('auth0: scope ∪ permissions, roles from the namespaced claim, azp, org_id as tenant', () => {
    const mapped = auth0Claims({ rolesClaim: 'https://notes.example.com/roles' })({
      scope: 'openid read:notes',
      permissions: ['read:notes', 'write:notes'],
      'https://notes.example.com/roles': ['editor'],
      azp: 'abc123',
      org_id: 'org_9',
    });
    expect(mapped).toEqual({ scopes: ['openid', 'read:notes', 'write:notes'], roles: ['editor'], clientId: 'abc123', tenant: 'org_9' });
  });

  it('entra: scp string, roles, azp or appid, tid', () => {
    const map = entraIdClaims();
    expect(map({ scp: 'Notes.Read Notes.Write', roles: ['Notes.Admin'], azp: 'app-1', tid: 'tenant-guid' })).toEqual({
      scopes: ['Notes.Read', 'Notes.Write'],
      roles: ['Notes.Admin'],
      clientId: 'app-1',
      tenant: 'tenant-guid',
    });
    expect(map({ roles: ['Notes.ReadAll'], appid: 'app-v1', tid: 't' })).toMatchObject({ scopes: [], clientId: 'app-v1' });
  });

  it('okta: scp array, cid, groups', () => {
    expect(oktaClaims()({ scp: ['notes.read'], cid: '0oa1', groups: ['Everyone', 'Editors'] })).toEqual({
      scopes: ['notes.read'],
      roles: ['Everyone', 'Editors'],
      clientId: '0oa1',
    });
  });

  it('cognito: scope, client_id, cognito:groups', () => {
    expect(cognitoClaims()({ scope: 'notes/read', client_id: '7abc', 'cognito:groups': ['admins'] })).toEqual({
      scopes: ['notes/read'],
      roles: ['admins'],
      clientId: '7abc',
    });
  });

  it('leaves out what a token does not say, so the standard claims still apply', () => {
    expect(keycloakClaims()({ scope: 'a' })).toEqual({ scopes: ['a'], roles: [] });
    expect(entraIdClaims()({})).toEqual({ scopes: [], roles: [] });
  });
});
