import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

/** `… from 'x'`, `import 'x'`, `import('x')` and `require('x')` of a Redis client package. */
const REDIS_IMPORT = /(?:\bfrom\s+|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](?:ioredis|redis|@redis\/[^'"]+)['"]/;

describe('ioredis is an optional peer', () => {
  it('the import pattern catches every way of loading a Redis client, and nothing else', () => {
    for (const line of [
      "import Redis from 'ioredis';",
      "import type { Redis } from 'ioredis';",
      "export { Redis } from 'ioredis';",
      "import 'ioredis';",
      'import("ioredis")',
      "const Redis = require('ioredis');",
      "import { createClient } from 'redis';",
      "import { createClient } from '@redis/client';",
    ]) {
      expect(REDIS_IMPORT.test(line), line).toBe(true);
    }
    for (const line of ["import { McpAuthStore } from './mcp-auth-store.js';", "// takes the application's ioredis client", "const key = 'redis';"]) {
      expect(REDIS_IMPORT.test(line), line).toBe(false);
    }
  });

  it('no library file imports a Redis client: the Redis store takes the application’s client instance', () => {
    const files = sources('lib');
    expect(files.length).toBeGreaterThan(0);
    const importers = files.filter((file) => REDIS_IMPORT.test(readFileSync(file, 'utf8')));
    expect(importers).toEqual([]);
  });

  it('the manifest lists ioredis as an optional peer and as a devDependency, never as a dependency', () => {
    const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    expect(manifest.dependencies?.ioredis).toBeUndefined();
    expect(manifest.peerDependencies?.ioredis).toBeDefined();
    expect(manifest.peerDependenciesMeta?.ioredis).toEqual({ optional: true });
    expect(manifest.devDependencies?.ioredis).toBeDefined();
  });
});
