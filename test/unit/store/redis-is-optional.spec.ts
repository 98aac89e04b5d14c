import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(directory, entry.name)) : entry.name.endsWith('.ts') ? [join(directory, entry.name)] : [],
  );
}

describe('ioredis is an optional peer', () => {
  it('no library file imports a Redis client: the Redis store takes the application’s client instance', () => {
    const importers = sources('lib').filter((file) => /(?:from\s+|import\s*\(\s*)['"](?:ioredis|redis|@redis\/[^'"]+)['"]/.test(readFileSync(file, 'utf8')));
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
