import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { SetupError } from './setup-error.js';

/** Where Debian's `chromium` package puts the browser; `CHROMIUM_PATH` points elsewhere. */
export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** What the suites need from the machine, as found on it. */
export interface SystemTools {
  /** The Chromium the browser suites drive. */
  chromiumPath: string;
  /** Whether `chromiumPath` came from `CHROMIUM_PATH` (then it is the user's choice: never installed over). */
  chromiumFromEnv: boolean;
  chromiumFound: boolean;
  redisServerFound: boolean;
}

/**
 * How this process may install Debian's packages: as root, through `sudo` without a password (a CI runner's
 * usual set-up), or not at all.
 */
export type InstallRights = 'root' | 'sudo' | 'none';

/** What to do about the machine before any suite runs. */
export type SystemToolsPlan =
  | { action: 'none' }
  | { action: 'install'; packages: string[] }
  | { action: 'fail'; message: string };

/** Looks for the tools: Chromium at `CHROMIUM_PATH` or Debian's path, `redis-server` on the `PATH`. */
export function findSystemTools(env: NodeJS.ProcessEnv, isExecutable: (path: string) => boolean = executable): SystemTools {
  const fromEnv = env['CHROMIUM_PATH'];
  const chromiumPath = fromEnv || DEFAULT_CHROMIUM_PATH;
  const pathDirs = (env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return {
    chromiumPath,
    chromiumFromEnv: Boolean(fromEnv),
    chromiumFound: isExecutable(chromiumPath),
    redisServerFound: pathDirs.some((dir) => isExecutable(join(dir, 'redis-server'))),
  };
}

/**
 * Decides, from what is on the machine and whether we may install packages: nothing to do, install Debian's
 * packages with apt-get, or fail with one line that says what to install. A `CHROMIUM_PATH` that points at nothing
 * is a mistake to report, never a reason to install another browser.
 */
export function planSystemTools(tools: SystemTools, canInstall: boolean): SystemToolsPlan {
  if (tools.chromiumFromEnv && !tools.chromiumFound) {
    return { action: 'fail', message: `CHROMIUM_PATH is ${tools.chromiumPath}, but there is no executable there: point it at a Chromium, or unset it.` };
  }
  const packages = [...(tools.chromiumFound ? [] : ['chromium']), ...(tools.redisServerFound ? [] : ['redis-server'])];
  if (packages.length === 0) return { action: 'none' };
  if (canInstall) return { action: 'install', packages };
  const what = packages.join(' and ');
  return {
    action: 'fail',
    message:
      `The tests need ${what}, which ${packages.length === 1 ? 'is' : 'are'} not installed: ` +
      `run "sudo apt-get install -y ${packages.join(' ')}"${tools.chromiumFound ? '' : ' (or set CHROMIUM_PATH to a Chromium)'}, then the tests again.`,
  };
}

const execFileAsync = promisify(execFile);

/** Root, or a `sudo` that asks for no password (checked only when something is missing), or neither. */
export function installRights(): InstallRights {
  if (process.getuid?.() === 0) return 'root';
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 5_000 });
    return 'sudo';
  } catch {
    return 'none';
  }
}

/**
 * Makes sure Chromium and redis-server are there: installs what is missing with apt-get when running as
 * root or with a password-less sudo (one line says so; apt's log is shown only if it fails), else throws with
 * one line saying what to install. Returns where Chromium is.
 */
export async function ensureSystemTools(env: NodeJS.ProcessEnv = process.env, rights: () => InstallRights = installRights): Promise<string> {
  const tools = findSystemTools(env);
  const missing = !tools.chromiumFound || !tools.redisServerFound;
  const granted = missing ? rights() : 'none';
  const plan = planSystemTools(tools, granted !== 'none');
  if (plan.action === 'fail') throw new SetupError(plan.message);
  if (plan.action === 'install') {
    console.log(`Installing ${plan.packages.join(' and ')} with apt-get (needed by the tests, not found)`);
    await aptGetInstall(plan.packages, granted);
    const after = findSystemTools(env);
    const stillMissing = [...(after.chromiumFound ? [] : [after.chromiumPath]), ...(after.redisServerFound ? [] : ['redis-server on the PATH'])];
    if (stillMissing.length > 0) throw new SetupError(`apt-get installed ${plan.packages.join(' and ')}, but there is still no ${stillMissing.join(' and no ')}.`);
  }
  return tools.chromiumPath;
}

async function aptGetInstall(packages: string[], rights: InstallRights): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nestjs-mcp-auth-apt-'));
  const log = join(dir, 'apt.log');
  try {
    // Quiet unless it fails: the whole log then, since apt's last line rarely says why.
    // sudo resets the environment, so apt's non-interactive mode goes through `env`.
    const aptGet = rights === 'sudo' ? 'sudo -n env DEBIAN_FRONTEND=noninteractive apt-get' : 'apt-get';
    const script = `{ ${aptGet} update -qq && ${aptGet} install -y -qq ${packages.join(' ')}; } >"$1" 2>&1`;
    await execFileAsync('sh', ['-c', script, 'sh', log], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    process.stderr.write(readFileSync(log, 'utf8'));
    throw new SetupError(`apt-get could not install ${packages.join(' ')} (its log is above)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
