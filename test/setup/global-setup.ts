import type { TestProject } from 'vitest/node';
import { REPOSITORY_ROOT } from '../fixtures/repository-root.js';
import './provided-context.js';
import { startRedisServer } from './redis-server.js';
import { SetupError } from './setup-error.js';
import { ensureSystemTools } from './system-tools.js';
import { installToolFolders } from './tool-folders.js';


/**
 * Gets the machine ready for every suite, so that `npm test` needs no step before it and skips nothing:
 * Chromium and redis-server (apt-get, as root, when missing), the tool folders' own installs, and a Redis of
 * this run's own on a free loopback port, stopped afterwards. Silent when there is nothing to install.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  try {
    const chromiumPath = await ensureSystemTools();
    await installToolFolders(REPOSITORY_ROOT);
    const redis = await startRedisServer();
    project.provide('chromiumPath', chromiumPath);
    project.provide('redisUrl', redis.url);
    return () => redis.stop();
  } catch (error) {
    if (!(error instanceof SetupError)) throw error;
    // One line that says what to do, not a stack trace through this file.
    console.error(`Test setup: ${error.message}`);
    process.exit(1);
  }
}
