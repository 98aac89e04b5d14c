import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

// What the consumer test does to an application outside the library's build: pack the library as npm would
// publish it, copy an app to a temporary folder, install it the way its users do, build it, run it.

import { REPOSITORY_ROOT } from '../fixtures/repository-root.js';
export const CONSUMERS_ROOT = fileURLToPath(new URL('./', import.meta.url));

export interface CommandResult {
  stdout: string;
  stderr: string;
}

/**
 * The environment of every command: this process's, without what the outer `npm test` and Vitest put there
 * (npm_* variables, Vitest's worker markers, NODE_OPTIONS), which would leak into the app's own npm and test runner.
 * PATH stays, so the Node on it (the CI matrix's) runs everything.
 */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(npm_|VITEST|NODE_OPTIONS$|NODE_V8_COVERAGE$|TEST$)/i.test(name)) env[name] = value;
  }
  return { ...env, NO_COLOR: '1', FORCE_COLOR: '0', ...extra };
}

/** Runs a command to completion; a non-zero exit rejects with everything it printed. */
export function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string> }): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: cleanEnvironment(options.env), maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${command} ${args.join(' ')} failed in ${options.cwd} (${error.message})\n${stdout}\n${stderr}`));
        else resolve({ stdout, stderr });
      },
    );
  });
}

/** A temporary folder, removed by the returned function. */
export async function temporaryFolder(prefix: string): Promise<{ path: string; remove(): Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

/** Builds the library and packs it (`npm pack` runs `prepack`, the build); returns the tarball's path. */
export async function packLibrary(destination: string): Promise<string> {
  const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destination], { cwd: REPOSITORY_ROOT });
  const [report] = JSON.parse(stdout.slice(stdout.indexOf('['))) as Array<{ filename: string }>;
  return join(destination, report!.filename);
}

/** Copies a folder of test/consumers/ (package.json, lockfile, sources; never node_modules) into `parent`. */
export async function copyConsumer(folder: string, parent: string): Promise<string> {
  const target = join(parent, basename(folder));
  await cp(join(CONSUMERS_ROOT, folder), target, {
    recursive: true,
    filter: (source) => !/[\\/](node_modules|dist)$/.test(source),
  });
  return target;
}

export interface RunningApp {
  /** Everything the app printed so far. */
  output(): string;
  /** SIGTERM, then the exit code once the process has ended by itself. */
  stop(): Promise<number | null>;
}

/** Starts `node dist/main.js` and waits until `url` answers (any status). */
export async function startApp(cwd: string, url: string, env: Record<string, string>): Promise<RunningApp> {
  const child: ChildProcess = spawn(process.execPath, ['dist/main.js'], { cwd, env: cleanEnvironment(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const app: RunningApp = {
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
  for (let attempt = 0; attempt < 200; attempt += 1) {
    if (child.exitCode !== null) throw new Error(`the app exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(url);
      return app;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await app.stop();
  throw new Error(`the app did not answer on ${url}:\n${output}`);
}

/**
 * The files under `packageRoot` that V8 compiled in a process started with NODE_V8_COVERAGE=`coverageFolder`,
 * relative to that root (`dist/cjs/index.js`). V8 lists every script it ran, ESM and CommonJS alike, whoever
 * loaded it: an independent witness of which copy of a package a process used.
 */
export async function loadedFilesOf(coverageFolder: string, packageRoot: string): Promise<string[]> {
  const files = new Set<string>();
  for (const entry of await readdir(coverageFolder)) {
    const report = JSON.parse(await readFile(join(coverageFolder, entry), 'utf8')) as { result: Array<{ url: string }> };
    for (const { url } of report.result) {
      if (!url.startsWith('file:')) continue;
      const path = relative(packageRoot, fileURLToPath(url));
      if (!path.startsWith('..')) files.add(path.split('\\').join('/'));
    }
  }
  return [...files].sort();
}

/**
 * Runs at most `slots` tasks at a time, in the order they were queued: the consumer apps' installs, builds and
 * type-checks overlap, two at a time on a 2-core machine, instead of waiting for each other.
 */
export function concurrencyLimit(slots: number): <T>(task: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: Array<() => void> = [];
  return async (task) => {
    if (running < slots) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      // Hand the slot straight to the next task, or give it back.
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}

/** The same promise, marked as handled: a step that fails before its test awaits it is reported by that test, not as an unhandled rejection. */
export function awaitedLater<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}
