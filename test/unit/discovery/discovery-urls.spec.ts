import { describe, expect, it } from 'vitest';
import { authorizationServerMetadataUrls } from '../../../lib/discovery/discovery-urls.js';

describe('authorizationServerMetadataUrls', () => {
  it.each([
    {
      issuer: 'https://as.example.com/tenant',
      urls: [
        'https://as.example.com/.well-known/oauth-authorization-server/tenant',
        'https://as.example.com/.well-known/openid-configuration/tenant',
        'https://as.example.com/tenant/.well-known/openid-configuration',
      ],
    },
    {
      issuer: 'https://as.example.com/tenant/',
      urls: [
        'https://as.example.com/.well-known/oauth-authorization-server/tenant',
        'https://as.example.com/.well-known/openid-configuration/tenant',
        'https://as.example.com/tenant/.well-known/openid-configuration',
      ],
    },
    {
      issuer: 'https://login.example.com/realms/acme/protocol',
      urls: [
        'https://login.example.com/.well-known/oauth-authorization-server/realms/acme/protocol',
        'https://login.example.com/.well-known/openid-configuration/realms/acme/protocol',
        'https://login.example.com/realms/acme/protocol/.well-known/openid-configuration',
      ],
    },
    {
      issuer: 'https://as.example.com:8443/t1',
      urls: [
        'https://as.example.com:8443/.well-known/oauth-authorization-server/t1',
        'https://as.example.com:8443/.well-known/openid-configuration/t1',
        'https://as.example.com:8443/t1/.well-known/openid-configuration',
      ],
    },
    {
      issuer: 'http://127.0.0.1:3001/oidc',
      urls: [
        'http://127.0.0.1:3001/.well-known/oauth-authorization-server/oidc',
        'http://127.0.0.1:3001/.well-known/openid-configuration/oidc',
        'http://127.0.0.1:3001/oidc/.well-known/openid-configuration',
      ],
    },
  ])('D1/D3: path issuer $issuer → RFC 8414 insert, OIDC insert, OIDC append', ({ issuer, urls }) => {
    expect(authorizationServerMetadataUrls(issuer)).toEqual(urls);
  });

  it.each([
    {
      issuer: 'https://as.example.com',
      urls: ['https://as.example.com/.well-known/oauth-authorization-server', 'https://as.example.com/.well-known/openid-configuration'],
    },
    {
      issuer: 'https://as.example.com/',
      urls: ['https://as.example.com/.well-known/oauth-authorization-server', 'https://as.example.com/.well-known/openid-configuration'],
    },
    {
      issuer: 'https://as.example.com:8443',
      urls: [
        'https://as.example.com:8443/.well-known/oauth-authorization-server',
        'https://as.example.com:8443/.well-known/openid-configuration',
      ],
    },
    {
      issuer: 'http://127.0.0.1:3001',
      urls: ['http://127.0.0.1:3001/.well-known/oauth-authorization-server', 'http://127.0.0.1:3001/.well-known/openid-configuration'],
    },
  ])('D1/D3: root issuer $issuer → RFC 8414 then OIDC, two URLs', ({ issuer, urls }) => {
    expect(authorizationServerMetadataUrls(issuer)).toEqual(urls);
  });

  it('D3: the first URL always uses the default oauth-authorization-server suffix', () => {
    for (const issuer of ['https://a.example', 'https://a.example/x', 'https://a.example/x/y/']) {
      expect(authorizationServerMetadataUrls(issuer)[0]).toMatch(/^https:\/\/a\.example\/\.well-known\/oauth-authorization-server(?:\/|$)/);
    }
  });

  it('D1: never produces a double slash, whatever the trailing slash', () => {
    for (const [issuer, count] of [
      ['https://a.example/', 2],
      ['https://a.example/t/', 3],
      ['https://a.example/t/u/', 3],
    ] as const) {
      const urls = authorizationServerMetadataUrls(issuer);
      expect(urls).toHaveLength(count);
      for (const url of urls) expect(url.slice('https://'.length)).not.toContain('//');
    }
  });

  it('D1: a default port is not spelled out in the probe URLs (URL origin serialisation)', () => {
    expect(authorizationServerMetadataUrls('https://as.example.com:443/t')).toEqual([
      'https://as.example.com/.well-known/oauth-authorization-server/t',
      'https://as.example.com/.well-known/openid-configuration/t',
      'https://as.example.com/t/.well-known/openid-configuration',
    ]);
  });

  it('D1: throws on a value that is not an absolute URL', () => {
    expect(() => authorizationServerMetadataUrls('as.example.com')).toThrow(TypeError);
  });
});
