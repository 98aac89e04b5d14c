import { mkdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDevAuthorizationServer, type DevAuthorizationServer } from '../../sample/auth-server/dev-authorization-server.js';
import { clientCredentialsToken } from '../fixtures/dev-authorization-server.helpers.js';
import { parseBearerChallenge } from '../fixtures/www-authenticate.js';
import {
  awaitedLater,
  concurrencyLimit,
  copyConsumer,
  loadedFilesOf,
  packLibrary,
  run,
  startApp,
  temporaryFolder,
  type CommandResult,
} from './consumer-workspace.js';
import { freePort } from '../fixtures/free-port.js';

// The package as its users get it: `npm pack`ed, installed with a plain `npm install <tarball>` (no
// --legacy-peer-deps, no --force) into small real apps outside the library's build, each with its own
// package.json and lockfile. Each app is compiled, runs its own test runner against the real authorization
// server, is started with `node dist/main.js`, and is type-checked by every TypeScript the README promises.

interface Consumer {
  /** Its folder in test/consumers/apps/. */
  name: string;
  /** The build of the library the app must load: CommonJS apps the bundle, ESM apps the ESM files. */
  loads: 'commonjs' | 'esm';
}

const CONSUMERS: Consumer[] = [
  // NestJS 11 as `nest new` generated it at first: tsc `module: commonjs`, Jest 29 with ts-jest.
  { name: 'nest11-commonjs-jest29', loads: 'commonjs' },
  // NestJS 11 as `nest new` generates it today: `module: nodenext` in a CommonJS package (TS1479 was the old failure), Jest 30.
  { name: 'nest11-nodenext-jest30', loads: 'commonjs' },
  // NestJS 11 on Fastify, `module: node16`, Jest 30.
  { name: 'nest11-fastify-jest30', loads: 'commonjs' },
  // NestJS 12, an ES module app ("type": "module", nodenext) tested with Vitest.
  { name: 'nest12-esm-vitest', loads: 'esm' },
];

const TYPESCRIPT_VERSIONS = ['5.9', '6.0', '7.0'];
const SCOPES = ['read:notes', 'write:notes'];
const SETUP_TIMEOUT = 120_000;
// A step waits for the steps queued before it (every app's, two at a time), so its budget covers theirs.
const STEP_TIMEOUT = 480_000;

/** What the background work has ready for one app's tests, each step a promise its test awaits. */
interface ConsumerSteps {
  folder: Promise<string>;
  installed: Promise<CommandResult>;
  built: Promise<CommandResult>;
  ownTests: Promise<CommandResult>;
  typeChecks: Map<string, Promise<CommandResult>>;
}

describe('consumer apps', () => {
  let workspace: Awaited<ReturnType<typeof temporaryFolder>>;
  let authorizationServer: DevAuthorizationServer;
  const ports = new Map<string, number>();
  const environments = new Map<string, Record<string, string>>();
  const steps = new Map<string, ConsumerSteps>();

  beforeAll(async () => {
    workspace = await temporaryFolder('nestjs-mcp-auth-consumers-');
    for (const consumer of CONSUMERS) ports.set(consumer.name, await freePort());
    const resources = new Map(CONSUMERS.map((consumer) => [consumer.name, `http://127.0.0.1:${ports.get(consumer.name)}/notes`]));
    authorizationServer = await startDevAuthorizationServer({
      port: 0,
      resources: [...resources.values()].map((identifier) => ({ identifier, scopes: SCOPES })),
    });
    for (const [name, resource] of resources) {
      const [read, write] = await Promise.all([
        clientCredentialsToken(authorizationServer, { resource, scope: 'read:notes' }),
        clientCredentialsToken(authorizationServer, { resource, scope: 'write:notes' }),
      ]);
      environments.set(name, { ISSUER: authorizationServer.issuer, RESOURCE: resource, READ_TOKEN: read.access_token, WRITE_TOKEN: write.access_token });
    }

    const [tarball, compilers] = await Promise.all([
      packLibrary(workspace.path),
      copyConsumer('typescript-versions', workspace.path).then(async (folder) => {
        await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: folder });
        return folder;
      }),
    ]);

    // Everything heavy starts now, in the background, at most one command per core; the tests below await it.
    const slot = concurrencyLimit(Math.max(2, availableParallelism()));
    for (const consumer of CONSUMERS) {
      const folder = copyConsumer(join('apps', consumer.name), workspace.path);
      const installed = folder.then((cwd) =>
        slot(async () => {
          await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd });
          return run('npm', ['install', '--no-audit', '--no-fund', tarball], { cwd });
        }),
      );
      const built = installed.then(async () => slot(async () => run('npm', ['run', 'build'], { cwd: await folder })));
      const ownTests = built.then(async () => slot(async () => run('npm', ['run', 'test:e2e'], { cwd: await folder, env: environments.get(consumer.name) })));
      const typeChecks = new Map(
        TYPESCRIPT_VERSIONS.map((version) => {
          const tsc = join(compilers, 'node_modules', `typescript-${version}`, 'bin', 'tsc');
          const checked = ownTests.catch(() => undefined).then(async () => slot(async () => run(process.execPath, [tsc, '-p', 'tsconfig.json', '--noEmit', '--skipLibCheck', 'false'], { cwd: await folder })));
          return [version, awaitedLater(checked)];
        }),
      );
      steps.set(consumer.name, {
        folder: awaitedLater(folder),
        installed: awaitedLater(installed),
        built: awaitedLater(built),
        ownTests: awaitedLater(ownTests),
        typeChecks,
      });
    }
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    // Let background commands finish before their folder goes away.
    await Promise.allSettled([...steps.values()].flatMap((step) => [step.ownTests, ...step.typeChecks.values()]));
    await authorizationServer?.close();
    await workspace?.remove();
  }, STEP_TIMEOUT);

  describe.each(CONSUMERS)('$name', (consumer) => {
    const stepsOf = (): ConsumerSteps => steps.get(consumer.name)!;

    it('installs from its lockfile, then takes the packed library with a plain npm install', async () => {
      const install = await stepsOf().installed;
      // A peer range that excludes the app's NestJS shows up here (ERESOLVE), before anything fails.
      expect(`${install.stdout}${install.stderr}`).not.toMatch(/ERESOLVE|peer dep|invalid/i);
      await run('npm', ['ls', 'nestjs-mcp-auth', '@nestjs/common', '@nestjs/core'], { cwd: await stepsOf().folder });
    }, STEP_TIMEOUT);

    it('compiles', async () => {
      await stepsOf().built;
    }, STEP_TIMEOUT);

    it('passes its own tests, run by its own test runner against the real authorization server', async () => {
      const { stdout, stderr } = await stepsOf().ownTests;
      expect(`${stdout}${stderr}`).toMatch(/Tests:?\s+6 passed/);
    }, STEP_TIMEOUT);

    it('runs with node dist/main.js: 200 with a token, 401 with resource_metadata without, 403 insufficient_scope with too few scopes', async () => {
      await stepsOf().built;
      const app = await stepsOf().folder;
      const environment = environments.get(consumer.name)!;
      const port = ports.get(consumer.name)!;
      const notes = `http://127.0.0.1:${port}/notes`;
      const coverage = join(workspace.path, `${consumer.name}-v8`);
      await mkdir(coverage);
      const running = await startApp(app, notes, { ...environment, PORT: String(port), NODE_V8_COVERAGE: coverage });
      try {
        const served = await fetch(notes, { headers: { authorization: `Bearer ${environment.READ_TOKEN}` } });
        expect(served.status).toBe(200);
        expect(await served.json()).toEqual({ notes: ['first note'], clientId: authorizationServer.devClient.clientId, scopes: ['read:notes'] });

        const anonymous = await fetch(notes);
        expect(anonymous.status).toBe(401);
        expect(parseBearerChallenge(anonymous.headers.get('www-authenticate')).params).toEqual({
          scope: 'read:notes',
          resource_metadata: `http://127.0.0.1:${port}/.well-known/oauth-protected-resource/notes`,
        });

        const narrow = await fetch(notes, { headers: { authorization: `Bearer ${environment.WRITE_TOKEN}` } });
        expect(narrow.status).toBe(403);
        expect(parseBearerChallenge(narrow.headers.get('www-authenticate')).params).toMatchObject({ error: 'insufficient_scope', scope: 'read:notes' });
      } finally {
        expect(await running.stop()).toBe(0);
      }
      expect(running.output()).not.toMatch(/loaded twice/);

      // One copy of the library in the process: the build that matches the app's module system.
      const loaded = await loadedFilesOf(coverage, join(app, 'node_modules', 'nestjs-mcp-auth'));
      const jose = await loadedFilesOf(coverage, join(app, 'node_modules', 'jose'));
      if (consumer.loads === 'commonjs') {
        expect(loaded).toEqual(['dist/cjs/index.js']);
        // The bundle carries jose; the jose in node_modules (ESM-only, which Jest cannot require) is never loaded.
        expect(jose).toEqual([]);
      } else {
        expect(loaded).toContain('dist/index.js');
        expect(loaded.filter((file) => !file.startsWith('dist/') || file.startsWith('dist/cjs/'))).toEqual([]);
        expect(jose).toContain('dist/webapi/index.js');
      }
    }, STEP_TIMEOUT);

    it.each(TYPESCRIPT_VERSIONS)('type-checks under strict, without skipLibCheck, with TypeScript %s', async (version) => {
      await stepsOf().typeChecks.get(version);
    }, STEP_TIMEOUT);
  });
});
