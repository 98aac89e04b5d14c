import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SetupError } from '../../setup/setup-error.js';
import { DEFAULT_CHROMIUM_PATH, ensureSystemTools, findSystemTools, planSystemTools, type SystemTools } from '../../setup/system-tools.js';
import { foldersToInstall } from '../../setup/tool-folders.js';

// The test command's own setup: what it installs, when, and the one line it fails with. The machine this
// runs on has Chromium and redis-server, so "missing" is a path where nothing is, and "not root" a parameter.

const nowhere = '/nonexistent/nestjs-mcp-auth';
const tools = (overrides: Partial<SystemTools> = {}): SystemTools => ({
  chromiumPath: DEFAULT_CHROMIUM_PATH,
  chromiumFromEnv: false,
  chromiumFound: true,
  redisServerFound: true,
  ...overrides,
});

describe('findSystemTools', () => {
  it('looks for Debian\'s Chromium unless CHROMIUM_PATH says otherwise, and for redis-server on the PATH', () => {
    expect(findSystemTools({ PATH: nowhere })).toMatchObject({ chromiumPath: DEFAULT_CHROMIUM_PATH, chromiumFromEnv: false, redisServerFound: false });
    expect(findSystemTools({ PATH: nowhere, CHROMIUM_PATH: `${nowhere}/chromium` })).toEqual({
      chromiumPath: `${nowhere}/chromium`,
      chromiumFromEnv: true,
      chromiumFound: false,
      redisServerFound: false,
    });
  });

  it('a directory is not a browser', () => {
    expect(findSystemTools({ PATH: nowhere, CHROMIUM_PATH: tmpdir() }).chromiumFound).toBe(false);
  });
});

describe('planSystemTools', () => {
  it('nothing to do when both are there', () => {
    expect(planSystemTools(tools(), true)).toEqual({ action: 'none' });
    expect(planSystemTools(tools(), false)).toEqual({ action: 'none' });
  });

  it('as root, installs exactly what is missing', () => {
    expect(planSystemTools(tools({ chromiumFound: false, redisServerFound: false }), true)).toEqual({ action: 'install', packages: ['chromium', 'redis-server'] });
    expect(planSystemTools(tools({ redisServerFound: false }), true)).toEqual({ action: 'install', packages: ['redis-server'] });
    expect(planSystemTools(tools({ chromiumFound: false }), true)).toEqual({ action: 'install', packages: ['chromium'] });
  });

  it('without root, fails with one line that says what to install', () => {
    expect(planSystemTools(tools({ chromiumFound: false, redisServerFound: false }), false)).toEqual({
      action: 'fail',
      message:
        'The tests need chromium and redis-server, which are not installed: ' +
        'run "sudo apt-get install -y chromium redis-server" (or set CHROMIUM_PATH to a Chromium), then the tests again.',
    });
    expect(planSystemTools(tools({ redisServerFound: false }), false)).toEqual({
      action: 'fail',
      message: 'The tests need redis-server, which is not installed: run "sudo apt-get install -y redis-server", then the tests again.',
    });
  });

  it('a CHROMIUM_PATH that points at nothing is reported, never installed over, even as root', () => {
    const plan = planSystemTools(tools({ chromiumPath: `${nowhere}/chrome`, chromiumFromEnv: true, chromiumFound: false, redisServerFound: false }), true);
    expect(plan).toEqual({
      action: 'fail',
      message: `CHROMIUM_PATH is ${nowhere}/chrome, but there is no executable there: point it at a Chromium, or unset it.`,
    });
  });
});

describe('ensureSystemTools', () => {
  it('without root or sudo and without the tools, rejects with that one line (nothing installed, nothing skipped)', async () => {
    const attempt = ensureSystemTools({ PATH: nowhere, CHROMIUM_PATH: '' }, () => 'none');
    await expect(attempt).rejects.toBeInstanceOf(SetupError);
    await expect(attempt).rejects.toThrow(/^The tests need redis-server, which is not installed: run "sudo apt-get install -y redis-server", then the tests again\.$/);
  });

  it('returns where Chromium is when everything is there', async () => {
    expect(await ensureSystemTools(process.env, () => 'none')).toBe(process.env['CHROMIUM_PATH'] || DEFAULT_CHROMIUM_PATH);
  });
});

describe('tool folders', () => {
  const root = mkdtempSync(join(tmpdir(), 'nestjs-mcp-auth-tool-folders-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('installs a folder that has a lockfile and no node_modules; leaves installed and absent ones alone', () => {
    for (const folder of ['fresh', 'installed', 'no-lockfile']) mkdirSync(join(root, folder));
    writeFileSync(join(root, 'fresh', 'package-lock.json'), '{}');
    writeFileSync(join(root, 'installed', 'package-lock.json'), '{}');
    mkdirSync(join(root, 'installed', 'node_modules'));
    expect(foldersToInstall(root, ['fresh', 'installed', 'no-lockfile', 'absent'])).toEqual(['fresh']);
  });
});
