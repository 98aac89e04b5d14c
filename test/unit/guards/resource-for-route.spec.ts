import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { resourceForRoute, resourceForRoutePaths } from '../../../lib/guards/resource-for-route.js';
import { resolveMcpAuthOptions, type ResolvedProtectedResource } from '../../../lib/options/resolved-options.js';

function resources(...identifiers: string[]): readonly ResolvedProtectedResource[] {
  return resolveMcpAuthOptions({
    protectedResources: identifiers.map((resource) => ({ resource, authorizationServers: ['https://as.example.com'] })),
  }).resources;
}

const routed = (list: readonly ResolvedProtectedResource[], declared: string | undefined, path: string) =>
  resourceForRoute(list, declared, path)?.resource;

describe('resourceForRoute', () => {
  describe('a declared resource (@ProtectedResource)', () => {
    const list = resources('https://h/mcp', 'https://h/notes');

    it('wins over the path', () => {
      expect(routed(list, 'https://h/notes', '/mcp')).toBe('https://h/notes');
    });

    it('is matched byte for byte', () => {
      expect(routed(list, 'https://h/notes/', '/notes')).toBeUndefined();
      expect(routed(list, 'https://H/notes', '/notes')).toBeUndefined();
    });

    it('is undefined when not configured, even with a single resource', () => {
      expect(routed(resources('https://h/mcp'), 'https://h/other', '/mcp')).toBeUndefined();
    });
  });

  it('the only resource serves every path', () => {
    const list = resources('https://h/mcp');
    for (const path of ['/mcp', '/notes', '/', '/mcpx']) expect(routed(list, undefined, path)).toBe('https://h/mcp');
  });

  describe('several resources: the longest path prefix', () => {
    const list = resources('https://h/notes', 'https://h/notes/archive', 'https://h/mcp', 'https://h/api/v1/mcp/');

    it.each([
      { path: '/notes', resource: 'https://h/notes' },
      { path: '/notes/', resource: 'https://h/notes' },
      { path: '/notes/42', resource: 'https://h/notes' },
      { path: '/notes/archive', resource: 'https://h/notes/archive' },
      { path: '/notes/archive/7', resource: 'https://h/notes/archive' },
      { path: '/notes/archived', resource: 'https://h/notes' },
      { path: '/mcp', resource: 'https://h/mcp' },
      { path: '/api/v1/mcp', resource: 'https://h/api/v1/mcp/' },
      { path: '/api/v1/mcp/x', resource: 'https://h/api/v1/mcp/' },
      { path: '/notesx', resource: undefined },
      { path: '/mcpx', resource: undefined },
      { path: '/', resource: undefined },
      { path: '/other', resource: undefined },
      { path: '/api/v1', resource: undefined },
      { path: '/NOTES', resource: undefined },
    ])('$path → $resource', ({ path, resource }) => {
      expect(routed(list, undefined, path)).toBe(resource);
    });

    it('does not depend on configuration order', () => {
      const reversed = [...list].reverse();
      expect(routed(reversed, undefined, '/notes/archive/7')).toBe('https://h/notes/archive');
      expect(routed(reversed, undefined, '/notes/1')).toBe('https://h/notes');
    });
  });

  describe('a root resource', () => {
    const list = resources('https://h', 'https://h/mcp');

    it.each([
      { path: '/', resource: 'https://h' },
      { path: '/anything', resource: 'https://h' },
      { path: '/mcp', resource: 'https://h/mcp' },
      { path: '/mcp/1', resource: 'https://h/mcp' },
    ])('$path → $resource', ({ path, resource }) => {
      expect(routed(list, undefined, path)).toBe(resource);
    });
  });

  it('is undefined with no resources', () => {
    expect(resourceForRoute([], undefined, '/mcp')).toBeUndefined();
  });
});

describe('resourceForRoutePaths (at bootstrap, over every path a route is served at)', () => {
  const list = resources('https://h/mcp', 'https://h/notes');
  const [mcp, notes] = list;

  it('one resource for all the paths: resolved', () => {
    expect(resourceForRoutePaths(list, undefined, ['/notes', '/notes/:id'])).toEqual({ kind: 'resolved', resource: notes });
    expect(resourceForRoutePaths(list, 'https://h/mcp', ['/a', '/b'])).toEqual({ kind: 'resolved', resource: mcp });
  });

  it('paths of different resources: left to the request path', () => {
    expect(resourceForRoutePaths(list, undefined, ['/mcp/both', '/notes/both'])).toEqual({ kind: 'by-request-path' });
  });

  it('the paths that fit no resource, even when the others do', () => {
    expect(resourceForRoutePaths(list, undefined, ['/mcp', '/reports', '/admin'])).toEqual({ kind: 'unresolved', paths: ['/reports', '/admin'] });
  });

  it('every path, when @ProtectedResource() names a resource not configured', () => {
    expect(resourceForRoutePaths(list, 'https://h/other', ['/mcp', '/x'])).toEqual({ kind: 'unresolved', paths: ['/mcp', '/x'] });
  });
});
