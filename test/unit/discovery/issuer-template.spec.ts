import { describe, expect, it } from 'vitest';
import { issuerTemplate } from '../../../lib/discovery/issuer-template.js';

describe('issuerTemplate', () => {
  const keycloak = issuerTemplate('https://sso.example.com/realms/{realm}', (realm) => ['acme', 'globex'].includes(realm));
  const entra = issuerTemplate('https://login.microsoftonline.com/{tid}/v2.0');

  it.each([
    ['https://sso.example.com/realms/acme', true],
    ['https://sso.example.com/realms/globex', true],
    ['https://sso.example.com/realms/initech', false],
    ['https://sso.example.com/realms/acme/', false],
    ['https://sso.example.com/realms/acme/extra', false],
    ['https://sso.example.com/realms/', false],
    ['http://sso.example.com/realms/acme', false],
    ['https://sso.example.com.evil.com/realms/acme', false],
    ['https://sso.example.com/realms/ac%2Fme', false],
  ])('keycloak realms: %s → %s', async (issuer, trusted) => {
    expect(await keycloak(issuer)).toBe(trusted);
  });

  it.each([
    ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0', true],
    ['https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/v2.0/', false],
    ['https://login.microsoftonline.com/a/b/v2.0', false],
    ['https://login.microsoftonline.com/../v2.0', false],
    ['https://login.microsoftonline.com/x@evil.com/v2.0', false],
  ])('entra tenants: %s → %s', async (issuer, trusted) => {
    expect(await entra(issuer)).toBe(trusted);
  });

  it('needs exactly one placeholder', () => {
    expect(() => issuerTemplate('https://sso.example.com/realms/acme')).toThrow(TypeError);
    expect(() => issuerTemplate('https://{a}.example.com/{b}')).toThrow(TypeError);
  });
});
