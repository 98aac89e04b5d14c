import { describe, expect, it } from 'vitest';

import { registerLoadedCopy } from '../../../lib/common/loaded-copies.js';

const ESM_BUILD = 'file:///app/node_modules/nestjs-mcp-auth/dist/index.js';
const CJS_BUILD = 'file:///app/node_modules/nestjs-mcp-auth/dist/cjs/index.js';

function processWithWarnings(): { host: Record<symbol, unknown>; warnings: string[]; load(location: string): void } {
  const host: Record<symbol, unknown> = {};
  const warnings: string[] = [];
  return { host, warnings, load: (location) => registerLoadedCopy(location, (message) => warnings.push(message), host) };
}

describe('registerLoadedCopy', () => {
  it('stays silent for the first copy', () => {
    const process = processWithWarnings();
    process.load(ESM_BUILD);
    expect(process.warnings).toEqual([]);
  });

  it('stays silent when the same copy is evaluated again (Jest resetModules, hot reload)', () => {
    const process = processWithWarnings();
    process.load(CJS_BUILD);
    process.load(CJS_BUILD);
    expect(process.warnings).toEqual([]);
  });

  it('warns when a second copy arrives from another location, naming both and the way out', () => {
    const process = processWithWarnings();
    process.load(ESM_BUILD);
    process.load(CJS_BUILD);
    expect(process.warnings).toHaveLength(1);
    expect(process.warnings[0]).toContain(`from ${ESM_BUILD} and from ${CJS_BUILD}`);
    expect(process.warnings[0]).toContain('npm ls nestjs-mcp-auth');
  });

  it('warns once per process, however many copies follow', () => {
    const process = processWithWarnings();
    for (const location of [ESM_BUILD, CJS_BUILD, 'file:///app/node_modules/other/node_modules/nestjs-mcp-auth/dist/index.js']) process.load(location);
    expect(process.warnings).toHaveLength(1);
  });

  it('shares the record between copies through the global symbol registry', () => {
    const process = processWithWarnings();
    process.load(ESM_BUILD);
    expect(process.host[Symbol.for('nestjs-mcp-auth.loaded-copies')]).toEqual({ locations: [ESM_BUILD], warned: false });
  });
});
