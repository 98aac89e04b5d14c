import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SetupError } from './setup-error.js';

/**
 * Folders under test/ with a package.json and lockfile of their own: tools the suites run, kept out of the
 * library's dependencies. A folder that is not there (yet) is left alone. Add a folder here and the test
 * command installs it on a fresh clone.
 */
export const TOOL_FOLDERS = [
  // Node 22 and 24 binaries from the npm registry: the CI matrix and the Inspector's web UI.
  'test/node-versions',
  // The MCP Inspector's web UI, driven in Chromium.
  'test/mcp-inspector',
] as const;

const execFileAsync = promisify(execFile);

/** The tool folders that are there, with a lockfile, but not installed. */
export function foldersToInstall(root: string, folders: readonly string[] = TOOL_FOLDERS): string[] {
  return folders.filter((folder) => existsSync(join(root, folder, 'package-lock.json')) && !existsSync(join(root, folder, 'node_modules')));
}

/** `npm ci` in each tool folder whose node_modules is missing, quietly; npm's output is shown only if it fails. */
export async function installToolFolders(root: string, folders: readonly string[] = TOOL_FOLDERS): Promise<void> {
  for (const folder of foldersToInstall(root, folders)) {
    const dir = join(root, folder);
    console.log(`Installing ${folder} (npm ci)`);
    try {
      await execFileAsync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      process.stderr.write(stdout + stderr);
      throw new SetupError(`npm ci failed in ${folder} (its output is above)`);
    }
  }
}
