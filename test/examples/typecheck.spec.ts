import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';

import { describe, expect, it } from 'vitest';

import { REPOSITORY_ROOT } from '../fixtures/repository-root.js';

// The examples compile on their own, as a user's application: examples/tsconfig.json extends our strict settings
// and resolves `nestjs-mcp-auth` to lib/. (Vitest strips types without checking them; this is the check.)
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('examples/', () => {
  it('compile under strict with their own tsconfig (tsc -p examples/tsconfig.json --noEmit)', async () => {
    const result = await promisify(execFile)(process.execPath, [tsc, '-p', 'examples/tsconfig.json', '--noEmit'], { cwd: REPOSITORY_ROOT }).then(
      ({ stdout }) => ({ code: 0, output: stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, output: error.stdout }),
    );
    expect(result.output).toBe('');
    expect(result.code).toBe(0);
  }, 120_000);
});
