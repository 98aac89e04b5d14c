import { describe, expect, it } from 'vitest';
import { protectedResourceMetadataPath, protectedResourceMetadataUrl } from '../../../lib/protected-resource/metadata-url.js';

describe('protectedResourceMetadataPath / protectedResourceMetadataUrl', () => {
  it.each([
    {
      resource: 'https://h/mcp',
      path: '/.well-known/oauth-protected-resource/mcp',
      url: 'https://h/.well-known/oauth-protected-resource/mcp',
    },
    {
      resource: 'https://h/a/b/mcp',
      path: '/.well-known/oauth-protected-resource/a/b/mcp',
      url: 'https://h/.well-known/oauth-protected-resource/a/b/mcp',
    },
    { resource: 'https://h', path: '/.well-known/oauth-protected-resource', url: 'https://h/.well-known/oauth-protected-resource' },
    { resource: 'https://h/', path: '/.well-known/oauth-protected-resource', url: 'https://h/.well-known/oauth-protected-resource' },
    {
      // RFC 9728 §3.1 removes only the slash that follows the host; a trailing slash of a path stays part of it.
      resource: 'https://h/mcp/',
      path: '/.well-known/oauth-protected-resource/mcp/',
      url: 'https://h/.well-known/oauth-protected-resource/mcp/',
    },
    {
      resource: 'https://h:8443/mcp',
      path: '/.well-known/oauth-protected-resource/mcp',
      url: 'https://h:8443/.well-known/oauth-protected-resource/mcp',
    },
    {
      resource: 'http://127.0.0.1:3000/mcp',
      path: '/.well-known/oauth-protected-resource/mcp',
      url: 'http://127.0.0.1:3000/.well-known/oauth-protected-resource/mcp',
    },
    {
      resource: 'http://[::1]:3000',
      path: '/.well-known/oauth-protected-resource',
      url: 'http://[::1]:3000/.well-known/oauth-protected-resource',
    },
    {
      resource: 'https://h/mcp?tenant=a',
      path: '/.well-known/oauth-protected-resource/mcp',
      url: 'https://h/.well-known/oauth-protected-resource/mcp?tenant=a',
    },
    {
      resource: 'https://h?tenant=a',
      path: '/.well-known/oauth-protected-resource',
      url: 'https://h/.well-known/oauth-protected-resource?tenant=a',
    },
    {
      resource: 'https://h/?tenant=a',
      path: '/.well-known/oauth-protected-resource',
      url: 'https://h/.well-known/oauth-protected-resource?tenant=a',
    },
    {
      resource: 'https://h/Api/MCP',
      path: '/.well-known/oauth-protected-resource/Api/MCP',
      url: 'https://h/.well-known/oauth-protected-resource/Api/MCP',
    },
    {
      resource: 'https://h/a%20b/mcp',
      path: '/.well-known/oauth-protected-resource/a%20b/mcp',
      url: 'https://h/.well-known/oauth-protected-resource/a%20b/mcp',
    },
  ])('P2: $resource → $url', ({ resource, path, url }) => {
    expect(protectedResourceMetadataPath(resource)).toBe(path);
    expect(protectedResourceMetadataUrl(resource)).toBe(url);
  });

  it('P2: the URL is the origin followed by the path', () => {
    for (const resource of ['https://h/mcp', 'https://h:1/x/y', 'https://h']) {
      expect(protectedResourceMetadataUrl(resource)).toBe(new URL(resource).origin + protectedResourceMetadataPath(resource));
    }
  });

  it('P2: the URL uses the origin as URL serialises it (lower-case host, default port left out)', () => {
    expect(protectedResourceMetadataUrl('https://API.Example.com:443/mcp')).toBe(
      'https://api.example.com/.well-known/oauth-protected-resource/mcp',
    );
  });

  it('P2: throws on a relative resource', () => {
    expect(() => protectedResourceMetadataPath('/mcp')).toThrow(TypeError);
  });
});
