import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface PackageManifest {
  name: string;
  type?: string;
  main?: string;
  types?: string;
  exports?: Record<string, unknown>;
  files?: string[];
  engines?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageManifest;

describe('package.json', () => {
  it('is named nestjs-mcp-auth', () => {
    expect(manifest.name).toBe('nestjs-mcp-auth');
  });

  it('is an ES module package', () => {
    expect(manifest.type).toBe('module');
  });

  it('exports the root entry with types, import and default, types first', () => {
    const root = manifest.exports?.['.'] as Record<string, string>;
    expect(root).toEqual({ types: './dist/index.d.ts', import: './dist/index.js', default: './dist/index.js' });
    // Condition order matters: TypeScript requires "types" to come first.
    expect(Object.keys(root)).toEqual(['types', 'import', 'default']);
  });

  it('exports ./package.json', () => {
    expect(manifest.exports?.['./package.json']).toBe('./package.json');
  });

  it('exports nothing else (the barrel is the public API)', () => {
    expect(Object.keys(manifest.exports ?? {}).sort()).toEqual(['.', './package.json']);
  });

  it('main and types point at the same build as the exports map', () => {
    expect(manifest.main).toBe('./dist/index.js');
    expect(manifest.types).toBe('./dist/index.d.ts');
  });

  it('publishes the build', () => {
    expect(manifest.files).toContain('dist');
  });

  it('supports the Node versions NestJS 12 supports (require(esm) included)', () => {
    expect(manifest.engines?.node).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
  });

  it.each(['@nestjs/common', '@nestjs/core'])('has a peer dependency on %s ^12', (name) => {
    expect(manifest.peerDependencies?.[name]).toMatch(/^\^12(\.\d+){0,2}$/);
    expect(manifest.dependencies?.[name]).toBeUndefined();
  });

  it.each(['jose', 'class-validator'])('depends on %s at run time', (name) => {
    expect(manifest.dependencies?.[name]).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it('keeps the MCP SDK out of run-time dependencies (the library works without it)', () => {
    for (const name of Object.keys(manifest.dependencies ?? {})) expect(name).not.toMatch(/^@modelcontextprotocol\//);
  });
});
