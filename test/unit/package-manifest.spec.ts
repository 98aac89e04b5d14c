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
  scripts?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as PackageManifest;

describe('package.json', () => {
  it('is named nestjs-mcp-auth', () => {
    expect(manifest.name).toBe('nestjs-mcp-auth');
  });

  it('is an ES module package (the CommonJS build is a scope of its own, dist/cjs)', () => {
    expect(manifest.type).toBe('module');
  });

  it('exports the ESM build to import and the CommonJS build to require, each with its own types first', () => {
    const root = manifest.exports?.['.'] as Record<string, Record<string, string>>;
    expect(root).toEqual({
      import: { types: './dist/index.d.ts', default: './dist/index.js' },
      require: { types: './dist/cjs/index.d.ts', default: './dist/cjs/index.js' },
    });
    // Condition order matters: the first matching condition wins, and TypeScript wants "types" before "default".
    expect(Object.keys(root)).toEqual(['import', 'require']);
    expect(Object.keys(root.import ?? {})).toEqual(['types', 'default']);
    expect(Object.keys(root.require ?? {})).toEqual(['types', 'default']);
  });

  it('exports ./package.json', () => {
    expect(manifest.exports?.['./package.json']).toBe('./package.json');
  });

  it('exports nothing else (the barrel is the public API)', () => {
    expect(Object.keys(manifest.exports ?? {}).sort()).toEqual(['.', './package.json']);
  });

  it('main and types point at the CommonJS build, for resolvers that ignore the exports map (TypeScript node10)', () => {
    expect(manifest.main).toBe('./dist/cjs/index.js');
    expect(manifest.types).toBe('./dist/cjs/index.d.ts');
  });

  it('publishes the build, the README and the guides it links to (docs/)', () => {
    expect(manifest.files).toEqual(['dist', 'README.md', 'docs']);
  });

  it('builds both formats, and builds before packing', () => {
    expect(manifest.scripts?.['build']).toBe(
      'rm -rf dist && tsc -p tsconfig.build.json && tsc -p tsconfig.build.cjs.json && rolldown -c rolldown.config.mjs --logLevel warn',
    );
    expect(manifest.scripts?.['prepack']).toBe('npm run build');
  });

  it('runs the packaging tests by file, which node --test accepts on Node 20, 22 and 24 alike', () => {
    expect(manifest.scripts?.['test:package']).toBe('npm run build && node --test test/packaging/*.test.mjs test/packaging/*.test.cjs');
  });

  it('supports the Node versions with require(esm) (a CommonJS app may require NestJS 12)', () => {
    expect(manifest.engines?.node).toBe('^20.19.0 || ^22.12.0 || >=24.0.0');
  });

  it.each(['@nestjs/common', '@nestjs/core'])('has a peer dependency on %s 11 or 12', (name) => {
    expect(manifest.peerDependencies?.[name]).toBe('^11.0.0 || ^12.0.0');
    expect(manifest.dependencies?.[name]).toBeUndefined();
  });

  it('has exactly these peers, MCP-Nest, ioredis and OpenTelemetry optional', () => {
    expect(manifest.peerDependencies).toEqual({
      '@nestjs/common': '^11.0.0 || ^12.0.0',
      '@nestjs/core': '^11.0.0 || ^12.0.0',
      '@opentelemetry/api': '^1.3.0',
      '@rekog/mcp-nest': '^2.0.0',
      'reflect-metadata': '^0.2.0',
      rxjs: '^7.8.0',
      ioredis: '^5.0.0 || ^6.0.0',
    });
    expect(manifest.peerDependenciesMeta).toEqual({
      '@opentelemetry/api': { optional: true },
      '@rekog/mcp-nest': { optional: true },
      ioredis: { optional: true },
    });
  });

  it.each(['jose', 'class-validator'])('depends on %s at run time', (name) => {
    expect(manifest.dependencies?.[name]).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it('keeps the MCP SDK out of run-time dependencies (the library works without it)', () => {
    for (const name of Object.keys(manifest.dependencies ?? {})) expect(name).not.toMatch(/^@modelcontextprotocol\//);
  });
});
